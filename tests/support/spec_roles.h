// The role table of spec/authorization.md, written out by hand (no wildcards), for the tests
// that check the engine and the service against the spec rather than against policies/.
#pragma once

#include <map>
#include <set>
#include <string>

#include "mtp/engine/action.h"

namespace mtp::spec {

inline const std::map<std::string, std::set<std::string>>& roleActions() {
  static const std::map<std::string, std::set<std::string>> roles = [] {
    std::set<std::string> every;
    for (const auto& a : engine::allActions())
      if (a.scope != engine::Scope::kSelf) every.insert(std::string(a.name));
    std::set<std::string> admin = every;
    for (auto a : {"billing.read", "billing.update", "orgs.create", "orgs.remove", "admins.create",
                   "admins.update", "admins.suspend", "admins.restore", "admins.delete",
                   "admins.reset_password", "admins.reset_mfa", "admins.grant_access",
                   "admins.enable_api", "access_review.certify", "settings.update",
                   "integrations.update"})
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

inline bool roleHas(const std::string& role, std::string_view action) {
  return roleActions().at(role).count(std::string(action)) > 0;
}

}  // namespace mtp::spec
