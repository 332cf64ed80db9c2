// Administrators' org access on both backends: the escalation check on create, edit and
// organizationlinks (with the built-in roles: only admin_billing manages admins), tenant
// isolation of every administrator route, and explain.
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class AdminAccessTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("Provider A");
    o1 = createOrg(p, "Org One");
    o2 = createOrg(p, "Org Two");
    o3 = createOrg(p, "Org Three");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
    // An admin_billing who reaches only o1 (as admin_billing) and o2 (as manager).
    scoped = createAdmin(p, SeedAdmin{.role = "admin_billing", .organizations = {{o1, ""}, {o2, "manager"}}});
  }

  std::string admins() const { return "/api/v2/providers/" + p + "/administrators"; }
  std::string admin(const std::string& id) const { return admins() + "/" + id; }
  static std::string links(const std::string& id) { return "/api/v2/administrators/" + id + "/organizationlinks"; }

  int count(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }

  // Events other than the pipeline's access_denied (every denial writes one).
  std::size_t changeEvents(const std::string& provider) {
    std::size_t n = 0;
    for (const auto& e : activity(provider)) n += e.event_type != "access_denied";
    return n;
  }

  int adminCount() {
    auto r = app().store().query([&](store::Tx& tx) {
      model::ListQuery q;
      return tx.listAdmins(model::TenantScope{p}, q);
    });
    EXPECT_TRUE(r.has_value());
    return r ? static_cast<int>(r->total_count) : -1;
  }

  json newAdmin(const std::string& email, const std::string& role, json orgs = json::array(), bool all = false) {
    return json{{"email", email}, {"roleName", role}, {"organizations", std::move(orgs)}, {"allOrganizations", all}};
  }

  std::string p, o1, o2, o3;
  SeededAdmin owner, scoped;
};

