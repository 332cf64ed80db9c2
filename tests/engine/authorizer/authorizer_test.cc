// The decision procedure: every reason code, check order, per-org roles and expiry,
// escalation, permits and forbids, explain, reverse queries and hot swap.
#include "mtp/engine/authorizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_support.h"

namespace mtp::engine {
namespace {

using namespace testing;

DirectoryData fixture() {
  DirectoryData d;
  d.providers.push_back(ProviderData{"p1", false,
                                     {OrgData{"o1", "Acme", {"change-freeze"}},
                                      OrgData{"o2", "Globex", {}},
                                      OrgData{"o3", "Initech", {"lab"}}}});
  d.providers.push_back(ProviderData{"p2", false, {OrgData{"q1", "Other MSP client", {}}}});
  d.admins.push_back(admin("owner", "p1", "admin_billing", true));
  d.admins.push_back(admin("hd", "p1", "help_desk", false, {GrantData{"o1", "", std::nullopt}}));
  d.admins.push_back(admin("mgr", "p1", "manager", false,
                           {GrantData{"o1", "read_only", std::nullopt},
                            GrantData{"o2", "", kNow - 1},
                            GrantData{"o3", "", kNow + 3600}}));
  auto sus = admin("sus", "p1", "admin_billing", true);
  sus.status = AdminStatus::kSuspended;
  d.admins.push_back(sus);
  auto pend = admin("pend", "p1", "admin_billing", true);
  pend.status = AdminStatus::kPending;
  d.admins.push_back(pend);
  auto api = admin("api", "p1", "admin", true);
  api.api_key_allowed = true;
  d.admins.push_back(api);
  auto mfa = admin("mfa", "p1", "admin", true);
  mfa.enable_multi_factor = true;
  d.admins.push_back(mfa);
  d.admins.push_back(admin("other", "p2", "admin_billing", true));
  d.admins.push_back(admin("cr", "p1", "command_runner", true));
  return d;
}

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_ = compileWith();
    ASSERT_TRUE(set_);
    snap_ = snapshotOf(set_, fixture());
    ASSERT_TRUE(snap_);
  }
  Decision decide(const Request& r) { return snap_->authorize(r); }
  std::shared_ptr<const PolicySet> set_;
  std::shared_ptr<const Snapshot> snap_;
};

