// Users of managed orgs over real HTTP on both backends: the cross-org list only over the orgs
// the caller reaches (filters, paging), systemusers CRUD with x-org-id (an ungranted org or
// another provider's answers 404 and changes nothing), the account actions, bulk actions
// authorized per user (granted orgs changed, ungranted ones 404 and untouched), and exactly
// one event per successful mutation.
#include <algorithm>
#include <map>
#include <set>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class UsersTest : public ServiceTest {
 protected:
  std::vector<model::ActivityRecord> userEvents(const std::string& p) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p)) {
      if (e.resource_type == "user") out.push_back(std::move(e));
    }
    return out;
  }
  std::string users(const std::string& p) { return "/api/v2/providers/" + p + "/users"; }

  // A user straight into the store.
  std::string seedUser(const std::string& p, const std::string& org, const std::string& username,
                       model::UserState state = model::UserState::kActivated, bool totp = false,
                       const std::string& email = "") {
    model::SystemUserRecord r;
    r.org_id = org;
    r.username = username;
    r.email = email.empty() ? username + "@client.example" : email;
    r.state = state;
    r.totp_enabled = totp;
    auto id = app().store().transact([&](store::Tx& tx) {
      return tx.createSystemUser(model::TenantScope{p}, r, std::nullopt);
    });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }
  void lock(const std::string& p, const std::string& org, const std::string& id) {
    auto n = app().store().transact([&](store::Tx& tx) {
      return tx.recordSystemUserFailedLogin(model::TenantScope{p}, org, id, 1);
    });
    ASSERT_TRUE(n.has_value());
  }
  model::SystemUserRecord stored(const std::string& p, const std::string& org, const std::string& id) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getSystemUser(model::TenantScope{p}, org, id); });
    EXPECT_TRUE(r.has_value());
    return r ? *r : model::SystemUserRecord{};
  }
  static std::set<std::string> usernames(const json& page) {
    std::set<std::string> out;
    for (const auto& u : page["results"]) out.insert(u["username"].get<std::string>());
    return out;
  }
  HttpResponse org(const std::string& method, const std::string& path, const std::string& token,
                   const std::string& org_id, const std::string& body = "") {
    return call(method, path, token, body, {{"x-org-id", org_id}});
  }
};

TEST_P(UsersTest, ListShowsOnlyReachedOrgsWithFiltersAndPaging) {
  auto p = createProvider("MSP");
  auto other = createProvider("Other MSP");
  auto a = createOrg(p, "A"), b = createOrg(p, "B"), c = createOrg(p, "C");
  auto x = createOrg(other, "X");
  seedUser(p, a, "alice");
  auto bob = seedUser(p, a, "bob", model::UserState::kSuspended, true);
  auto carol = seedUser(p, b, "carol", model::UserState::kStaged);
  seedUser(p, c, "dave");
  seedUser(other, x, "xavier");
  lock(p, b, carol);

  auto scoped = createAdmin(p, {.role = "help_desk", .organizations = {{a}, {b}}});
  auto all = createAdmin(p, {.role = "read_only", .all_organizations = true});
  auto billing = createAdmin(p, {.role = "billing_only", .all_organizations = true});

  auto r = call("GET", users(p) + "?limit=100", scoped.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"alice", "bob", "carol"}));
  EXPECT_EQ(body(r)["totalCount"], 3);
  const json bob_json = body(r)["results"][1];
  EXPECT_EQ(bob_json["username"], "bob");
  EXPECT_EQ(bob_json["state"], "SUSPENDED");
  EXPECT_EQ(bob_json["organization"], a);
  EXPECT_EQ(bob_json["totp_enabled"], true);
  for (const char* f : {"email", "firstname", "lastname", "account_locked", "password_expired",
                        "password_expiration_date", "sudo", "passwordless_sudo",
                        "samba_service_user", "created"}) {
    EXPECT_TRUE(bob_json.contains(f)) << f;
  }
  EXPECT_FALSE(bob_json.contains("password"));
  EXPECT_FALSE(bob_json.contains("password_hash"));

  r = call("GET", users(p) + "?limit=100", all.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"alice", "bob", "carol", "dave"}));

  // Another provider's list: 404, as a missing provider.
  EXPECT_EQ(call("GET", users(other), all.token).status, 404);
  // A role without users.read anywhere.
  EXPECT_EQ(call("GET", users(p), billing.token).status, 403);

  // Filters.
  r = call("GET", users(p) + "?filter=state:eq:SUSPENDED", all.token);
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"bob"}));
  r = call("GET", users(p) + "?filter=account_locked:eq:true", all.token);
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"carol"}));
  r = call("GET", users(p) + "?filter=totp_enabled:eq:true", all.token);
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"bob"}));
  r = call("GET", users(p) + "?filter=organization:eq:" + c, all.token);
  EXPECT_EQ(usernames(body(r)), (std::set<std::string>{"dave"}));
  // Filtering on an org outside the reach shows nothing of it.
  r = call("GET", users(p) + "?filter=organization:eq:" + c, scoped.token);
  EXPECT_EQ(body(r)["totalCount"], 0);
  r = call("GET", users(p) + "?filter=password_expired:eq:false", scoped.token);
  EXPECT_EQ(body(r)["totalCount"], 3);
  EXPECT_EQ(call("GET", users(p) + "?filter=nope:eq:1", all.token).status, 400);

  // Paging and sort.
  r = call("GET", users(p) + "?limit=2&skip=1&sort=-username", all.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 4);
  ASSERT_EQ(body(r)["results"].size(), 2u);
  EXPECT_EQ(body(r)["results"][0]["username"], "carol");
  EXPECT_EQ(body(r)["results"][1]["username"], "bob");
}

