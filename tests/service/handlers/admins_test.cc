// The MSP's administrators over real HTTP on both backends: list, create (active with a
// password, pending with an activation email), edit, delete, suspend/restore, password and
// TOTP reset, and the activity events they write.
#include <regex>

#include "app/one_time_token.h"
#include "auth/api_key.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class AdminsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p = createProvider("Provider A");
    o1 = createOrg(p, "Org One");
    o2 = createOrg(p, "Org Two");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  }

  std::string admins() const { return "/api/v2/providers/" + p + "/administrators"; }
  std::string admin(const std::string& id) const { return admins() + "/" + id; }

  int count(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }

  // Events other than the pipeline's access_denied (every denial writes one).
  std::size_t changeEvents() {
    std::size_t n = 0;
    for (const auto& e : activity(p)) n += e.event_type != "access_denied";
    return n;
  }

  std::vector<model::EmailRecord> emails() {
    auto r = app().store().query(
        [&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p}, false, 100); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(std::vector<model::EmailRecord>{});
  }

  model::AdminRecord row(const std::string& provider, const std::string& id) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.getAdmin(model::TenantScope{provider}, id); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(model::AdminRecord{});
  }

  // The token of the one-time link in an email body (64 hex characters after `token=`).
  static std::string linkToken(const std::string& body, const std::string& path) {
    std::smatch m;
    if (!std::regex_search(body, m, std::regex(path + "\\?token=([0-9a-f]{64})"))) return "";
    return m[1];
  }

  std::string p, o1, o2;
  SeededAdmin owner;
};