TEST_F(AuthorizerTest, AllowedByRoleNamesTheRole) {
  auto d = decide(req("hd", "users.unlock", "o1"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kAllowed);
  EXPECT_EQ(d.decided_by, "help_desk");
}

TEST_F(AuthorizerTest, UnknownAction) {
  auto r = req("owner", "users.read", "o1");
  r.action = kNoAction;
  EXPECT_EQ(decide(r).reason, Reason::kUnknownAction);
  r.action = 200;
  EXPECT_EQ(decide(r).reason, Reason::kUnknownAction);
}

TEST_F(AuthorizerTest, UnknownAdmin) {
  auto d = decide(req("nobody", "users.read", "o1"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kUnknownAdmin);
}

TEST_F(AuthorizerTest, ProviderMismatchByOrgAndByProvider) {
  EXPECT_EQ(decide(req("owner", "users.read", "q1")).reason, Reason::kProviderMismatch);
  auto r = req("owner", "billing.read");
  r.provider = "p2";
  EXPECT_EQ(decide(r).reason, Reason::kProviderMismatch);
  r.provider = "p1";
  EXPECT_TRUE(decide(r).allowed);
  r.provider = "no-such-provider";
  EXPECT_EQ(decide(r).reason, Reason::kProviderMismatch);
}

TEST_F(AuthorizerTest, AdminNotActive) {
  EXPECT_EQ(decide(req("sus", "users.read", "o1")).reason, Reason::kAdminNotActive);
  EXPECT_EQ(decide(req("pend", "self.read")).reason, Reason::kAdminNotActive);
}

TEST_F(AuthorizerTest, ApiAccessDisabled) {
  auto r = req("owner", "users.read", "o1");
  r.auth_method = AuthMethod::kApiKey;
  EXPECT_EQ(decide(r).reason, Reason::kApiAccessDisabled);
  r.admin = "api";
  EXPECT_TRUE(decide(r).allowed);
  // Generating a key needs apiKeyAllowed whatever the credential.
  EXPECT_EQ(decide(req("owner", "self.apikey")).reason, Reason::kApiAccessDisabled);
  EXPECT_TRUE(decide(req("api", "self.apikey")).allowed);
}

TEST_F(AuthorizerTest, MfaRequiredPerAdminButEnrollmentStaysReachable) {
  auto r = req("mfa", "users.read", "o1");
  r.mfa = false;
  EXPECT_EQ(decide(r).reason, Reason::kMfaRequired);
  r.action = act("self.mfa");
  EXPECT_TRUE(decide(r).allowed);
  r.action = act("self.logout");
  EXPECT_TRUE(decide(r).allowed);
  r.action = act("self.read");
  EXPECT_EQ(decide(r).reason, Reason::kMfaRequired);
  r.mfa = true;
  r.action = act("users.read");
  EXPECT_TRUE(decide(r).allowed);
}

TEST_F(AuthorizerTest, GlobalMfaRequirementAppliesToEveryAdmin) {
  auto d = fixture();
  d.providers[0].require_admin_mfa = true;
  auto snap = snapshotOf(set_, d);
  auto r = req("owner", "billing.read");
  r.mfa = false;
  EXPECT_EQ(snap->authorize(r).reason, Reason::kMfaRequired);
  // Another provider's admins are not affected.
  r.admin = "other";
  EXPECT_TRUE(snap->authorize(r).allowed);
}

TEST_F(AuthorizerTest, ApiKeyIsNotAskedForMfaButGeneratingOneIs) {
  auto d = fixture();
  d.admins[5].enable_multi_factor = true;  // "api"
  auto snap = snapshotOf(set_, d);
  auto r = req("api", "users.read", "o1");
  r.mfa = false;
  r.auth_method = AuthMethod::kApiKey;
  EXPECT_TRUE(snap->authorize(r).allowed);
  r.action = act("self.apikey");
  EXPECT_EQ(snap->authorize(r).reason, Reason::kMfaRequired);
  r.auth_method = AuthMethod::kSession;
  EXPECT_EQ(snap->authorize(r).reason, Reason::kMfaRequired);
  r.mfa = true;
  EXPECT_TRUE(snap->authorize(r).allowed);
}

TEST_F(AuthorizerTest, OrgUnknownNotGrantedExpired) {
  EXPECT_EQ(decide(req("hd", "users.read", "nope")).reason, Reason::kOrgUnknown);
  EXPECT_EQ(decide(req("hd", "users.read")).reason, Reason::kOrgUnknown);
  EXPECT_EQ(decide(req("hd", "users.read", "o2")).reason, Reason::kOrgNotGranted);
  EXPECT_EQ(decide(req("mgr", "users.read", "o2")).reason, Reason::kGrantExpired);
  // Expiry is exclusive of the instant itself: at expires_at the grant is gone.
  auto r = req("mgr", "users.unlock", "o3");
  EXPECT_TRUE(decide(r).allowed);
  r.time = kNow + 3600;
  EXPECT_EQ(decide(r).reason, Reason::kGrantExpired);
}

TEST_F(AuthorizerTest, PerOrgRoleOverridesTheDefaultRole) {
  // mgr is a manager, but read_only in o1.
  auto d = decide(req("mgr", "users.unlock", "o1"));
  EXPECT_EQ(d.reason, Reason::kRoleLacksAction);
  EXPECT_EQ(d.decided_by, "read_only");
  EXPECT_TRUE(decide(req("mgr", "users.read", "o1")).allowed);
  EXPECT_EQ(decide(req("mgr", "users.unlock", "o3")).decided_by, "manager");
}

TEST_F(AuthorizerTest, RoleLacksAction) {
  auto d = decide(req("hd", "users.delete", "o1"));
  EXPECT_EQ(d.reason, Reason::kRoleLacksAction);
  EXPECT_EQ(d.decided_by, "help_desk");
  EXPECT_EQ(decide(req("cr", "admins.read")).reason, Reason::kRoleLacksAction);
}

TEST_F(AuthorizerTest, SelfActionsForEveryRole) {
  for (auto a : {"hd", "cr", "mgr"}) {
    EXPECT_TRUE(decide(req(a, "self.read")).allowed) << a;
    EXPECT_TRUE(decide(req(a, "self.password")).allowed) << a;
    EXPECT_TRUE(decide(req(a, "self.mfa")).allowed) << a;
  }
}

TEST_F(AuthorizerTest, EscalationOnRoleAndOrgs) {
  auto d = fixture();
  d.admins.push_back(admin("adm", "p1", "admin", false, {GrantData{"o1", "", std::nullopt}}));
  auto set = compileWith(R"(
roles:
  - id: admin_manager
    title: Admin manager
    grants: ["admins.*", "users.read", "orgs.read"]
)");
  d.admins.push_back(admin("am", "p1", "admin_manager", false, {GrantData{"o1", "", std::nullopt}}));
  auto snap = snapshotOf(set, d);
  ASSERT_TRUE(snap);
  auto r = req("am", "admins.create");
  r.target.present = true;
  r.target.role = "help_desk";  // holds users.unlock, which admin_manager lacks
  EXPECT_EQ(snap->authorize(r).reason, Reason::kEscalation);
  r.target.role = "admin_manager";
  EXPECT_TRUE(snap->authorize(r).allowed);
  const TargetGrant o2{"o2", ""};
  r.target.organizations = {&o2, 1};
  EXPECT_EQ(snap->authorize(r).reason, Reason::kEscalation);
  const TargetGrant o1{"o1", ""};
  r.target.organizations = {&o1, 1};
  EXPECT_TRUE(snap->authorize(r).allowed);
  const TargetGrant o1hd{"o1", "help_desk"};
  r.target.organizations = {&o1hd, 1};
  EXPECT_EQ(snap->authorize(r).reason, Reason::kEscalation);
  r.target.organizations = {};
  r.target.all_organizations = true;
  EXPECT_EQ(snap->authorize(r).reason, Reason::kEscalation);
  // The target's default role applies in a granted org without its own role: it must fit the
  // actor's role there (mgr-like actor: admin_billing by default, manager in o3).
  {
    auto d2 = fixture();
    d2.admins.push_back(admin("abl", "p1", "admin_billing", false,
                              {GrantData{"o3", "manager", std::nullopt}}));
    auto snap2 = snapshotOf(set, d2);
    auto r2 = req("abl", "admins.create");
    r2.target.present = true;
    r2.target.role = "admin";
    const TargetGrant o3{"o3", ""};
    r2.target.organizations = {&o3, 1};
    EXPECT_EQ(snap2->authorize(r2).reason, Reason::kEscalation);
    r2.target.role = "help_desk";
    EXPECT_TRUE(snap2->authorize(r2).allowed);
  }
  // Another provider's org is beyond reach too.
  const TargetGrant q1{"q1", ""};
  r.target.all_organizations = false;
  r.target.organizations = {&q1, 1};
  EXPECT_EQ(snap->authorize(r).reason, Reason::kEscalation);
  // The owner (admin_billing, all orgs) may grant anything of its provider.
  r.admin = "owner";
  r.target.organizations = {&o1hd, 1};
  r.target.all_organizations = true;
  r.target.role = "admin_billing";
  EXPECT_TRUE(snap->authorize(r).allowed);
}

TEST_F(AuthorizerTest, ForbidBeatsPermitAndPermitAddsActions) {
  auto set = compileWith(R"(
policies:
  - id: lab-shutdown
    effect: permit
    actions: [devices.shutdown]
    when: org.tags contains "lab"
  - id: freeze
    effect: forbid
    actions: [devices.shutdown, devices.restart]
    when: org.tags contains "change-freeze"
)");
  auto d = fixture();
  d.admins.push_back(admin("hd2", "p1", "help_desk", true));
  auto snap = snapshotOf(set, d);
  ASSERT_TRUE(snap);
  auto lab = snap->authorize(req("hd2", "devices.shutdown", "o3"));
  EXPECT_TRUE(lab.allowed);
  EXPECT_EQ(lab.decided_by, "lab-shutdown");
  auto plain = snap->authorize(req("hd2", "devices.shutdown", "o2"));
  EXPECT_EQ(plain.reason, Reason::kRoleLacksAction);
  auto frozen = snap->authorize(req("owner", "devices.restart", "o1"));
  EXPECT_EQ(frozen.reason, Reason::kForbiddenByPolicy);
  EXPECT_EQ(frozen.decided_by, "freeze");
  EXPECT_TRUE(snap->authorize(req("owner", "devices.restart", "o2")).allowed);
}

TEST_F(AuthorizerTest, ErroringForbidDeniesErroringPermitIsSkipped) {
  auto set = compileWith(R"(
policies:
  - id: office-only
    effect: forbid
    actions: [users.read]
    unless: request.clientIp in ["10.0.0.0/8"]
  - id: office-permit
    effect: permit
    actions: [users.delete]
    when: request.clientIp in ["10.0.0.0/8"]
)");
  auto snap = snapshotOf(set, fixture());
  ASSERT_TRUE(snap);
  auto r = req("hd", "users.read", "o1");  // no client IP: the forbid errors, and denies
  EXPECT_EQ(snap->authorize(r).reason, Reason::kForbiddenByPolicy);
  r.client_ip = parseIpAddress("10.1.2.3");
  EXPECT_TRUE(snap->authorize(r).allowed);
  r.client_ip = parseIpAddress("192.0.2.1");
  EXPECT_EQ(snap->authorize(r).reason, Reason::kForbiddenByPolicy);
  auto del = req("hd", "users.delete", "o1");  // permit errors: skipped
  EXPECT_EQ(snap->authorize(del).reason, Reason::kRoleLacksAction);
  del.client_ip = parseIpAddress("10.9.9.9");
  EXPECT_TRUE(snap->authorize(del).allowed);
}

TEST_F(AuthorizerTest, ChecksRunInTheSpecOrder) {
  // A suspended admin of another provider asking for an unknown org: provider first.
  auto r = req("sus", "users.read", "q1");
  EXPECT_EQ(decide(r).reason, Reason::kProviderMismatch);
  r.organization = "nope";
  EXPECT_EQ(decide(r).reason, Reason::kAdminNotActive);
  // API key disabled comes before MFA.
  auto m = req("mfa", "users.read", "o1");
  m.mfa = false;
  m.auth_method = AuthMethod::kApiKey;
  EXPECT_EQ(decide(m).reason, Reason::kApiAccessDisabled);
  // MFA comes before the org checks.
  m.auth_method = AuthMethod::kSession;
  m.organization = "nope";
  EXPECT_EQ(decide(m).reason, Reason::kMfaRequired);
  // The session's scope comes after MFA and before the org checks.
  m.mfa = true;
  m.session_scope = SessionScope::kOrgLaunch;
  m.launch_org = "o1";
  EXPECT_EQ(decide(m).reason, Reason::kSessionScope);
}

TEST_F(AuthorizerTest, ExplainTracesEveryCheck) {
  auto e = snap_->explain(req("mgr", "users.unlock", "o1"));
  EXPECT_FALSE(e.decision.allowed);
  EXPECT_EQ(e.decision.reason, Reason::kRoleLacksAction);
  ASSERT_GE(e.trace.size(), 6u);
  EXPECT_EQ(e.trace.front().check, "unknown_action");
  EXPECT_TRUE(e.trace.front().passed);
  EXPECT_EQ(e.trace.back().check, "role_lacks_action");
  EXPECT_FALSE(e.trace.back().passed);
  EXPECT_EQ(e.trace.back().subject, "read_only");
  // The same decision as authorize().
  auto d = snap_->authorize(req("mgr", "users.unlock", "o1"));
  EXPECT_EQ(d.reason, e.decision.reason);
  EXPECT_EQ(d.decided_by, e.decision.decided_by);
}

TEST_F(AuthorizerTest, AnyOrganizationAsksWhetherSomeHeldRoleHasTheAction) {
  auto r = req("hd", "users.read");
  r.any_organization = true;
  EXPECT_TRUE(decide(r).allowed);
  EXPECT_EQ(decide(r).decided_by, "help_desk");
  r.action = act("users.delete");
  EXPECT_EQ(decide(r).reason, Reason::kRoleLacksAction);
  // A per-org role counts while its grant lives: mgr is read_only in o1 (manager by default).
  auto d = fixture();
  d.admins.push_back(admin("bo", "p1", "billing_only", false, {GrantData{"o1", "read_only", std::nullopt},
                                                              GrantData{"o2", "admin", kNow - 1}}));
  auto snap = snapshotOf(set_, d);
  auto b = req("bo", "orgs.read");
  b.any_organization = true;
  EXPECT_TRUE(snap->authorize(b).allowed);
  EXPECT_EQ(snap->authorize(b).decided_by, "read_only");
  b.action = act("users.unlock");  // only the expired admin grant had it
  EXPECT_EQ(snap->authorize(b).reason, Reason::kRoleLacksAction);
  // The earlier checks still apply.
  auto s = req("sus", "users.read");
  s.any_organization = true;
  EXPECT_EQ(decide(s).reason, Reason::kAdminNotActive);
}

TEST_F(AuthorizerTest, OrgsForAllOrgsAdminIsCheapAll) {
  RequestContext ctx{AuthMethod::kSession, true, std::nullopt, kNow};
  auto all = snap_->orgsFor("owner", act("users.read"), ctx);
  EXPECT_TRUE(all.all);
  auto mgr = snap_->orgsFor("mgr", act("users.unlock"), ctx);
  EXPECT_FALSE(mgr.all);
  EXPECT_EQ(mgr.organizations, std::vector<std::string_view>{"o3"});  // o1 read_only, o2 expired
  auto mgr_read = snap_->orgsFor("mgr", act("users.read"), ctx);
  EXPECT_EQ(mgr_read.organizations, (std::vector<std::string_view>{"o1", "o3"}));
  EXPECT_TRUE(snap_->orgsFor("sus", act("users.read"), ctx).organizations.empty());
  EXPECT_FALSE(snap_->orgsFor("sus", act("users.read"), ctx).all);
  EXPECT_FALSE(snap_->orgsFor("cr", act("users.read"), ctx).all);
}

TEST_F(AuthorizerTest, OrgsForHonoursForbidsPerOrg) {
  auto set = compileWith(R"(
policies:
  - id: freeze
    effect: forbid
    actions: [devices.shutdown]
    when: org.tags contains "change-freeze"
)");
  auto snap = snapshotOf(set, fixture());
  RequestContext ctx{AuthMethod::kSession, true, std::nullopt, kNow};
  auto reach = snap->orgsFor("owner", act("devices.shutdown"), ctx);
  EXPECT_FALSE(reach.all);
  EXPECT_EQ(reach.organizations, (std::vector<std::string_view>{"o2", "o3"}));
}

TEST_F(AuthorizerTest, AdminsForAnOrg) {
  RequestContext ctx{AuthMethod::kSession, true, std::nullopt, kNow};
  auto admins = snap_->adminsFor("o1", act("users.unlock"), ctx);
  std::sort(admins.begin(), admins.end());
  EXPECT_EQ(admins, (std::vector<std::string_view>{"api", "hd", "mfa", "owner"}));
  auto readers = snap_->adminsFor("o1", act("orgs.read"), ctx);
  EXPECT_EQ(readers.size(), 6u);  // owner hd mgr api mfa cr; not sus, pend, other
}

TEST_F(AuthorizerTest, EffectiveActions) {
  RequestContext ctx{AuthMethod::kSession, true, std::nullopt, kNow};
  auto hd = snap_->effectiveActions("hd", "", ctx);
  EXPECT_TRUE(hd.has(act("users.unlock")));
  EXPECT_TRUE(hd.has(act("self.read")));
  EXPECT_FALSE(hd.has(act("billing.read")));
  EXPECT_FALSE(hd.has(act("self.apikey")));
  auto in_o2 = snap_->effectiveActions("hd", "o2", ctx);
  EXPECT_FALSE(in_o2.has(act("users.unlock")));
}

TEST_F(AuthorizerTest, EnrollmentOnlySessionReachesOnlyEnrollmentAndLogout) {
  auto r = req("owner", "users.read", "o1");
  r.session_scope = SessionScope::kEnrollmentOnly;
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  EXPECT_EQ(decide(r).decided_by, "check:session_scope");
  for (auto a : {"self.read", "self.password", "settings.read", "admins.read"}) {
    r.action = act(a);
    EXPECT_EQ(decide(r).reason, Reason::kSessionScope) << a;
  }
  // Generating a key is refused by scope first, with or without API access (the key's own
  // api_access_disabled comes after check 5).
  r.action = act("self.apikey");
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  r.admin = "api";
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  r.admin = "owner";
  for (auto a : {"self.mfa", "self.logout"}) {
    r.action = act(a);
    EXPECT_TRUE(decide(r).allowed) << a;
  }
  // MFA comes first: an admin who must enroll is told so.
  auto m = req("mfa", "admins.read");
  m.mfa = false;
  m.session_scope = SessionScope::kEnrollmentOnly;
  EXPECT_EQ(decide(m).reason, Reason::kMfaRequired);
  // A list over any org is no way around it.
  auto any = req("owner", "orgs.read");
  any.any_organization = true;
  any.session_scope = SessionScope::kEnrollmentOnly;
  EXPECT_EQ(decide(any).reason, Reason::kSessionScope);
}

TEST_F(AuthorizerTest, OrgLaunchSessionReachesOnlyItsOrg) {
  auto r = req("owner", "users.suspend", "o1");
  r.session_scope = SessionScope::kOrgLaunch;
  r.launch_org = "o1";
  EXPECT_TRUE(decide(r).allowed);
  // Another org of the same provider: refused by the scope, before the org checks.
  r.organization = "o2";
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  r.organization = "no-such-org";
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  r.organization = "";
  EXPECT_EQ(decide(r).reason, Reason::kSessionScope);
  // Another provider's org is still provider_mismatch (check 2 first).
  r.organization = "q1";
  EXPECT_EQ(decide(r).reason, Reason::kProviderMismatch);
  // No provider-wide action and no self-service change; logout stays.
  for (auto a : {"admins.read", "settings.read", "activity.read", "orgs.create", "self.read",
                 "self.password", "self.mfa", "self.apikey"}) {
    auto p = req(std::string_view(a) == "self.apikey" ? "api" : "owner", a);
    p.session_scope = SessionScope::kOrgLaunch;
    p.launch_org = "o1";
    EXPECT_EQ(decide(p).reason, Reason::kSessionScope) << a;
  }
  auto out = req("owner", "self.logout");
  out.session_scope = SessionScope::kOrgLaunch;
  out.launch_org = "o1";
  EXPECT_TRUE(decide(out).allowed);
  // The role still decides inside the org: help desk may not delete users in its org.
  auto hd = req("hd", "users.delete", "o1");
  hd.session_scope = SessionScope::kOrgLaunch;
  hd.launch_org = "o1";
  EXPECT_EQ(decide(hd).reason, Reason::kRoleLacksAction);
  // Without a launch org nothing org-scoped is covered.
  auto none = req("owner", "users.read", "o1");
  none.session_scope = SessionScope::kOrgLaunch;
  EXPECT_EQ(decide(none).reason, Reason::kSessionScope);
}

TEST_F(AuthorizerTest, OrgLaunchAnyOrganizationIsDecidedOnTheLaunchOrg) {
  auto r = req("mgr", "users.unlock");
  r.any_organization = true;
  EXPECT_TRUE(decide(r).allowed);  // manager by default: some held role has it
  r.session_scope = SessionScope::kOrgLaunch;
  r.launch_org = "o1";  // read_only there
  EXPECT_EQ(decide(r).reason, Reason::kRoleLacksAction);
  r.launch_org = "o3";  // manager there
  EXPECT_TRUE(decide(r).allowed);
  r.launch_org = "o2";  // grant expired
  EXPECT_EQ(decide(r).reason, Reason::kGrantExpired);
  auto e = snap_->explain(r);
  EXPECT_EQ(e.decision.reason, Reason::kGrantExpired);
}

TEST_F(AuthorizerTest, ReverseQueriesCarryTheSessionScope) {
  RequestContext ctx{AuthMethod::kSession, true, std::nullopt, kNow};
  ctx.session_scope = SessionScope::kOrgLaunch;
  ctx.launch_org = "o2";
  auto owner = snap_->orgsFor("owner", act("users.read"), ctx);
  EXPECT_FALSE(owner.all);
  EXPECT_EQ(owner.organizations, std::vector<std::string_view>{"o2"});
  ctx.launch_org = "o1";
  auto mgr = snap_->orgsFor("mgr", act("users.unlock"), ctx);  // read_only in o1
  EXPECT_FALSE(mgr.all);
  EXPECT_TRUE(mgr.organizations.empty());
  ctx.launch_org = "q1";  // another provider's org
  EXPECT_TRUE(snap_->orgsFor("owner", act("users.read"), ctx).organizations.empty());
  ctx.launch_org = "o1";
  auto eff = snap_->effectiveActions("owner", "", ctx);
  EXPECT_TRUE(eff.has(act("users.read")));
  EXPECT_TRUE(eff.has(act("self.logout")));
  EXPECT_FALSE(eff.has(act("self.read")));
  EXPECT_FALSE(eff.has(act("admins.read")));
  EXPECT_FALSE(snap_->effectiveActions("owner", "o2", ctx).has(act("users.read")));
  ctx.session_scope = SessionScope::kEnrollmentOnly;
  EXPECT_FALSE(snap_->orgsFor("owner", act("users.read"), ctx).all);
  EXPECT_TRUE(snap_->orgsFor("owner", act("users.read"), ctx).organizations.empty());
  auto enroll = snap_->effectiveActions("owner", "", ctx);
  EXPECT_FALSE(enroll.has(act("users.read")));
  EXPECT_TRUE(enroll.has(act("self.mfa")));
  EXPECT_FALSE(enroll.has(act("self.read")));
  // adminsFor: an org launch context asks about its own org only.
  ctx.session_scope = SessionScope::kOrgLaunch;
  ctx.launch_org = "o1";
  EXPECT_FALSE(snap_->adminsFor("o1", act("users.read"), ctx).empty());
  EXPECT_TRUE(snap_->adminsFor("o3", act("users.read"), ctx).empty());
}

TEST_F(AuthorizerTest, SnapshotBuildRejectsBadDirectories) {
  auto d = fixture();
  d.admins.push_back(admin("x", "p1", "no_such_role"));
  EXPECT_FALSE(Snapshot::build(set_, d).has_value());
  d = fixture();
  d.admins.push_back(admin("owner", "p1", "admin"));
  EXPECT_FALSE(Snapshot::build(set_, d).has_value());
  d = fixture();
  d.admins.push_back(admin("y", "nowhere", "admin"));
  EXPECT_FALSE(Snapshot::build(set_, d).has_value());
  d = fixture();
  d.admins.push_back(admin("z", "p1", "admin", false, {GrantData{"q1", "", std::nullopt}}));
  EXPECT_FALSE(Snapshot::build(set_, d).has_value());
}

TEST(AuthorizerSwap, FailedBuildKeepsTheLiveSnapshot) {
  auto set = compileWith();
  auto az = Authorizer::create(set, fixture());
  ASSERT_TRUE(az.has_value());
  auto before = (*az)->current();
  auto bad = fixture();
  bad.admins.push_back(admin("x", "p1", "no_such_role"));
  EXPECT_FALSE((*az)->replaceDirectory(bad).has_value());
  EXPECT_EQ((*az)->current(), before);
}

// Issue 16: one admin or one org applied to the live directory (the change feed's update).
TEST(AuthorizerUpdate, OneAdminOrOrgReplacesOnlyThat) {
  auto az = Authorizer::create(compileWith(), fixture());
  ASSERT_TRUE(az.has_value());
  Authorizer& a = **az;
  ASSERT_TRUE(a.current()->authorize(req("hd", "users.unlock", "o1")).allowed);
  // hd suspended: refused; the others unchanged.
  auto hd = admin("hd", "p1", "help_desk", false, {GrantData{"o1", "", std::nullopt}});
  hd.status = AdminStatus::kSuspended;
  ASSERT_TRUE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kAdmin, "hd", hd, "", std::nullopt}}).has_value());
  EXPECT_FALSE(a.current()->authorize(req("hd", "users.unlock", "o1")).allowed);
  EXPECT_TRUE(a.current()->authorize(req("owner", "users.read", "o2")).allowed);
  // A new org, then an admin granted it; then the org gone with the admin's grant.
  ASSERT_TRUE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kOrg, "o4", std::nullopt, "p1",
                                               OrgData{"o4", "Umbrella", {}}},
                                 DirectoryPart{DirectoryPart::Kind::kAdmin, "new",
                                               admin("new", "p1", "help_desk", false, {GrantData{"o4", "", std::nullopt}}),
                                               "", std::nullopt}})
                  .has_value());
  EXPECT_EQ(a.current()->orgCount(), 5u);
  EXPECT_TRUE(a.current()->authorize(req("new", "users.unlock", "o4")).allowed);
  ASSERT_TRUE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kOrg, "o4", std::nullopt, "", std::nullopt},
                                 DirectoryPart{DirectoryPart::Kind::kAdmin, "new",
                                               admin("new", "p1", "help_desk", false), "", std::nullopt}})
                  .has_value());
  EXPECT_EQ(a.current()->orgCount(), 4u);
  EXPECT_FALSE(a.current()->authorize(req("new", "users.unlock", "o4")).allowed);
}

