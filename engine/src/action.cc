#include "mtp/engine/action.h"

#include <array>

namespace mtp::engine {
namespace {

constexpr ActionInfo A(std::string_view name, std::string_view resource, std::string_view verb,
                       Scope scope) {
  return ActionInfo{name, resource, verb, scope};
}

// The closed set of spec/authorization.md, plus the self-service actions every admin holds.
// The order is the ActionId; append only (ids appear in bench output and logs, not storage).
constexpr auto kActions = std::to_array<ActionInfo>({
    A("orgs.read", "orgs", "read", Scope::kOrg),
    A("orgs.create", "orgs", "create", Scope::kProvider),
    A("orgs.update", "orgs", "update", Scope::kOrg),
    A("orgs.launch", "orgs", "launch", Scope::kOrg),
    A("orgs.remove", "orgs", "remove", Scope::kOrg),
    A("admins.read", "admins", "read", Scope::kProvider),
    A("admins.create", "admins", "create", Scope::kProvider),
    A("admins.update", "admins", "update", Scope::kProvider),
    A("admins.suspend", "admins", "suspend", Scope::kProvider),
    A("admins.restore", "admins", "restore", Scope::kProvider),
    A("admins.delete", "admins", "delete", Scope::kProvider),
    A("admins.reset_password", "admins", "reset_password", Scope::kProvider),
    A("admins.reset_mfa", "admins", "reset_mfa", Scope::kProvider),
    A("admins.grant_access", "admins", "grant_access", Scope::kProvider),
    A("admins.enable_api", "admins", "enable_api", Scope::kProvider),
    A("users.read", "users", "read", Scope::kOrg),
    A("users.create", "users", "create", Scope::kOrg),
    A("users.update", "users", "update", Scope::kOrg),
    A("users.delete", "users", "delete", Scope::kOrg),
    A("users.unlock", "users", "unlock", Scope::kOrg),
    A("users.suspend", "users", "suspend", Scope::kOrg),
    A("users.activate", "users", "activate", Scope::kOrg),
    A("users.reset_password", "users", "reset_password", Scope::kOrg),
    A("users.reset_mfa", "users", "reset_mfa", Scope::kOrg),
    A("devices.read", "devices", "read", Scope::kOrg),
    A("devices.update", "devices", "update", Scope::kOrg),
    A("devices.lock", "devices", "lock", Scope::kOrg),
    A("devices.restart", "devices", "restart", Scope::kOrg),
    A("devices.shutdown", "devices", "shutdown", Scope::kOrg),
    A("devices.remote_assist", "devices", "remote_assist", Scope::kOrg),
    A("commands.read", "commands", "read", Scope::kOrg),
    A("commands.run", "commands", "run", Scope::kOrg),
    A("billing.read", "billing", "read", Scope::kProvider),
    A("billing.update", "billing", "update", Scope::kProvider),
    A("activity.read", "activity", "read", Scope::kProvider),
    A("activity.export", "activity", "export", Scope::kProvider),
    A("settings.read", "settings", "read", Scope::kProvider),
    A("settings.update", "settings", "update", Scope::kProvider),
    A("integrations.read", "integrations", "read", Scope::kProvider),
    A("integrations.update", "integrations", "update", Scope::kProvider),
    A("home.read", "home", "read", Scope::kProvider),
    // Self-service: read own profile, change own password, enroll/reset own TOTP, generate
    // own API key (only with apiKeyAllowed), log out.
    A("self.read", "self", "read", Scope::kSelf),
    A("self.password", "self", "password", Scope::kSelf),
    A("self.mfa", "self", "mfa", Scope::kSelf),
    A("self.apikey", "self", "apikey", Scope::kSelf),
    A("self.logout", "self", "logout", Scope::kSelf),
    // The access review (issue 14 item 3): who reaches which org with what, and its
    // certification by a reviewer.
    A("access_review.read", "access_review", "read", Scope::kProvider),
    A("access_review.certify", "access_review", "certify", Scope::kProvider),
});
static_assert(kActions.size() < 64, "ActionSet is a 64-bit mask");

constexpr ActionSet setOf(std::initializer_list<std::string_view> names) {
  ActionSet s;
  for (auto n : names)
    for (std::size_t i = 0; i < kActions.size(); ++i)
      if (kActions[i].name == n) s.add(static_cast<ActionId>(i));
  return s;
}

}  // namespace

std::span<const ActionInfo> allActions() { return kActions; }

std::optional<ActionId> findAction(std::string_view name) {
  for (std::size_t i = 0; i < kActions.size(); ++i)
    if (kActions[i].name == name) return static_cast<ActionId>(i);
  return std::nullopt;
}

const ActionInfo& actionInfo(ActionId id) { return kActions[id]; }

ActionSet expandActionPattern(std::string_view pattern) {
  ActionSet s;
  if (pattern == "*") {
    for (std::size_t i = 0; i < kActions.size(); ++i) s.add(static_cast<ActionId>(i));
    return s;
  }
  const auto dot = pattern.find('.');
  if (dot == std::string_view::npos) return s;
  const auto resource = pattern.substr(0, dot);
  const auto verb = pattern.substr(dot + 1);
  if (resource == "*" && verb == "*") return expandActionPattern("*");
  for (std::size_t i = 0; i < kActions.size(); ++i) {
    const auto& a = kActions[i];
    const bool r = resource == "*" || resource == a.resource;
    const bool v = verb == "*" || verb == a.verb;
    if (r && v) s.add(static_cast<ActionId>(i));
  }
  return s;
}

ActionSet actionsWithScope(Scope scope) {
  ActionSet s;
  for (std::size_t i = 0; i < kActions.size(); ++i)
    if (kActions[i].scope == scope) s.add(static_cast<ActionId>(i));
  return s;
}

ActionSet escalationActions() {
  // Every action on another admin (issue 10 item 2): suspending, restoring, deleting or resetting
  // the credentials of an admin who holds more than the actor is escalation too.
  static constexpr ActionSet kSet =
      setOf({"admins.create", "admins.update", "admins.grant_access", "admins.suspend", "admins.restore",
             "admins.delete", "admins.reset_password", "admins.reset_mfa"});
  return kSet;
}

ActionSet mfaExemptActions() {
  static constexpr ActionSet kSet = setOf({"self.mfa", "self.logout"});
  return kSet;
}

}  // namespace mtp::engine
