// The role table of spec/authorization.md, action by action, for all eight built-in roles,
// through the whole decision procedure (not just the role's action set).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "test_support.h"

namespace mtp::engine {
namespace {

using namespace testing;

// Written from the spec's table by hand, on purpose without wildcards.
const std::map<std::string, std::set<std::string>>& specRoles() {
  static const std::map<std::string, std::set<std::string>> roles = [] {
    std::set<std::string> every;
    for (const auto& a : allActions())
      if (a.scope != Scope::kSelf) every.insert(std::string(a.name));
    std::set<std::string> admin = every;
    for (auto a : {"billing.read", "billing.update", "orgs.create", "orgs.remove", "admins.create",
                   "admins.update", "admins.suspend", "admins.restore", "admins.delete",
                   "admins.reset_password", "admins.reset_mfa", "admins.grant_access",
                   "admins.enable_api", "settings.update", "integrations.update"})
      admin.erase(a);
    const std::set<std::string> command_runner = {"commands.read", "commands.run", "devices.read",
                                                  "orgs.read", "orgs.launch", "home.read"};
    std::set<std::string> command_runner_billing = command_runner;
    command_runner_billing.insert({"billing.read", "billing.update"});
    return std::map<std::string, std::set<std::string>>{
        {"admin_billing", every},
        {"admin", admin},
        {"manager",
         {"users.read", "users.create", "users.update", "users.unlock", "users.suspend",
          "users.activate", "users.reset_password", "users.reset_mfa", "devices.read",
          "devices.update", "devices.lock", "devices.restart", "devices.remote_assist",
          "commands.read", "orgs.read", "orgs.launch", "admins.read", "activity.read",
          "home.read", "settings.read"}},
        {"help_desk",
         {"users.read", "users.unlock", "users.suspend", "users.activate", "users.reset_password",
          "users.reset_mfa", "devices.read", "devices.lock", "devices.restart",
          "devices.remote_assist", "orgs.read", "orgs.launch", "admins.read", "activity.read",
          "home.read"}},
        {"command_runner", command_runner},
        {"command_runner_billing", command_runner_billing},
        {"read_only",
         {"orgs.read", "admins.read", "users.read", "devices.read", "commands.read",
          "activity.read", "settings.read", "integrations.read", "home.read", "activity.export",
          "orgs.launch"}},
        {"billing_only", {"billing.read", "billing.update"}},
    };
  }();
  return roles;
}

TEST(RoleMatrix, EveryRoleEveryActionAsTheSpecSays) {
  auto set = compileWith();
  ASSERT_TRUE(set);
  DirectoryData d;
  d.providers.push_back(ProviderData{"p1", false, {OrgData{"o1", "Acme", {}}}});
  for (const auto& [role, _] : specRoles())
    d.admins.push_back(admin("a-" + role, "p1", role, false, {GrantData{"o1", "", std::nullopt}}));
  auto snap = snapshotOf(set, d);
  ASSERT_TRUE(snap);
  int checked = 0;
  for (const auto& [role, allowed] : specRoles()) {
    const std::string who = "a-" + role;
    for (const auto& a : allActions()) {
      if (a.scope == Scope::kSelf) continue;
      auto r = req(who, a.name, a.scope == Scope::kOrg ? "o1" : "");
      auto dec = snap->authorize(r);
      const bool want = allowed.count(std::string(a.name)) > 0;
      EXPECT_EQ(dec.allowed, want) << role << " " << a.name;
      EXPECT_EQ(dec.reason, want ? Reason::kAllowed : Reason::kRoleLacksAction) << role << " " << a.name;
      EXPECT_EQ(dec.decided_by, role) << role << " " << a.name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * 41);
}

TEST(RoleMatrix, OnlyAdminBillingManagesAdminsOrgsAndGlobalMfa) {
  for (const auto& [role, allowed] : specRoles()) {
    const bool owner = role == "admin_billing";
    for (auto a : {"admins.create", "admins.update", "orgs.create", "admins.enable_api",
                   "settings.update"})
      EXPECT_EQ(allowed.count(a) > 0, owner) << role << " " << a;
  }
}

TEST(RoleMatrix, BillingOnlyHasNoHomeAndCommandRunnersCannotReadAdmins) {
  EXPECT_EQ(specRoles().at("billing_only").count("home.read"), 0u);
  EXPECT_EQ(specRoles().at("command_runner").count("home.read"), 1u);
  EXPECT_EQ(specRoles().at("command_runner").count("admins.read"), 0u);
  EXPECT_EQ(specRoles().at("command_runner_billing").count("admins.read"), 0u);
}

}  // namespace
}  // namespace mtp::engine