TEST(AuthorizerUpdate, AFailedUpdateChangesNothing) {
  auto az = Authorizer::create(compileWith(), fixture());
  ASSERT_TRUE(az.has_value());
  Authorizer& a = **az;
  auto before = a.current();
  // hd granted an org of another provider: the build fails, hd keeps o1 and nothing else.
  auto bad = admin("hd", "p1", "help_desk", false, {GrantData{"q1", "", std::nullopt}});
  EXPECT_FALSE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kAdmin, "hd", bad, "", std::nullopt}}).has_value());
  EXPECT_EQ(a.current(), before);
  // An org of an unknown provider: refused (the caller reloads in full).
  EXPECT_FALSE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kOrg, "z1", std::nullopt, "nowhere",
                                                OrgData{"z1", "Z", {}}}})
                   .has_value());
  // The directory behind the live snapshot was restored: a later good update builds on it.
  ASSERT_TRUE(a.updateDirectory({DirectoryPart{DirectoryPart::Kind::kOrg, "o2", std::nullopt, "p1",
                                               OrgData{"o2", "Globex renamed", {"lab"}}}})
                  .has_value());
  EXPECT_TRUE(a.current()->authorize(req("hd", "users.unlock", "o1")).allowed);
  EXPECT_EQ(a.current()->orgCount(), 4u);
  EXPECT_EQ(a.current()->adminCount(), before->adminCount());
}

TEST(AuthorizerSwap, ReadersNeverSeeATornState) {
  auto set = compileWith();
  auto with_hd = fixture();
  auto without = fixture();
  without.admins[1].organizations.clear();  // hd loses o1
  auto az = Authorizer::create(set, with_hd);
  ASSERT_TRUE(az.has_value());
  Authorizer& a = **az;
  std::atomic<bool> stop{false};
  std::atomic<long> decisions{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        auto snap = a.current();
        auto d = snap->authorize(req("hd", "users.unlock", "o1"));
        // Either state is fine; anything else is not.
        if (!(d.allowed || d.reason == Reason::kOrgNotGranted)) ++bad;
        if (!snap->authorize(req("owner", "users.read", "o2")).allowed) ++bad;
        ++decisions;
      }
    });
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(a.replaceDirectory(i % 2 ? with_hd : without).has_value());
    ASSERT_TRUE(a.replacePolicies(compileWith()).has_value());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(decisions.load(), 0);
}

}  // namespace
}  // namespace mtp::engine