TEST_P(UsersTest, SystemUsersCrudWithinTheHeaderOrg) {
  auto p = createProvider("MSP");
  auto other = createProvider("Other MSP");
  auto a = createOrg(p, "A"), b = createOrg(p, "B");
  auto x = createOrg(other, "X");
  auto admin = createAdmin(p, {.role = "admin", .organizations = {{a}}});
  auto in_b = seedUser(p, b, "bella");
  auto in_x = seedUser(other, x, "xavier");

  auto r = org("POST", "/api/systemusers", admin.token, a,
               R"({"username":"alice","email":"alice@client.example","firstname":"Alice",)"
               R"("password":"correct horse battery","sudo":true,"state":"STAGED"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = body(r)["id"];
  EXPECT_EQ(body(r)["state"], "STAGED");
  EXPECT_EQ(body(r)["sudo"], true);
  EXPECT_EQ(body(r)["organization"], a);
  EXPECT_EQ(r.body.find("correct horse"), std::string::npos);
  EXPECT_EQ(org("POST", "/api/systemusers", admin.token, a, R"({"username":"ALICE"})").status, 409);
  EXPECT_EQ(org("POST", "/api/systemusers", admin.token, a, R"({"username":"z","role":"x"})").status, 400);

  r = org("GET", "/api/systemusers/" + id, admin.token, a);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["firstname"], "Alice");
  r = org("GET", "/api/systemusers", admin.token, a);
  EXPECT_EQ(body(r)["totalCount"], 1);

  r = org("PUT", "/api/systemusers/" + id, admin.token, a, R"({"lastname":"Liddell","sudo":false})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["lastname"], "Liddell");
  EXPECT_EQ(body(r)["sudo"], false);
  EXPECT_EQ(org("PUT", "/api/systemusers/" + id, admin.token, a, R"({"state":"ACTIVATED"})").status, 400);

  // The user is not visible through another org, granted or not.
  EXPECT_EQ(org("GET", "/api/systemusers/" + id, admin.token, b).status, 404);
  // An ungranted org's user, and another provider's: 404, and nothing changes.
  EXPECT_EQ(org("GET", "/api/systemusers/" + in_b, admin.token, b).status, 404);
  EXPECT_EQ(org("PUT", "/api/systemusers/" + in_b, admin.token, b, R"({"lastname":"X"})").status, 404);
  EXPECT_EQ(org("DELETE", "/api/systemusers/" + in_b, admin.token, b).status, 404);
  EXPECT_EQ(org("GET", "/api/systemusers/" + in_x, admin.token, x).status, 404);
  EXPECT_EQ(org("DELETE", "/api/systemusers/" + in_x, admin.token, x).status, 404);
  EXPECT_EQ(org("GET", "/api/systemusers", admin.token, b).status, 404);
  EXPECT_EQ(org("POST", "/api/systemusers", admin.token, x, R"({"username":"evil"})").status, 404);
  EXPECT_EQ(stored(p, b, in_b).lastname, "");
  EXPECT_EQ(stored(other, x, in_x).username, "xavier");

  // Actions.
  r = org("POST", "/api/systemusers/" + id + "/state/activate", admin.token, a);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["state"], "ACTIVATED");
  lock(p, a, id);
  EXPECT_TRUE(stored(p, a, id).account_locked);
  r = org("POST", "/api/systemusers/" + id + "/unlock", admin.token, a);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["account_locked"], false);
  r = org("POST", "/api/systemusers/" + id + "/expire", admin.token, a);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["password_expired"], true);
  auto emails = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p}, false, 10); });
  ASSERT_TRUE(emails.has_value());
  ASSERT_EQ(emails->size(), 1u);
  EXPECT_EQ((*emails)[0].to_address, "alice@client.example");

  EXPECT_EQ(org("DELETE", "/api/systemusers/" + id, admin.token, a).status, 204);
  EXPECT_EQ(org("GET", "/api/systemusers/" + id, admin.token, a).status, 404);

  // One event per mutation, in order (newest first), each with the user's org.
  std::vector<std::string> types;
  for (const auto& e : userEvents(p)) {
    types.push_back(e.event_type);
    EXPECT_EQ(e.organization, a);
    EXPECT_EQ(e.initiated_by_id, admin.id);
    EXPECT_EQ(e.changes_json.find("correct horse"), std::string::npos);
  }
  // Events of the same second come in id order: compare as a set of one each.
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"user_activated", "user_create", "user_delete",
                                             "user_password_expired", "user_unlocked", "user_update"}));
  EXPECT_TRUE(userEvents(other).empty());
}