TEST_P(AdminsTest, ListSortsFiltersAndPages) {
  createAdmin(p, SeedAdmin{.role = "help_desk", .email = "carol@msp.example"});
  createAdmin(p, SeedAdmin{.role = "help_desk", .email = "alice@msp.example"});
  createAdmin(p, SeedAdmin{.role = "manager", .organizations = {{o1, ""}}, .email = "bob@msp.example"});

  auto r = call("GET", admins() + "?limit=100", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["totalCount"], 4);
  ASSERT_EQ(j["results"].size(), 4u);
  for (const auto& a : j["results"]) {
    for (const char* f : {"id", "email", "firstname", "lastname", "roleName", "status", "apiKeyAllowed",
                          "apiKeySet", "enableMultiFactor", "totpEnrolled", "allOrganizations",
                          "organizationAccessTotal", "created"})
      EXPECT_TRUE(a.contains(f)) << f;
    EXPECT_FALSE(a.contains("password"));
    EXPECT_FALSE(a.contains("passwordHash"));
  }

  r = call("GET", admins() + "?filter=roleName:eq:help_desk&sort=-email", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  j = body(r);
  EXPECT_EQ(j["totalCount"], 2);
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_EQ(j["results"][0]["email"], "carol@msp.example");
  EXPECT_EQ(j["results"][1]["email"], "alice@msp.example");

  // admin_billing-...@ (the owner), alice, bob, carol
  r = call("GET", admins() + "?sort=email&limit=1&skip=2", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  j = body(r);
  EXPECT_EQ(j["totalCount"], 4);
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["email"], "bob@msp.example");
  EXPECT_EQ(j["results"][0]["organizationAccessTotal"], 1);

  EXPECT_EQ(call("GET", admins() + "?sort=passwordHash", owner.token).status, 400);
  EXPECT_EQ(call("GET", admins() + "?filter=password_hash:eq:x", owner.token).status, 400);
  EXPECT_EQ(call("GET", admins() + "?limit=101", owner.token).status, 400);
}

TEST_P(AdminsTest, CreateWithPasswordIsActiveAtOnce) {
  const std::string password = "correct horse battery staple";
  json req = {{"email", "dana@msp.example"}, {"firstname", "Dana"}, {"lastname", "Lee"},
              {"roleName", "manager"}, {"organizations", {{{"organization", o1}}}}, {"password", password}};
  auto r = call("POST", admins(), owner.token, req.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["status"], "active");
  EXPECT_EQ(j["roleName"], "manager");
  EXPECT_EQ(j["apiKeyAllowed"], false);
  ASSERT_EQ(j["organizations"].size(), 1u);
  EXPECT_EQ(j["organizations"][0]["organization"], o1);
  EXPECT_EQ(r.body.find(password), std::string::npos);
  const std::string id = j["id"];

  auto got = call("GET", admin(id), owner.token);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(body(got)["email"], "dana@msp.example");

  auto creds = app().store().query([&](store::Tx& tx) { return tx.getAdminCredentials(model::TenantScope{p}, id); });
  ASSERT_TRUE(creds.has_value());
  ASSERT_TRUE(creds->password_hash.has_value());
  EXPECT_EQ(app().passwords().verify(*creds->password_hash, password), auth::PasswordStatus::kOk);

  EXPECT_EQ(count("admin_create"), 1);
  EXPECT_TRUE(emails().empty());
  for (const auto& e : activity(p)) {
    EXPECT_EQ(e.changes_json.find(password), std::string::npos);
    EXPECT_EQ(e.changes_json.find("password"), std::string::npos);
    if (e.event_type == "admin_create") {
      EXPECT_EQ(e.resource_id, id);
      EXPECT_EQ(e.initiated_by_id, owner.id);
      EXPECT_EQ(e.initiated_by_email, owner.email);
    }
  }

  // The new admin is decided on at once (the directory was refreshed).
  auto token = mintToken(p, id);
  EXPECT_EQ(call("GET", admins(), token).status, 200);
}

TEST_P(AdminsTest, CreateWithoutPasswordIsPendingWithAnActivationEmail) {
  json req = {{"email", "erin@msp.example"}, {"roleName", "help_desk"}, {"allOrganizations", true}};
  auto r = call("POST", admins(), owner.token, req.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["status"], "pending");

  auto mails = emails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to_address, "erin@msp.example");
  const std::string token = linkToken(mails[0].body, "/activate");
  ASSERT_FALSE(token.empty()) << mails[0].body;
  EXPECT_NE(mails[0].body.find(app().config().public_url + "/activate?token="), std::string::npos);

  // Only the hash is stored: the token itself is not a stored hash, its hash is.
  auto by_raw = app().store().transact(
      [&](store::Tx& tx) { return tx.consumeToken(token, model::TokenKind::kActivation, now()); });
  EXPECT_FALSE(by_raw.has_value());
  auto by_hash = app().store().transact([&](store::Tx& tx) {
    return tx.consumeToken(app::hashOneTimeToken(token), model::TokenKind::kActivation, now());
  });
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_EQ(by_hash->admin_id, body(r)["id"]);
  EXPECT_NE(by_hash->token_hash, token);

  EXPECT_EQ(count("admin_create"), 1);
  for (const auto& e : activity(p)) EXPECT_EQ(e.changes_json.find(token), std::string::npos);
  EXPECT_EQ(r.body.find(token), std::string::npos);
}

TEST_P(AdminsTest, CreateRefusedWithoutAdminsCreateWritesNothing) {
  auto plain = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true});
  const auto before = changeEvents();
  json req = {{"email", "frank@msp.example"}, {"roleName", "help_desk"}, {"password", "a long enough password"}};
  auto r = call("POST", admins(), plain.token, req.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "permission_denied");
  auto found = app().store().query(
      [&](store::Tx& tx) { return tx.getAdminByEmail(model::TenantScope{p}, "frank@msp.example"); });
  EXPECT_FALSE(found.has_value());
  EXPECT_EQ(changeEvents(), before);
  EXPECT_TRUE(emails().empty());
}

