// The user portal's own account pages over real HTTP on both backends: a user whose password
// an admin force-reset follows the email's link and sets a new one (POST /api/v1/users/password),
// and a STAGED user activates from the activation email's one-time link (POST
// /api/v1/users/activate): each link is the one the email holds, each change is one event
// initiated by the user, and every refusal is a clear 4xx.
#include <regex>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kNewPassword = "a brand new passphrase 7";

class UserPortalTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    org_ = createOrg(p_, "Client");
    admin_ = createAdmin(p_, {.role = "admin_billing", .all_organizations = true}).token;
  }

  std::string createUser(const std::string& username, bool activated) {
    json b = {{"username", username}, {"email", username + "@client.example"}, {"activated", activated}};
    if (activated) b["password"] = kPassword;
    auto r = call("POST", "/api/systemusers", admin_, b.dump(), {{"x-org-id", org_}});
    EXPECT_EQ(r.status, 201) << r.body;
    return body(r).value("id", "");
  }
  HttpResponse act(const std::string& action, const std::string& id) {
    json req = {{"action", action}, {"users", json::array({{{"organization", org_}, {"id", id}}})}};
    return call("POST", "/api/v2/providers/" + p_ + "/users/actions", admin_, req.dump());
  }
  HttpResponse login(const std::string& username, const std::string& password) {
    return call("POST", "/api/v1/users/login", "",
                json{{"organization", org_}, {"username", username}, {"password", password}}.dump());
  }
  HttpResponse change(const std::string& username, const std::string& password, const std::string& next) {
    return call("POST", "/api/v1/users/password", "",
                json{{"organization", org_}, {"username", username}, {"password", password}, {"newPassword", next}}
                    .dump());
  }
  HttpResponse activate(const std::string& token, const std::string& password) {
    return call("POST", "/api/v1/users/activate", "", json{{"token", token}, {"password", password}}.dump());
  }
  // The newest email to `to`.
  std::string mailTo(const std::string& to) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{p_}, false, 100); });
    EXPECT_TRUE(r.has_value());
    std::string out;
    for (const auto& m : r.value_or(std::vector<model::EmailRecord>{}))
      if (m.to_address == to) out = m.body;
    return out;
  }
  std::vector<model::ActivityRecord> events(const std::string& type) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p_))
      if (e.event_type == type) out.push_back(std::move(e));
    return out;
  }
  static std::string code(const HttpResponse& r) { return body(r)["error"].value("code", ""); }

  std::string p_, org_, admin_;
};