TEST_P(AdminAccessTest, ScopedAdminCannotCreateBeyondItsReach) {
  const int before = adminCount();
  auto r = call("POST", admins(), scoped.token, newAdmin("a@msp.example", "help_desk", json::array(), true).dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "permission_denied");
  r = call("POST", admins(), scoped.token, newAdmin("a@msp.example", "help_desk", {{{"organization", o3}}}).dump());
  EXPECT_EQ(r.status, 403) << r.body;
  r = call("POST", admins(), scoped.token,
           newAdmin("a@msp.example", "help_desk", {{{"organization", o1}}, {{"organization", o3}}}).dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(adminCount(), before);
  EXPECT_EQ(count("admin_create"), 0);

  r = call("POST", admins(), scoped.token,
           newAdmin("a@msp.example", "help_desk", {{{"organization", o1}}, {{"organization", o2}}}).dump());
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(count("admin_create"), 1);
}

TEST_P(AdminAccessTest, PerOrgRoleMustBeWithinTheActorsRoleThere) {
  // In o2 the actor is a manager: the target's role there (its per-org role, else its
  // default role) must hold nothing a manager lacks.
  auto r = call("POST", admins(), scoped.token, newAdmin("b@msp.example", "admin_billing", {{{"organization", o2}}}).dump());
  EXPECT_EQ(r.status, 403) << r.body;
  r = call("POST", admins(), scoped.token,
           newAdmin("b@msp.example", "help_desk", {{{"organization", o2}, {"roleName", "admin"}}}).dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(count("admin_create"), 0);
  r = call("POST", admins(), scoped.token,
           newAdmin("b@msp.example", "admin_billing", {{{"organization", o1}}, {{"organization", o2}, {"roleName", "help_desk"}}}).dump());
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(count("admin_create"), 1);
}

TEST_P(AdminAccessTest, ScopedAdminCannotEditAnAdminBeyondItsReach) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o1, ""}}});
  auto r = call("PUT", admin(t.id), scoped.token,
                json{{"organizations", {{{"organization", o1}}, {{"organization", o3}}}}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  r = call("PUT", admin(t.id), scoped.token, json{{"allOrganizations", true}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(count("admin_update"), 0);
  r = call("PUT", admin(t.id), scoped.token, json{{"organizations", {{{"organization", o1}}, {{"organization", o2}}}}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(count("admin_update"), 1);
  // An admin who reaches every org is beyond the scoped actor: even a rename is refused.
  r = call("PUT", admin(owner.id), scoped.token, json{{"firstname", "Mallory"}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(count("admin_update"), 1);
}

TEST_P(AdminAccessTest, OrganizationLinksGrantOnlyWhatTheActorReaches) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o1, ""}}});

  auto r = call("POST", links(t.id), scoped.token, json{{"organization", o3}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  r = call("POST", links(t.id), scoped.token, json{{"organization", o2}, {"roleName", "admin"}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;  // admin is beyond manager, the actor's role in o2
  EXPECT_EQ(count("admin_update"), 0);

  r = call("POST", links(t.id), scoped.token,
           json{{"organization", o2}, {"roleName", "help_desk"}, {"expiresAt", "2099-01-01T00:00:00Z"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r), (json{{"organization", o2}, {"roleName", "help_desk"}, {"expiresAt", "2099-01-01T00:00:00Z"}}));
  EXPECT_EQ(count("admin_update"), 1);

  // The new grant is decided on at once: the target reaches o2 now.
  auto ex = call("GET", "/api/v2/administrators/" + t.id + "/explain?action=users.read&organization=" + o2, owner.token);
  ASSERT_EQ(ex.status, 200) << ex.body;
  EXPECT_EQ(body(ex)["allowed"], true);

  r = call("GET", links(t.id), scoped.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 2);

  // Revoking needs reach too; owner can revoke anything.
  auto other = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o3, ""}}});
  EXPECT_EQ(call("DELETE", links(other.id) + "/" + o3, scoped.token).status, 403);
  EXPECT_EQ(call("DELETE", links(t.id) + "/" + o2, scoped.token).status, 204);
  EXPECT_EQ(call("DELETE", links(t.id) + "/" + o2, scoped.token).status, 404);
  EXPECT_EQ(call("DELETE", links(other.id) + "/" + o3, owner.token).status, 204);
  EXPECT_EQ(count("admin_update"), 3);

  for (const auto& e : activity(p)) {
    if (e.event_type == "admin_update") {
      EXPECT_FALSE(e.organization.empty());
    }
  }

  // Unknown body fields and orgs.
  EXPECT_EQ(call("POST", links(t.id), owner.token, json{{"organization", o2}, {"x", 1}}.dump()).status, 400);
  EXPECT_EQ(call("POST", links(t.id), owner.token, json{{"organization", "nope"}}.dump()).status, 400);

  // A role without admins.grant_access.
  auto plain = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true});
  EXPECT_EQ(call("POST", links(t.id), plain.token, json{{"organization", o2}}.dump()).status, 403);
  EXPECT_EQ(call("GET", links(t.id), plain.token).status, 200);
  EXPECT_EQ(count("admin_update"), 3);
}

TEST_P(AdminAccessTest, AnotherProvidersAdminIsNotFoundEverywhere) {
  auto q = createProvider("Provider B");
  auto qo = createOrg(q, "B Org");
  auto x = createAdmin(q, SeedAdmin{.role = "help_desk", .organizations = {{qo, ""}}});
  auto before = app().store().query([&](store::Tx& tx) { return tx.getAdmin(model::TenantScope{q}, x.id); });
  ASSERT_TRUE(before.has_value());
  const auto q_events = changeEvents(q);
  const auto p_events = changeEvents(p);

  const std::string mine = admin(x.id), theirs = "/api/v2/providers/" + q + "/administrators/" + x.id;
  const std::vector<std::tuple<std::string, std::string, std::string>> calls = {
      {"GET", mine, ""},
      {"PUT", mine, json{{"firstname", "Pwned"}}.dump()},
      {"DELETE", mine, ""},
      {"POST", mine + "/suspend", ""},
      {"POST", mine + "/restore", ""},
      {"POST", mine + "/password-reset", ""},
      {"POST", mine + "/totp-reset", ""},
      {"GET", theirs, ""},
      {"PUT", theirs, json{{"firstname", "Pwned"}}.dump()},
      {"DELETE", theirs, ""},
      {"POST", theirs + "/suspend", ""},
      {"GET", "/api/v2/providers/" + q + "/administrators", ""},
      {"POST", "/api/v2/providers/" + q + "/administrators", json{{"email", "z@x.example"}, {"roleName", "help_desk"}}.dump()},
      {"GET", links(x.id), ""},
      {"POST", links(x.id), json{{"organization", o1}}.dump()},
      {"DELETE", links(x.id) + "/" + qo, ""},
      {"GET", "/api/v2/administrators/" + x.id + "/explain?action=users.read", ""},
  };
  for (const auto& [method, path, b] : calls) {
    auto r = call(method, path, owner.token, b);
    EXPECT_EQ(r.status, 404) << method << " " << path << ": " << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "not_found");
  }
  auto after = app().store().query([&](store::Tx& tx) { return tx.getAdmin(model::TenantScope{q}, x.id); });
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->firstname, before->firstname);
  EXPECT_EQ(after->status, before->status);
  EXPECT_EQ(after->updated, before->updated);
  EXPECT_EQ(changeEvents(q), q_events);
  EXPECT_EQ(changeEvents(p), p_events);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + q + "/administrators", x.token).status, 200);
  // Another provider's org in explain answers like a missing one.
  EXPECT_EQ(call("GET", "/api/v2/administrators/" + owner.id + "/explain?action=users.read&organization=" + qo,
                 owner.token).status, 404);
}