TEST_P(AdminsTest, CreateValidates) {
  auto post = [&](const json& j) { return call("POST", admins(), owner.token, j.dump()); };
  EXPECT_EQ(post({{"roleName", "help_desk"}}).status, 400);                                   // no email
  EXPECT_EQ(post({{"email", "not-an-email"}, {"roleName", "help_desk"}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}}).status, 400);                                  // no role
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "superuser"}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"}, {"status", "active"}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"}, {"password", "short"}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"},
                  {"organizations", {{{"organization", o1}, {"bogus", 1}}}}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"},
                  {"organizations", {{{"organization", o1}, {"roleName", "nope"}}}}}).status, 400);
  EXPECT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"},
                  {"organizations", {{{"organization", o1}, {"expiresAt", "2001-01-01T00:00:00Z"}}}}}).status, 400);
  // Another provider's org answers like an unknown one.
  auto q = createProvider("Provider B");
  auto foreign = createOrg(q, "Their Org");
  auto a = post({{"email", "g@msp.example"}, {"roleName", "help_desk"}, {"organizations", {{{"organization", foreign}}}}});
  auto b = post({{"email", "g@msp.example"}, {"roleName", "help_desk"}, {"organizations", {{{"organization", "nope"}}}}});
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(b.status, 400);
  EXPECT_EQ(body(a)["error"]["message"].get<std::string>().find(foreign) != std::string::npos,
            body(b)["error"]["message"].get<std::string>().find("nope") != std::string::npos);
  EXPECT_EQ(count("admin_create"), 0);

  ASSERT_EQ(post({{"email", "g@msp.example"}, {"roleName", "help_desk"}}).status, 201);
  auto dup = post({{"email", "G@MSP.example"}, {"roleName", "manager"}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(count("admin_create"), 1);
}

TEST_P(AdminsTest, UpdateRecordsChangesAndRevokesKeysWhenApiAccessEnds) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o1, ""}}, .api_key_allowed = true});
  auto key = auth::generateApiKey();
  auto put = app().store().transact([&](store::Tx& tx) {
    return tx.replaceApiKey(model::TenantScope{p}, t.id, key.prefix, app().apiKeys().hash(key.key));
  });
  ASSERT_TRUE(put.has_value());
  ASSERT_EQ(callWithKey("GET", admins(), key.key).status, 200);

  json req = {{"roleName", "manager"}, {"firstname", "Tess"}, {"apiKeyAllowed", false},
              {"organizations", {{{"organization", o1}}, {{"organization", o2}, {"roleName", "help_desk"}}}}};
  auto r = call("PUT", admin(t.id), owner.token, req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["roleName"], "manager");
  EXPECT_EQ(j["firstname"], "Tess");
  EXPECT_EQ(j["apiKeyAllowed"], false);
  EXPECT_EQ(j["apiKeySet"], false);
  EXPECT_EQ(j["organizations"].size(), 2u);

  EXPECT_EQ(callWithKey("GET", admins(), key.key).status, 401);  // revoked at once

  EXPECT_EQ(count("admin_update"), 1);
  for (const auto& e : activity(p)) {
    if (e.event_type != "admin_update") continue;
    auto changes = json::parse(e.changes_json);
    bool role = false;
    for (const auto& c : changes) {
      if (c["field"] == "roleName") {
        role = true;
        EXPECT_EQ(c["from"], "help_desk");
        EXPECT_EQ(c["to"], "manager");
      }
    }
    EXPECT_TRUE(role) << e.changes_json;
  }

  // Nothing changes: no write, no event.
  ASSERT_EQ(call("PUT", admin(t.id), owner.token, json{{"firstname", "Tess"}}.dump()).status, 200);
  EXPECT_EQ(count("admin_update"), 1);

  // Unknown field, unknown role.
  EXPECT_EQ(call("PUT", admin(t.id), owner.token, json{{"status", "active"}}.dump()).status, 400);
  EXPECT_EQ(call("PUT", admin(t.id), owner.token, json{{"roleName", "root"}}.dump()).status, 400);
  // Email taken.
  EXPECT_EQ(call("PUT", admin(t.id), owner.token, json{{"email", owner.email}}.dump()).status, 409);
  EXPECT_EQ(count("admin_update"), 1);
}

TEST_P(AdminsTest, DeleteRevokesAccessAndCannotTargetSelf) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .all_organizations = true});
  ASSERT_EQ(call("GET", admins(), t.token).status, 200);
  EXPECT_EQ(call("DELETE", admin(owner.id), owner.token).status, 400);
  auto r = call("DELETE", admin(t.id), owner.token);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(call("GET", admin(t.id), owner.token).status, 404);
  EXPECT_EQ(call("GET", admins(), t.token).status, 401);
  EXPECT_EQ(call("DELETE", admin(t.id), owner.token).status, 404);
  EXPECT_EQ(count("admin_delete"), 1);
}

