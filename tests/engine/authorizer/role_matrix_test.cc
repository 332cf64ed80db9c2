// The role table of spec/authorization.md, action by action, for all eight built-in roles,
// through the whole decision procedure (not just the role's action set).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "spec_roles.h"
#include "test_support.h"

namespace mtp::engine {
namespace {

using namespace testing;

const std::map<std::string, std::set<std::string>>& specRoles() { return spec::roleActions(); }

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