TEST_P(UserPortalTest, AForceResetUserSetsANewPasswordFromTheEmailsLinkAndSignsIn) {
  const std::string id = createUser("rita", true);
  ASSERT_EQ(act("force_password_reset", id).status, 200);
  // The email links to the user portal with the org filled in.
  const std::string mail = mailTo("rita@client.example");
  EXPECT_NE(mail.find(app().config().public_url + "/userconsole?organization=" + org_), std::string::npos) << mail;
  EXPECT_EQ(login("rita", kPassword).status, 412);

  // The new password is checked first, and a refused one counts no failure.
  auto shortPw = change("rita", kPassword, "short");
  EXPECT_EQ(shortPw.status, 400) << shortPw.body;
  EXPECT_EQ(code(shortPw), "invalid_argument");
  EXPECT_EQ(change("rita", kPassword, kPassword).status, 400);
  // A wrong current password answers as a wrong sign-in.
  auto wrong = change("rita", "not the password at all", kNewPassword);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(change("nobody", kPassword, kNewPassword).status, 401);

  auto ok = change("rita", kPassword, kNewPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["state"], "ACTIVATED");
  EXPECT_EQ(body(ok).dump().find("password_hash"), std::string::npos);
  EXPECT_EQ(login("rita", kNewPassword).status, 200);
  EXPECT_EQ(login("rita", kPassword).status, 401);
  auto changed = events("user_password_changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].initiated_by_type, "user");
  EXPECT_EQ(changed[0].resource_id, id);
  EXPECT_EQ(changed[0].organization, org_);
  // Neither password is in any event.
  for (const auto& e : activity(p_)) {
    EXPECT_EQ(e.changes_json.find(kNewPassword), std::string::npos);
    EXPECT_EQ(e.changes_json.find(kPassword), std::string::npos);
  }
}

TEST_P(UserPortalTest, ALockedOrSuspendedUserCannotChangeThePassword) {
  const std::string id = createUser("lena", true);
  ASSERT_EQ(act("suspend", id).status, 200);
  auto r = change("lena", kPassword, kNewPassword);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(code(r), "precondition_failed");
  EXPECT_TRUE(events("user_password_changed").empty());
  // Unknown fields and missing ones are 400.
  EXPECT_EQ(call("POST", "/api/v1/users/password", "", R"({"organization":"x","username":"y","password":"z"})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/users/password", "",
                 R"({"organization":"x","username":"y","password":"z","newPassword":"w","admin":true})")
                .status,
            400);
}

TEST_P(UserPortalTest, AStagedUserActivatesOnceFromTheEmailsLink) {
  const std::string id = createUser("sam", false);
  ASSERT_EQ(act("resend_activation", id).status, 200);
  const std::string mail = mailTo("sam@client.example");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(mail, m, std::regex("/userconsole/activate\\?token=([0-9a-f]{64})"))) << mail;
  const std::string token = m[1];
  EXPECT_NE(mail.find(app().config().public_url + "/userconsole/activate?token="), std::string::npos);

  EXPECT_EQ(activate(token, "short").status, 400);
  EXPECT_EQ(activate(std::string(64, 'a'), kNewPassword).status, 400);
  auto ok = activate(token, kNewPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["state"], "ACTIVATED");
  EXPECT_EQ(body(ok)["id"], id);
  EXPECT_EQ(login("sam", kNewPassword).status, 200);
  // Good once.
  auto again = activate(token, "another long passphrase 9");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(login("sam", kNewPassword).status, 200);
  auto ev = events("user_activated");
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().initiated_by_type, "user");
  EXPECT_EQ(ev.back().resource_id, id);
}

TEST_P(UserPortalTest, AnExpiredOrOutdatedActivationLinkActivatesNothing) {
  const std::string id = createUser("ivy", false);
  ASSERT_EQ(act("resend_activation", id).status, 200);
  std::smatch m;
  const std::string first = mailTo("ivy@client.example");
  ASSERT_TRUE(std::regex_search(first, m, std::regex("token=([0-9a-f]{64})")));
  const std::string expired = m[1];
  advance(app().config().activation_ttl.count() + 1);
  EXPECT_EQ(activate(expired, kNewPassword).status, 400);
  admin_ = createAdmin(p_, {.role = "admin_billing", .all_organizations = true}).token;  // a week later

  // A user an admin suspended meanwhile stays suspended, whatever link it holds.
  ASSERT_EQ(act("resend_activation", id).status, 200);
  const std::string second = mailTo("ivy@client.example");
  ASSERT_TRUE(std::regex_search(second, m, std::regex("token=([0-9a-f]{64})")));
  const std::string fresh = m[1];
  ASSERT_NE(fresh, expired);
  ASSERT_EQ(act("suspend", id).status, 200);
  auto r = activate(fresh, kNewPassword);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(login("ivy", kNewPassword).status, 401);
}

TEST_P(UserPortalTest, AStagedUserWithoutAPasswordGetsTheActivationEmailWhenCreated) {
  const std::string id = createUser("nina", false);
  const std::string mail = mailTo("nina@client.example");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(mail, m, std::regex("/userconsole/activate\\?token=([0-9a-f]{64})"))) << mail;
  auto ok = activate(m[1], kNewPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["id"], id);
  EXPECT_EQ(login("nina", kNewPassword).status, 200);
  // A user created with a password (STAGED or not) gets no activation email.
  json b = {{"username", "omar"}, {"email", "omar@client.example"}, {"password", kPassword}};
  ASSERT_EQ(call("POST", "/api/systemusers", admin_, b.dump(), {{"x-org-id", org_}}).status, 201);
  EXPECT_EQ(mailTo("omar@client.example"), "");
}

MTP_SERVICE_BACKENDS(UserPortalTest);

}  // namespace
}  // namespace mtp::testing
