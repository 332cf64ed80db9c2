// Issue 12 item 5 over real HTTP on both backends: the user cap (the org's maxSystemUsers and
// the provider's cap: 409, nothing written, race-free under concurrent creates), the state a
// created user gets (ACTIVATED with a password unless STAGED is asked), resetting a user's
// MFA (route and bulk), an admin's API key prefix and creation date, Home's Total Users and
// Total Organizations, removing an all-orgs admin from one org, and org applications.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class UserGapsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    owner_ = createAdmin(p_, {.role = "admin_billing", .all_organizations = true});
  }

  HttpResponse createUser(const std::string& org, const json& b, const std::string& token = "") {
    return call("POST", "/api/systemusers", token.empty() ? owner_.token : token, b.dump(), {{"x-org-id", org}});
  }
  std::int64_t userCount(const std::string& org) {
    auto r = call("GET", "/api/systemusers", owner_.token, "", {{"x-org-id", org}});
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r).value("totalCount", -1);
  }
  std::vector<std::string> eventTypes(const std::string& resource_type) {
    std::vector<std::string> out;
    for (const auto& e : activity(p_))
      if (e.resource_type == resource_type) out.push_back(e.event_type);
    return out;
  }
  std::string seedUser(const std::string& org, const std::string& username, model::UserState state,
                       bool totp = false) {
    model::SystemUserRecord r;
    r.org_id = org;
    r.username = username;
    r.email = username + "@client.example";
    r.state = state;
    r.totp_enabled = totp;
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createSystemUser(model::TenantScope{p_}, r, std::nullopt); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }
  void setProviderCap(std::optional<std::int64_t> cap) {
    model::BillingSettingsRecord s;
    s.price_per_user_cents = 300;
    s.user_cap = cap;
    ASSERT_TRUE(app().store().transact([&](store::Tx& tx) {
      return tx.putBillingSettings(model::TenantScope{p_}, s);
    }).has_value());
  }

  std::string p_;
  SeededAdmin owner_;
};

TEST_P(UserGapsTest, OrgCapAndProviderCapRefuseTheNextUserWithNothingWritten) {
  auto org = createOrg(p_, "Capped");
  auto r = call("PUT", "/api/v2/providers/" + p_ + "/organizations/" + org, owner_.token, R"({"maxSystemUsers":2})");
  ASSERT_EQ(r.status, 200) << r.body;
  for (const char* name : {"u1", "u2"}) ASSERT_EQ(createUser(org, {{"username", name}}).status, 201);
  const auto events = activity(p_).size();
  r = createUser(org, {{"username", "u3"}, {"email", "u3@client.example"}});
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "conflict");
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("maxSystemUsers"), std::string::npos) << r.body;
  EXPECT_EQ(userCount(org), 2);
  EXPECT_EQ(activity(p_).size(), events);  // no event, no activation email
  auto mail = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p_}, false, 100); });
  ASSERT_TRUE(mail.has_value());
  for (const auto& m : *mail) EXPECT_NE(m.to_address, "u3@client.example");

  // The provider's cap counts every org's users: 2 here + 1 elsewhere = 3.
  auto other = createOrg(p_, "Other");
  ASSERT_EQ(createUser(other, {{"username", "o1"}}).status, 201);
  setProviderCap(3);
  r = createUser(other, {{"username", "o2"}});
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("user cap"), std::string::npos) << r.body;
  EXPECT_EQ(userCount(other), 1);
  setProviderCap(std::nullopt);
  EXPECT_EQ(createUser(other, {{"username", "o2"}}).status, 201);
}

TEST_P(UserGapsTest, ConcurrentCreatesNeverOvershootTheCap) {
  auto org = createOrg(p_, "Race");
  ASSERT_EQ(call("PUT", "/api/v2/providers/" + p_ + "/organizations/" + org, owner_.token, R"({"maxSystemUsers":3})").status, 200);
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = createUser(org, {{"username", "racer" + std::to_string(i)}});
      if (r.status == 201) ++created;
      else if (r.status == 409) ++refused;
      else ADD_FAILURE() << r.status << " " << r.body;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 3);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(userCount(org), 3);
}