TEST_P(AdminsTest, SuspendDeniesTheNextRequestAndRestoreNeedsANewSession) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .all_organizations = true, .password = "a long password here"});
  ASSERT_EQ(call("GET", admins(), t.token).status, 200);

  auto r = call("POST", admin(t.id) + "/suspend", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["status"], "suspended");

  // The very next request: refused as unauthenticated (admin_not_active maps to 401).
  auto denied = call("GET", admins(), t.token);
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(body(denied)["error"]["code"], "unauthenticated");
  // Its sessions are revoked in the store.
  auto claims = app().tokens().verify(t.token, now());
  ASSERT_TRUE(claims.has_value());
  auto s = app().store().query([&](store::Tx& tx) { return tx.getSession(model::TenantScope{p}, claims->jti); });
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->revoked_at.has_value());
  // A fresh session is refused too while suspended (the engine: admin_not_active).
  EXPECT_EQ(call("GET", admins(), mintToken(p, t.id)).status, 401);

  EXPECT_EQ(call("POST", admin(t.id) + "/suspend", owner.token).status, 409);
  EXPECT_EQ(call("POST", admin(owner.id) + "/suspend", owner.token).status, 400);
  EXPECT_EQ(call("POST", admin(t.id) + "/suspend", owner.token, R"({"why":"x"})").status, 400);

  // Restore clears a lock-out too.
  auto locked = app().store().transact(
      [&](store::Tx& tx) { return tx.recordFailedLogin(model::TenantScope{p}, t.id, 1, now(), now() + 600); });
  ASSERT_TRUE(locked.has_value());
  EXPECT_EQ(body(call("GET", admin(t.id), owner.token))["lockedOut"], true);
  r = call("POST", admin(t.id) + "/restore", owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["status"], "active");
  EXPECT_EQ(body(r)["lockedOut"], false);
  EXPECT_EQ(row(p, t.id).failed_logins, 0);
  EXPECT_EQ(call("GET", admins(), t.token).status, 401);  // the old session stays revoked
  EXPECT_EQ(call("GET", admins(), mintToken(p, t.id)).status, 200);
  EXPECT_EQ(call("POST", admin(t.id) + "/restore", owner.token).status, 409);

  EXPECT_EQ(count("admin_suspended"), 1);
  EXPECT_EQ(count("admin_unsuspend"), 1);
}

TEST_P(AdminsTest, RestoreOfANeverActivatedAdminIsPending) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .status = "pending"});
  ASSERT_EQ(call("POST", admin(t.id) + "/suspend", owner.token).status, 200);
  auto r = call("POST", admin(t.id) + "/restore", owner.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r)["status"], "pending");
}

