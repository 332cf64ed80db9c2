// Issue 10 item 2 over real HTTP on both backends: every action on an administrator obeys the
// escalation check on the admin as it is (suspend, restore, delete, password and TOTP reset,
// edit, org links), so an admin_billing granted one org cannot act on an all-orgs
// admin_billing (the provider's owner); and the provider's last active admin with billing can
// be neither suspended, deleted nor demoted (409 with a clear error).
#include "app/admin_service.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class AdminTargetRulesTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("MSP");
    a = createOrg(p, "Org A");
    b = createOrg(p, "Org B");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true, .password = kPassword});
    narrow = createAdmin(p, SeedAdmin{.role = "admin_billing", .organizations = {{a, ""}}});
  }

  std::string admin(const std::string& id) const { return "/api/v2/providers/" + p + "/administrators/" + id; }

  model::AdminRecord stored(const std::string& id) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getAdmin(model::TenantScope{p}, id); });
    EXPECT_TRUE(r.has_value());
    return r ? *r : model::AdminRecord{};
  }

  std::string p, a, b;
  SeededAdmin owner, narrow;
  static constexpr const char* kPassword = "Correct-Horse-Battery-9";
};

TEST_P(AdminTargetRulesTest, AnAdminGrantedOneOrgCannotActOnAnAllOrgsAdmin) {
  const std::string target = admin(owner.id);
  struct Case {
    const char* method;
    std::string path;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"POST", target + "/suspend", ""},
      {"POST", target + "/password-reset", ""},
      {"POST", target + "/totp-reset", json{{"clear", true}}.dump()},
      {"PUT", target, json{{"firstname", "Mallory"}}.dump()},
      {"PUT", target, json{{"roleName", "manager"}, {"allOrganizations", false},
                           {"organizations", json::array({json{{"organization", a}}})}}.dump()},
      {"POST", "/api/v2/administrators/" + owner.id + "/organizationlinks", json{{"organization", a}}.dump()},
      {"DELETE", target, ""},
  };
  for (const auto& c : cases) {
    auto r = call(c.method, c.path, narrow.token, c.body);
    EXPECT_EQ(r.status, 403) << c.method << " " << c.path << " " << c.body << ": " << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "permission_denied") << r.body;
  }
  // Nothing happened to the owner: still active, same role and reach, still signs in.
  const auto after = stored(owner.id);
  EXPECT_EQ(after.status, model::AdminStatus::kActive);
  EXPECT_EQ(after.role_name, "admin_billing");
  EXPECT_TRUE(after.all_organizations);
  for (const auto& e : activity(p)) {
    EXPECT_TRUE(e.event_type == "access_denied" || e.event_type.rfind("admin_", 0) != 0 ||
                e.resource_id != owner.id)
        << e.event_type;
  }

  // The owner suspended by someone who may: the narrow admin cannot restore it either.
  ASSERT_EQ(call("POST", target + "/suspend", owner.token).status, 400);  // not their own
  auto second = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  ASSERT_EQ(call("POST", target + "/suspend", second.token).status, 200);
  auto r = call("POST", target + "/restore", narrow.token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(stored(owner.id).status, model::AdminStatus::kSuspended);
}

TEST_P(AdminTargetRulesTest, AnAdminWithinReachIsStillManaged) {
  // The control: an admin_billing of org A only, acted on by the narrow admin of org A.
  auto peer = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{a, ""}}});
  auto r = call("POST", admin(peer.id) + "/totp-reset", narrow.token, json{{"clear", true}}.dump());
  EXPECT_EQ(r.status, 204) << r.body;
  r = call("POST", admin(peer.id) + "/password-reset", narrow.token);
  EXPECT_EQ(r.status, 204) << r.body;
  r = call("POST", admin(peer.id) + "/suspend", narrow.token);
  EXPECT_EQ(r.status, 200) << r.body;
  r = call("POST", admin(peer.id) + "/restore", narrow.token);
  EXPECT_EQ(r.status, 200) << r.body;
  r = call("DELETE", admin(peer.id), narrow.token);
  EXPECT_EQ(r.status, 204) << r.body;
  // A help desk of org B is beyond the narrow admin's reach.
  auto other = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{b, ""}}});
  r = call("POST", admin(other.id) + "/suspend", narrow.token);
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_P(AdminTargetRulesTest, TheLastActiveAdminWithBillingIsKept) {
  // The narrow admin_billing is no longer one: suspended by the owner.
  ASSERT_EQ(call("POST", admin(narrow.id) + "/suspend", owner.token).status, 200);
  // The owner is now the provider's last active admin with billing: it cannot demote itself.
  auto r = call("PUT", admin(owner.id), owner.token, json{{"roleName", "admin"}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "conflict") << r.body;
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("last active administrator with billing"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(stored(owner.id).role_name, "admin_billing");
  // Other edits of the last one still work.
  r = call("PUT", admin(owner.id), owner.token, json{{"firstname", "Olive"}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;

  // With a second active admin with billing, the first may step down; then the second is the
  // last one and is kept in turn.
  auto second = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  r = call("PUT", admin(owner.id), owner.token, json{{"roleName", "admin"}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  r = call("PUT", admin(second.id), second.token, json{{"roleName", "billing_only"}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
  // Suspending or deleting a demoted admin is no longer held back by the rule.
  r = call("POST", admin(owner.id) + "/suspend", second.token);
  EXPECT_EQ(r.status, 200) << r.body;
  r = call("DELETE", admin(owner.id), second.token);
  EXPECT_EQ(r.status, 204) << r.body;
}

// With the built-in roles only an admin with billing manages admins, so over HTTP the last one
// can only try to demote itself. A custom role holding admins.* without billing could suspend
// or delete it: the use case, asked with a gate that allows (as the engine would for such a
// role), refuses both with 409 and writes nothing.
// The engine view of that Authorization: every question allowed, the live snapshot's policies
// (the billing rule reads its roles).
struct AllowAll final : app::EngineView {
  explicit AllowAll(std::shared_ptr<const app::EngineView> v) : live(std::move(v)) {}
  std::shared_ptr<const app::EngineView> live;
  engine::Decision authorize(const engine::Request&) const noexcept override {
    return engine::Decision{true, engine::Reason::kAllowed, "test:allow"};
  }
  const engine::Snapshot* snapshot() const noexcept override { return live->snapshot(); }
};

TEST_P(AdminTargetRulesTest, TheLastActiveAdminWithBillingCannotBeSuspendedNorDeleted) {
  ASSERT_EQ(call("POST", admin(narrow.id) + "/suspend", owner.token).status, 200);
  auto manager = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true});
  app::AdminService svc(app());
  app::Actor actor{.admin_id = manager.id, .provider_id = p, .mfa = true};
  engine::Request context;
  context.admin = manager.id;
  context.mfa = true;
  const app::Authorization allow(std::make_shared<AllowAll>(app::engineSource(app().authorizer())()), context,
                                 engine::actionsWithScope(engine::Scope::kProvider), {}, "test");
  auto s = svc.suspend(actor, owner.id, allow);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, Status::Code::kConflict);
  auto d = svc.remove(actor, owner.id, allow);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, Status::Code::kConflict);
  EXPECT_EQ(stored(owner.id).status, model::AdminStatus::kActive);
  // The suspended admin with billing did not count; with another active one, the owner may go.
  createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  EXPECT_TRUE(svc.suspend(actor, owner.id, allow).has_value());
}

MTP_SERVICE_BACKENDS(AdminTargetRulesTest);

}  // namespace
}  // namespace mtp::testing