TEST_P(UserGapsTest, CreatedUserStateFollowsThePassword) {
  auto org = createOrg(p_, "Client");
  const std::string pw = "correct horse battery staple";
  auto r = createUser(org, {{"username", "withpw"}, {"email", "withpw@client.example"}, {"password", pw}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["state"], "ACTIVATED");
  r = createUser(org, {{"username", "staged"}, {"password", pw}, {"state", "STAGED"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["state"], "STAGED");
  r = createUser(org, {{"username", "staged2"}, {"password", pw}, {"activated", false}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["state"], "STAGED");
  EXPECT_EQ(createUser(org, {{"username", "bad"}, {"state", "STAGED"}, {"activated", true}}).status, 400);
  r = createUser(org, {{"username", "nopw"}, {"email", "nopw@client.example"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["state"], "STAGED");
  // Only the user without a password gets the activation email.
  auto mail = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p_}, false, 100); });
  ASSERT_TRUE(mail.has_value());
  std::set<std::string> to;
  for (const auto& m : *mail) to.insert(m.to_address);
  EXPECT_EQ(to, (std::set<std::string>{"nopw@client.example"}));
}

TEST_P(UserGapsTest, ResetMfaClearsTheEnrollmentByRouteAndInBulk) {
  auto a = createOrg(p_, "A"), b = createOrg(p_, "B");
  auto ua = seedUser(a, "alice", model::UserState::kActivated, true);
  auto ub = seedUser(b, "bob", model::UserState::kActivated, true);
  auto ub2 = seedUser(b, "bea", model::UserState::kActivated, true);
  auto desk = createAdmin(p_, {.role = "help_desk", .organizations = {{a}}});
  auto runner = createAdmin(p_, {.role = "command_runner", .organizations = {{a}, {b}}});

  EXPECT_EQ(call("POST", "/api/systemusers/" + ua + "/resetmfa", runner.token, "", {{"x-org-id", a}}).status, 403);
  EXPECT_EQ(call("POST", "/api/systemusers/" + ub + "/resetmfa", desk.token, "", {{"x-org-id", b}}).status, 404);
  auto r = call("POST", "/api/systemusers/" + ua + "/resetmfa", desk.token, "", {{"x-org-id", a}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totp_enabled"], false);

  // Bulk: b is outside the help desk's reach (404, untouched).
  json req = {{"action", "reset_mfa"},
              {"users", json::array({{{"organization", b}, {"id", ub}}, {{"organization", b}, {"id", ub2}}})}};
  r = call("POST", "/api/v2/providers/" + p_ + "/users/actions", desk.token, req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json page1 = body(r);
  for (const auto& item : page1["results"]) EXPECT_EQ(item["status"], 404);
  r = call("POST", "/api/v2/providers/" + p_ + "/users/actions", owner_.token, req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json page2 = body(r);
  for (const auto& item : page2["results"]) EXPECT_EQ(item["status"], 200) << item;
  r = call("GET", "/api/systemusers/" + ub, owner_.token, "", {{"x-org-id", b}});
  EXPECT_EQ(body(r)["totp_enabled"], false);
  auto types = eventTypes("user");
  EXPECT_EQ(std::count(types.begin(), types.end(), "user_mfa_reset"), 3);
}

TEST_P(UserGapsTest, AdminApiKeyPrefixAndCreationDateNeverTheKey) {
  auto a = createAdmin(p_, {.role = "admin", .all_organizations = true, .api_key_allowed = true});
  const std::string path = "/api/v2/providers/" + p_ + "/administrators/" + a.id;
  auto r = call("GET", path, owner_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body(r)["apiKeyPrefix"].is_null());
  EXPECT_TRUE(body(r)["apiKeyCreated"].is_null());
  auto key = call("POST", "/api/v2/me/apikey", a.token);
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string api_key = body(key)["apiKey"];
  r = call("GET", path, owner_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["apiKeyPrefix"], api_key.substr(4, 4));
  EXPECT_TRUE(body(r)["apiKeyCreated"].is_string());
  EXPECT_EQ(r.body.find(api_key), std::string::npos);
  r = call("GET", "/api/v2/providers/" + p_ + "/administrators?limit=100", owner_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  bool seen = false;
  const json page3 = body(r);
  for (const auto& x : page3["results"]) {
    if (x["id"] == a.id) {
      seen = true;
      EXPECT_EQ(x["apiKeyPrefix"], api_key.substr(4, 4));
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(r.body.find(api_key), std::string::npos);
}

TEST_P(UserGapsTest, HomeTotalUsersAndOrganizationsCountTheReachedOrgs) {
  auto a = createOrg(p_, "A"), b = createOrg(p_, "B"), c = createOrg(p_, "C");
  seedUser(a, "a1", model::UserState::kActivated);
  seedUser(a, "a2", model::UserState::kStaged);
  seedUser(b, "b1", model::UserState::kSuspended);
  seedUser(c, "c1", model::UserState::kActivated);
  auto other = createProvider("Other");
  auto x = createOrg(other, "X");
  model::SystemUserRecord xu;
  xu.org_id = x;
  xu.username = "xavier";
  ASSERT_TRUE(app().store().transact([&](store::Tx& tx) {
    return tx.createSystemUser(model::TenantScope{other}, xu, std::nullopt);
  }).has_value());
  auto scoped = createAdmin(p_, {.role = "help_desk", .organizations = {{a}, {b}}});
  const std::string home = "/api/v2/providers/" + p_ + "/home";
  auto counts = [&](const std::string& token) {
    std::map<std::string, std::int64_t> out;
    auto r = call("GET", home, token);
    EXPECT_EQ(r.status, 200) << r.body;
    const json page4 = body(r);
    for (const auto& w : page4["widgets"]) out[w["id"].get<std::string>()] = w["count"].get<std::int64_t>();
    return out;
  };
  auto all = counts(owner_.token);
  EXPECT_EQ(all["total_users"], 4);
  EXPECT_EQ(all["total_organizations"], 3);
  auto some = counts(scoped.token);
  EXPECT_EQ(some["total_users"], 3);
  EXPECT_EQ(some["total_organizations"], 2);
  auto r = call("GET", home + "/total_organizations", scoped.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 2);
  ASSERT_EQ(body(r)["results"].size(), 2u);
  EXPECT_EQ(body(r)["results"][0]["name"], "A");
  EXPECT_EQ(body(r)["results"][0]["userCount"], 2);
  r = call("GET", home + "/total_users?limit=100", scoped.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["results"].size(), 3u);
}

TEST_P(UserGapsTest, AllOrgsAdminRemovedFromOneOrgKeepsEveryOtherOrg) {
  auto a = createOrg(p_, "A"), b = createOrg(p_, "B"), c = createOrg(p_, "C");
  auto all = createAdmin(p_, {.role = "manager", .all_organizations = true});
  auto admin = createAdmin(p_, {.role = "admin", .all_organizations = true});
  const std::string links = "/api/v2/organizations/" + b + "/administratorlinks";
  auto ids = [&](const std::string& org) {
    std::set<std::string> out;
    auto r = call("GET", "/api/v2/organizations/" + org + "/administratorlinks?limit=100", owner_.token);
    EXPECT_EQ(r.status, 200) << r.body;
    const json page5 = body(r);
    for (const auto& x : page5["results"]) out.insert(x["id"].get<std::string>());
    return out;
  };
  ASSERT_TRUE(ids(b).contains(all.id));
  // Only admins.grant_access may do it.
  EXPECT_EQ(call("DELETE", links + "/" + all.id, admin.token).status, 403);
  auto r = call("DELETE", links + "/" + all.id, owner_.token);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_FALSE(ids(b).contains(all.id));
  EXPECT_TRUE(ids(a).contains(all.id));
  EXPECT_TRUE(ids(c).contains(all.id));
  r = call("GET", "/api/v2/providers/" + p_ + "/administrators/" + all.id, owner_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["allOrganizations"], false);
  EXPECT_EQ(body(r)["organizations"].size(), 2u);
  // Their session now reaches A and C only.
  EXPECT_EQ(call("GET", "/api/systemusers", all.token, "", {{"x-org-id", b}}).status, 404);
  EXPECT_EQ(call("GET", "/api/systemusers", all.token, "", {{"x-org-id", a}}).status, 200);
  // A second removal is of a per-org grant; one more of B is 404.
  EXPECT_EQ(call("DELETE", links + "/" + all.id, owner_.token).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v2/organizations/" + a + "/administratorlinks/" + all.id, owner_.token).status, 204);
  EXPECT_FALSE(ids(a).contains(all.id));
  // Exactly one admin_update event per removal.
  auto types = eventTypes("admin");
  EXPECT_EQ(std::count(types.begin(), types.end(), "admin_update"), 2);
}

TEST_P(UserGapsTest, OrgApplicationsMakeApplicationCountReal) {
  auto a = createOrg(p_, "A"), b = createOrg(p_, "B");
  auto reader = createAdmin(p_, {.role = "read_only", .organizations = {{a}}});
  const std::string apps = "/api/v2/providers/" + p_ + "/organizations/" + a + "/applications";
  auto r = call("POST", apps, owner_.token, R"({"name":"Salesforce","type":"saml"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = body(r)["id"];
  EXPECT_EQ(body(r)["type"], "saml");
  EXPECT_EQ(call("POST", apps, owner_.token, R"({"name":"salesforce","type":"oidc"})").status, 409);
  EXPECT_EQ(call("POST", apps, owner_.token, R"({"name":"X","type":"ldap"})").status, 400);
  EXPECT_EQ(call("POST", apps, owner_.token, R"({"name":"","type":"oidc"})").status, 400);
  ASSERT_EQ(call("POST", apps, owner_.token, R"({"name":"Slack","type":"oidc"})").status, 201);
  EXPECT_EQ(call("POST", apps, reader.token, R"({"name":"Zoom","type":"oidc"})").status, 403);
  r = call("GET", apps, reader.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["totalCount"], 2);
  EXPECT_EQ(body(r)["results"][0]["name"], "Salesforce");
  r = call("GET", "/api/v2/providers/" + p_ + "/organizations/" + a, owner_.token);
  EXPECT_EQ(body(r)["applicationCount"], 2);
  r = call("GET", "/api/v2/providers/" + p_ + "/organizations/" + b, owner_.token);
  EXPECT_EQ(body(r)["applicationCount"], 0);
  // An application is only found through its own org.
  EXPECT_EQ(call("DELETE", "/api/v2/providers/" + p_ + "/organizations/" + b + "/applications/" + id, owner_.token).status, 404);
  EXPECT_EQ(call("DELETE", apps + "/" + id, reader.token).status, 403);
  EXPECT_EQ(call("DELETE", apps + "/" + id, owner_.token).status, 204);
  EXPECT_EQ(call("DELETE", apps + "/" + id, owner_.token).status, 404);
  r = call("GET", "/api/v2/providers/" + p_ + "/organizations/" + a, owner_.token);
  EXPECT_EQ(body(r)["applicationCount"], 1);
  auto types = eventTypes("application");
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"application_create", "application_create", "application_delete"}));
}

MTP_SERVICE_BACKENDS(UserGapsTest);

}  // namespace
}  // namespace mtp::testing