TEST_P(UsersTest, RolesDecideTheSingleActions) {
  auto p = createProvider("MSP");
  auto a = createOrg(p, "A");
  auto u = seedUser(p, a, "alice");
  auto help = createAdmin(p, {.role = "help_desk", .organizations = {{a}}});
  auto ro = createAdmin(p, {.role = "read_only", .organizations = {{a}}});
  EXPECT_EQ(org("POST", "/api/systemusers", help.token, a, R"({"username":"new"})").status, 403);
  EXPECT_EQ(org("DELETE", "/api/systemusers/" + u, help.token, a).status, 403);
  EXPECT_EQ(org("POST", "/api/systemusers/" + u + "/unlock", help.token, a).status, 200);
  EXPECT_EQ(org("GET", "/api/systemusers/" + u, ro.token, a).status, 200);
  EXPECT_EQ(org("POST", "/api/systemusers/" + u + "/expire", ro.token, a).status, 403);
  EXPECT_EQ(userEvents(p).size(), 1u);
}

TEST_P(UsersTest, BulkActionsChangeOnlyTheGrantedOrgs) {
  auto p = createProvider("MSP");
  auto other = createProvider("Other MSP");
  auto a = createOrg(p, "A"), b = createOrg(p, "B"), c = createOrg(p, "C");
  auto x = createOrg(other, "X");
  auto ua = seedUser(p, a, "alice"), ub = seedUser(p, b, "bob"), uc = seedUser(p, c, "carol");
  auto ux = seedUser(other, x, "xavier");
  for (auto [o, id] : {std::pair{a, ua}, std::pair{b, ub}, std::pair{c, uc}}) lock(p, o, id);
  lock(other, x, ux);
  // help_desk in A; read_only in B (reads, may not unlock); nothing in C.
  auto admin = createAdmin(p, {.role = "help_desk", .organizations = {{a}, {b, "read_only"}}});

  json req = {{"action", "unlock"},
              {"users", json::array({{{"organization", a}, {"id", ua}},
                                     {{"organization", b}, {"id", ub}},
                                     {{"organization", c}, {"id", uc}},
                                     {{"organization", x}, {"id", ux}},
                                     {{"organization", a}, {"id", "missing"}}})}};
  auto r = call("POST", users(p) + "/actions", admin.token, req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto res = body(r)["results"];
  ASSERT_EQ(res.size(), 5u);
  EXPECT_EQ(res[0]["status"], 200);
  EXPECT_EQ(res[0]["id"], ua);
  EXPECT_EQ(res[1]["status"], 403);  // reached, but the role there lacks users.unlock
  EXPECT_EQ(res[2]["status"], 404);
  EXPECT_EQ(res[3]["status"], 404);
  EXPECT_EQ(res[4]["status"], 404);
  EXPECT_FALSE(res[0].contains("error"));
  EXPECT_TRUE(res[2].contains("error"));

  EXPECT_FALSE(stored(p, a, ua).account_locked);
  EXPECT_TRUE(stored(p, b, ub).account_locked);
  EXPECT_TRUE(stored(p, c, uc).account_locked);
  EXPECT_TRUE(stored(other, x, ux).account_locked);
  auto ev = userEvents(p);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event_type, "user_unlocked");
  EXPECT_EQ(ev[0].resource_id, ua);
  EXPECT_TRUE(userEvents(other).empty());

  // Suspend: one event per user changed.
  auto all = createAdmin(p, {.role = "admin", .all_organizations = true});
  req = {{"action", "suspend"},
         {"users", json::array({{{"organization", a}, {"id", ua}}, {{"organization", c}, {"id", uc}},
                                {{"organization", x}, {"id", ux}}})}};
  r = call("POST", users(p) + "/actions", all.token, req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  res = body(r)["results"];
  EXPECT_EQ(res[0]["status"], 200);
  EXPECT_EQ(res[1]["status"], 200);
  EXPECT_EQ(res[2]["status"], 404);
  EXPECT_EQ(stored(p, c, uc).state, model::UserState::kSuspended);
  EXPECT_EQ(stored(other, x, ux).state, model::UserState::kActivated);
  EXPECT_EQ(userEvents(p).size(), 3u);

  // force_password_reset queues an email per user; resend_activation needs a STAGED user.
  auto staged = seedUser(p, a, "sam", model::UserState::kStaged);
  req = {{"action", "resend_activation"},
         {"users", json::array({{{"organization", a}, {"id", staged}}, {{"organization", a}, {"id", ua}}})}};
  r = call("POST", users(p) + "/actions", all.token, req.dump());
  res = body(r)["results"];
  EXPECT_EQ(res[0]["status"], 200);
  EXPECT_EQ(res[1]["status"], 412);
  req = {{"action", "force_password_reset"}, {"users", json::array({{{"organization", b}, {"id", ub}}})}};
  r = call("POST", users(p) + "/actions", all.token, req.dump());
  EXPECT_EQ(body(r)["results"][0]["status"], 200);
  EXPECT_TRUE(stored(p, b, ub).password_expired);
  auto emails = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p}, false, 10); });
  ASSERT_TRUE(emails.has_value());
  EXPECT_EQ(emails->size(), 2u);
  EXPECT_EQ(userEvents(p).size(), 5u);

  // Malformed requests.
  EXPECT_EQ(call("POST", users(p) + "/actions", all.token, R"({"action":"delete","users":[]})").status, 400);
  EXPECT_EQ(call("POST", users(p) + "/actions", all.token,
                 R"({"action":"unlock","users":[{"organization":"o","id":"i","x":1}]})").status, 400);
  EXPECT_EQ(call("POST", users(p) + "/actions", all.token, R"({"action":"unlock","users":[],"y":1})").status, 400);
  EXPECT_EQ(call("POST", users(other) + "/actions", all.token, req.dump()).status, 404);
}

