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
  EXPECT_EQ(checked, 8 * 43);  // the spec's 41 actions and the access review's 2 (issue 14)
}

// The consequences users rely on (spec: "Consequences"), asked of the engine with the shipped
// roles file, not of this test's own table.
class RoleConsequences : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = compileWith();
    ASSERT_TRUE(set);
    DirectoryData d;
    d.providers.push_back(ProviderData{"p1", false, {OrgData{"o1", "Acme", {}}}});
    for (const auto& [role, _] : specRoles())
      d.admins.push_back(admin("a-" + role, "p1", role, true));
    snap_ = snapshotOf(set, d);
    ASSERT_TRUE(snap_);
  }
  bool may(const std::string& role, std::string_view action) const {
    const bool org = actionInfo(act(action)).scope == Scope::kOrg;
    return snap_->authorize(req("a-" + role, action, org ? "o1" : "")).allowed;
  }
  std::shared_ptr<const Snapshot> snap_;
};

TEST_F(RoleConsequences, OnlyAdminBillingManagesAdminsOrgsAndGlobalMfa) {
  int owners = 0;
  for (const auto& [role, _] : specRoles()) {
    const bool owner = role == "admin_billing";
    if (owner) ++owners;
    for (auto a : {"admins.create", "admins.update", "orgs.create", "admins.enable_api",
                   "settings.update"})
      EXPECT_EQ(may(role, a), owner) << role << " " << a;
  }
  EXPECT_EQ(owners, 1);
}

TEST_F(RoleConsequences, BillingOnlyHasNoHomeAndCommandRunnersCannotReadAdmins) {
  EXPECT_FALSE(may("billing_only", "home.read"));
  EXPECT_TRUE(may("command_runner", "home.read"));
  EXPECT_FALSE(may("command_runner", "admins.read"));
  EXPECT_FALSE(may("command_runner_billing", "admins.read"));
  // Everyone with admins.read sees the "admins without MFA" widget; only admin_billing acts.
  for (const auto& [role, _] : specRoles()) {
    if (may(role, "admins.read")) {
      EXPECT_TRUE(may(role, "home.read")) << role;
    }
    EXPECT_EQ(may(role, "admins.update"), role == "admin_billing") << role;
  }
}

}  // namespace
}  // namespace mtp::engine