TEST_P(AdminsTest, PasswordAndTotpResetEmailsCarryOnlyALink) {
  auto t = createAdmin(p, SeedAdmin{.role = "help_desk", .all_organizations = true, .password = "a very secret password"});
  ASSERT_TRUE(app().store().transact([&](store::Tx& tx) -> Result<void> {
    if (auto ok = tx.setTotpSecret(model::TenantScope{p}, t.id, std::string("SECRETSECRET")); !ok) return ok;
    return tx.setTotpEnrolled(model::TenantScope{p}, t.id, true);
  }).has_value());

  auto r = call("POST", admin(t.id) + "/password-reset", owner.token);
  ASSERT_EQ(r.status, 204) << r.body;
  auto mails = emails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to_address, t.email);
  const std::string reset = linkToken(mails[0].body, "/password-reset");
  ASSERT_FALSE(reset.empty()) << mails[0].body;
  EXPECT_EQ(mails[0].body.find(t.password), std::string::npos);
  EXPECT_TRUE(app().store().transact([&](store::Tx& tx) {
    return tx.consumeToken(app::hashOneTimeToken(reset), model::TokenKind::kPasswordReset, now());
  }).has_value());

  // By default only the email goes: the admin proves the mailbox before the TOTP is cleared.
  r = call("POST", admin(t.id) + "/totp-reset", owner.token);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(row(p, t.id).totp_enrolled);
  // With clear, the TOTP is forgotten at once.
  r = call("POST", admin(t.id) + "/totp-reset", owner.token, R"({"clear":true,"sendEmail":false})");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_FALSE(row(p, t.id).totp_enrolled);
  auto creds = app().store().query([&](store::Tx& tx) { return tx.getAdminCredentials(model::TenantScope{p}, t.id); });
  ASSERT_TRUE(creds.has_value());
  EXPECT_FALSE(creds->totp_secret.has_value());
  mails = emails();
  ASSERT_EQ(mails.size(), 2u);
  std::string totp;
  for (const auto& m : mails) {
    if (totp.empty()) totp = linkToken(m.body, "/totp-reset");
    EXPECT_EQ(m.body.find("SECRETSECRET"), std::string::npos);
  }
  ASSERT_FALSE(totp.empty());
  EXPECT_EQ(call("POST", admin(t.id) + "/totp-reset", owner.token, R"({"clear":false,"sendEmail":false})").status, 400);

  EXPECT_EQ(count("admin_password_reset"), 1);
  EXPECT_EQ(count("admin_totp_reset"), 2);
  for (const auto& e : activity(p)) {
    EXPECT_EQ(e.changes_json.find(reset), std::string::npos);
    EXPECT_EQ(e.changes_json.find(totp), std::string::npos);
  }

  // A suspended admin gets no reset email.
  ASSERT_EQ(call("POST", admin(t.id) + "/suspend", owner.token).status, 200);
  EXPECT_EQ(call("POST", admin(t.id) + "/password-reset", owner.token).status, 409);
  EXPECT_EQ(emails().size(), 2u);
}

TEST_P(AdminsTest, ExactlyOneEventPerMutationAndNoSecretsAnywhere) {
  const std::string password = "another long password";
  std::vector<std::string> bodies;
  auto r = call("POST", admins(), owner.token,
                json{{"email", "h@msp.example"}, {"roleName", "help_desk"}, {"password", password},
                     {"organizations", {{{"organization", o1}}}}}.dump());
  ASSERT_EQ(r.status, 201);
  const std::string id = body(r)["id"];
  bodies.push_back(r.body);
  std::vector<std::pair<std::string, std::string>> steps = {
      {"PUT", admin(id)},
      {"POST", admin(id) + "/suspend"},
      {"POST", admin(id) + "/restore"},
      {"POST", admin(id) + "/password-reset"},
      {"POST", admin(id) + "/totp-reset"},
      {"POST", "/api/v2/administrators/" + id + "/organizationlinks"},
      {"DELETE", "/api/v2/administrators/" + id + "/organizationlinks/" + o2},
      {"DELETE", admin(id)},
  };
  std::size_t events = changeEvents();
  ASSERT_EQ(events, 1u);
  for (const auto& [method, path] : steps) {
    std::string b;
    if (method == "PUT") b = json{{"lastname", "Changed"}}.dump();
    if (path.ends_with("organizationlinks")) b = json{{"organization", o2}}.dump();
    auto res = call(method, path, owner.token, b);
    ASSERT_LT(res.status, 300) << method << " " << path << ": " << res.body;
    bodies.push_back(res.body);
    EXPECT_EQ(changeEvents(), ++events) << method << " " << path;
  }
  std::vector<std::string> secrets = {password};
  for (const auto& m : emails()) {
    std::smatch s;
    if (std::regex_search(m.body, s, std::regex("token=([0-9a-f]{64})"))) secrets.push_back(s[1]);
  }
  ASSERT_GE(secrets.size(), 3u);
  for (const auto& e : activity(p)) {
    for (const auto& s : secrets) EXPECT_EQ(e.changes_json.find(s), std::string::npos) << e.event_type;
  }
  for (const auto& b : bodies) {
    for (const auto& s : secrets) EXPECT_EQ(b.find(s), std::string::npos);
  }
}

MTP_SERVICE_BACKENDS(AdminsTest);

}  // namespace
}  // namespace mtp::testing