// Issue 10.1: an org launch token acts in its one org only, item by item too (the bulk check
// once skipped the token's scope and suspended users of other orgs).
TEST_P(UsersTest, BulkActionsWithALaunchTokenStayInItsOrg) {
  auto p = createProvider("MSP");
  auto a = createOrg(p, "A"), b = createOrg(p, "B");
  auto ua = seedUser(p, a, "alice"), ub = seedUser(p, b, "bob");
  for (const std::string role : {"admin_billing", "help_desk"}) {
    auto admin = createAdmin(p, {.role = role, .all_organizations = true});
    auto r = call("POST", "/api/v2/providers/" + p + "/organizations/" + a + "/launch", admin.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string launch = body(r)["token"];
    for (const std::string action : {"suspend", "force_password_reset"}) {
      json req = {{"action", action},
                  {"users", json::array({{{"organization", b}, {"id", ub}}})}};
      r = call("POST", users(p) + "/actions", launch, req.dump());
      ASSERT_EQ(r.status, 200) << r.body;
      auto res = body(r)["results"];
      ASSERT_EQ(res.size(), 1u);
      EXPECT_EQ(res[0]["status"], 404) << role << " " << action;
      EXPECT_EQ(stored(p, b, ub).state, model::UserState::kActivated) << role << " " << action;
      EXPECT_FALSE(stored(p, b, ub).password_expired) << role << " " << action;
    }
    // Its own org is acted on.
    json req = {{"action", "force_password_reset"},
                {"users", json::array({{{"organization", a}, {"id", ua}}})}};
    r = call("POST", users(p) + "/actions", launch, req.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r)["results"][0]["status"], 200) << role;
  }
  EXPECT_TRUE(stored(p, a, ua).password_expired);
  for (const auto& e : userEvents(p)) EXPECT_EQ(e.resource_id, ua);
}

MTP_SERVICE_BACKENDS(UsersTest);

}  // namespace
}  // namespace mtp::testing