TEST_P(AdminAccessTest, ExplainGivesTheReasonForAnotherAdmin) {
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o1, ""}}});
  auto r = call("GET", "/api/v2/administrators/" + hd.id + "/explain?action=users.delete&organization=" + o1, owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["allowed"], false);
  EXPECT_EQ(j["reason"], "role_lacks_action");
  EXPECT_EQ(j["decidedBy"], "help_desk");
  ASSERT_TRUE(j["trace"].is_array());
  ASSERT_FALSE(j["trace"].empty());
  const auto& last = j["trace"].back();
  EXPECT_EQ(last["check"], "role_lacks_action");
  EXPECT_EQ(last["passed"], false);
  EXPECT_EQ(j["assumptions"]["mfa"], true);
  EXPECT_EQ(j["assumptions"]["authMethod"], "session");

  // A help desk admin may read admins, so may explain too.
  r = call("GET", "/api/v2/administrators/" + hd.id + "/explain?action=users.unlock&organization=" + o1, hd.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["allowed"], true);
  EXPECT_EQ(body(r)["decidedBy"], "help_desk");

  r = call("GET", "/api/v2/administrators/" + hd.id + "/explain?action=users.read&organization=" + o3, owner.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r)["reason"], "org_not_granted");

  EXPECT_EQ(call("GET", "/api/v2/administrators/" + hd.id + "/explain?action=users.obliterate", owner.token).status, 400);
  EXPECT_EQ(call("GET", "/api/v2/administrators/" + hd.id + "/explain", owner.token).status, 400);
  EXPECT_EQ(call("GET", "/api/v2/administrators/nope/explain?action=users.read", owner.token).status, 404);

  // Suspended admins are explained as such.
  ASSERT_EQ(call("POST", admin(hd.id) + "/suspend", owner.token).status, 200);
  r = call("GET", "/api/v2/administrators/" + hd.id + "/explain?action=users.read&organization=" + o1, owner.token);
  EXPECT_EQ(body(r)["reason"], "admin_not_active");
}

TEST_P(AdminAccessTest, ApiAccessForANewAdminNeedsEnableApi) {
  // Built-ins: only admin_billing holds admins.create and admins.enable_api, so the
  // owner may; nobody else can create at all.
  auto r = call("POST", admins(), owner.token,
                json{{"email", "k@msp.example"}, {"roleName", "help_desk"}, {"apiKeyAllowed", true}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["apiKeyAllowed"], true);
}

MTP_SERVICE_BACKENDS(AdminAccessTest);

}  // namespace
}  // namespace mtp::testing
