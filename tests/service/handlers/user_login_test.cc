// The user portal's sign-in (POST /api/v1/users/login) and the org password policy over real
// HTTP on both backends: lock-out exactly at the org's N (default 5, or set per org), a locked
// user refused even with the right password until an admin unlocks it, password expiry (by
// the policy's days, or forced by /expire), one answer for an unknown org, an unknown user, a
// user without a password and a wrong password, and the events each attempt writes.
#include <algorithm>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

class UserLoginTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    p_ = createProvider("MSP");
    org_ = createOrg(p_, "Client");
    admin_ = createAdmin(p_, {.role = "admin_billing", .all_organizations = true}).token;
  }

  // A user created through the API (so the org's policy sets its expiration date).
  std::string createUser(const std::string& org, const std::string& username, bool activated = true,
                         bool with_password = true) {
    json b = {{"username", username}, {"email", username + "@client.example"}, {"activated", activated}};
    if (with_password) b["password"] = kPassword;
    auto r = call("POST", "/api/systemusers", admin_, b.dump(), {{"x-org-id", org}});
    EXPECT_EQ(r.status, 201) << r.body;
    return body(r).value("id", "");
  }
  HttpResponse login(const std::string& org, const std::string& username, const std::string& password) {
    return call("POST", "/api/v1/users/login", "",
                json{{"organization", org}, {"username", username}, {"password", password}}.dump());
  }
  json user(const std::string& org, const std::string& id) {
    auto r = call("GET", "/api/systemusers/" + id, admin_, "", {{"x-org-id", org}});
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r);
  }
  std::string policyPath(const std::string& provider, const std::string& org) {
    return "/api/v2/providers/" + provider + "/organizations/" + org + "/password-policy";
  }
  std::vector<model::ActivityRecord> events(const std::string& type) {
    std::vector<model::ActivityRecord> out;
    for (auto& e : activity(p_))
      if (e.event_type == type) out.push_back(std::move(e));
    return out;
  }
  static std::string error(const HttpResponse& r) {
    auto b = body(r);
    return std::to_string(r.status) + " " + b["error"].value("code", "") + " " + b["error"].value("message", "");
  }

  std::string p_, org_, admin_;
};

TEST_P(UserLoginTest, LocksExactlyAtTheDefaultFiveAndAnUnlockLetsTheUserIn) {
  auto id = createUser(org_, "alice");
  auto ok = login(org_, "alice", kPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["id"], id);
  EXPECT_EQ(body(ok)["username"], "alice");
  EXPECT_EQ(body(ok)["organization"], org_);
  EXPECT_EQ(body(ok)["state"], "ACTIVATED");
  EXPECT_EQ(ok.body.find("argon2"), std::string::npos);
  EXPECT_EQ(ok.body.find(kPassword), std::string::npos);
  EXPECT_FALSE(body(ok).contains("token"));

  for (int i = 1; i <= 4; ++i) {
    auto r = login(org_, "alice", "wrong password " + std::to_string(i));
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "unauthenticated");
  }
  EXPECT_EQ(user(org_, id)["account_locked"], false);
  EXPECT_TRUE(events("user_lockout").empty());
  auto fifth = login(org_, "alice", "wrong password 5");
  EXPECT_EQ(fifth.status, 401);
  EXPECT_EQ(user(org_, id)["account_locked"], true);
  auto lockouts = events("user_lockout");
  ASSERT_EQ(lockouts.size(), 1u);
  EXPECT_EQ(lockouts[0].resource_id, id);
  EXPECT_EQ(lockouts[0].organization, org_);

  // Locked: refused even with the right password, exactly as a wrong password (issue 10 item 3:
  // a distinct answer would confirm the password).
  auto locked = login(org_, "alice", kPassword);
  EXPECT_EQ(locked.status, 401) << locked.body;
  EXPECT_EQ(body(locked)["error"]["code"], "unauthenticated");
  // A wrong password now answers as any wrong password, and locks nothing again.
  EXPECT_EQ(error(login(org_, "alice", "wrong again")), error(login(org_, "nobody", "wrong again")));
  EXPECT_EQ(events("user_lockout").size(), 1u);

  auto unlock = call("POST", "/api/systemusers/" + id + "/unlock", admin_, "", {{"x-org-id", org_}});
  ASSERT_EQ(unlock.status, 200) << unlock.body;
  EXPECT_EQ(login(org_, "alice", kPassword).status, 200);

  // Every attempt wrote one user_login_attempt in the org's provider: 2 good, 8 bad.
  auto attempts = events("user_login_attempt");
  EXPECT_EQ(attempts.size(), 10u);
  const auto good = std::count_if(attempts.begin(), attempts.end(), [](const auto& e) { return e.success; });
  EXPECT_EQ(good, 2);
  for (const auto& e : attempts) {
    EXPECT_EQ(e.organization, org_);
    EXPECT_EQ(e.auth_method, "password");
    EXPECT_EQ(e.changes_json.find(kPassword), std::string::npos);
  }
}

TEST_P(UserLoginTest, PerOrgLockoutAfterThreeAndASuccessStartsTheCountAgain) {
  auto put = call("PUT", policyPath(p_, org_), admin_, R"({"lockoutAfterFailures":3})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto other = createOrg(p_, "Default policy");
  auto id = createUser(org_, "bob");
  auto id2 = createUser(other, "bob");

  EXPECT_EQ(login(org_, "bob", "nope 1").status, 401);
  EXPECT_EQ(login(org_, "bob", "nope 2").status, 401);
  EXPECT_EQ(login(org_, "BOB", kPassword).status, 200);  // usernames match case-insensitively
  EXPECT_EQ(login(org_, "bob", "nope 3").status, 401);
  EXPECT_EQ(login(org_, "bob", "nope 4").status, 401);
  EXPECT_EQ(user(org_, id)["account_locked"], false);
  EXPECT_EQ(login(org_, "bob", "nope 5").status, 401);
  EXPECT_EQ(user(org_, id)["account_locked"], true);
  EXPECT_EQ(login(org_, "bob", kPassword).status, 401);  // locked: as a wrong password

  // The other org keeps the default: three misses lock nothing there.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login(other, "bob", "nope").status, 401);
  EXPECT_EQ(user(other, id2)["account_locked"], false);
  EXPECT_EQ(login(other, "bob", kPassword).status, 200);
}

TEST_P(UserLoginTest, ExpiredPasswordsAreRefused) {
  auto before = createUser(org_, "eve");  // set before the policy: dated by it when it changes
  EXPECT_TRUE(user(org_, before)["password_expiration_date"].is_null());
  auto put = call("PUT", policyPath(p_, org_), admin_, R"({"passwordExpirationDays":30})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto id = createUser(org_, "carol");
  auto forced = createUser(org_, "dave");
  EXPECT_FALSE(user(org_, id)["password_expiration_date"].is_null());
  auto ok = login(org_, "carol", kPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_FALSE(body(ok)["password_expiration_date"].is_null());

  // Forced by an admin.
  ASSERT_EQ(call("POST", "/api/systemusers/" + forced + "/expire", admin_, "", {{"x-org-id", org_}}).status, 200);
  auto r = login(org_, "dave", kPassword);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("password expired"), std::string::npos);

  // Past the policy's 30 days.
  advance(29 * 86400);
  EXPECT_EQ(login(org_, "carol", kPassword).status, 200);
  advance(2 * 86400);
  r = login(org_, "carol", kPassword);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "precondition_failed");
  EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("password expired"), std::string::npos);
  EXPECT_EQ(login(org_, "eve", kPassword).status, 412);
  // An expired password is not a failed attempt (read from the store: the admin's session has
  // expired on this clock).
  auto stored = app().store().query(
      [&](store::Tx& tx) { return tx.getSystemUser(model::TenantScope{p_}, org_, id); });
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->failed_logins, 0);
  EXPECT_TRUE(stored->password_expired);
}

TEST_P(UserLoginTest, UnknownOrgUserNoPasswordAndWrongPasswordAnswerTheSame) {
  createUser(org_, "erin");
  createUser(org_, "nopass", true, false);
  auto other = createProvider("Other MSP");
  auto other_org = createOrg(other, "Elsewhere");

  const auto wrong = error(login(org_, "erin", "not the password"));
  EXPECT_EQ(wrong.substr(0, 17), "401 unauthenticat");
  EXPECT_EQ(error(login(org_, "nosuchuser", "not the password")), wrong);
  EXPECT_EQ(error(login(org_, "nopass", "not the password")), wrong);
  EXPECT_EQ(error(login(org_, "nopass", "")), error(login(org_, "nosuchuser", "")));
  EXPECT_EQ(error(login("0000nosuchorg00000000000", "erin", kPassword)), wrong);
  EXPECT_EQ(error(login(other_org, "erin", kPassword)), wrong);  // erin is not of that org
  // Unknown fields and missing ones are the request's fault, whoever it names.
  EXPECT_EQ(call("POST", "/api/v1/users/login", "",
                 json{{"organization", org_}, {"username", "erin"}, {"password", kPassword}, {"admin", true}}.dump())
                .status,
            400);
  EXPECT_EQ(call("POST", "/api/v1/users/login", "", json{{"organization", org_}, {"username", "erin"}}.dump()).status,
            400);

  // An attempt on an existing org is recorded there; an unknown org has nowhere to record.
  auto attempts = events("user_login_attempt");
  EXPECT_EQ(attempts.size(), 5u);
  EXPECT_TRUE(std::none_of(attempts.begin(), attempts.end(), [](const auto& e) { return e.success; }));
  bool other_has = false;
  for (const auto& e : activity(other)) other_has = other_has || e.event_type == "user_login_attempt";
  EXPECT_TRUE(other_has);
}

TEST_P(UserLoginTest, StagedAndSuspendedUsersAreRefused) {
  auto staged = createUser(org_, "frank", false);
  auto suspended = createUser(org_, "grace");
  ASSERT_EQ(call("POST", "/api/v2/providers/" + p_ + "/users/actions", admin_,
                 json{{"action", "suspend"}, {"users", {{{"organization", org_}, {"id", suspended}}}}}.dump())
                .status,
            200);
  for (const auto& name : {"frank", "grace"}) {
    auto r = login(org_, name, kPassword);
    EXPECT_EQ(r.status, 412) << name << " " << r.body;
    EXPECT_NE(body(r)["error"]["message"].get<std::string>().find("not active"), std::string::npos);
    // Misses against them answer like any miss and count nothing.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(login(org_, name, "nope").status, 401);
  }
  EXPECT_EQ(user(org_, staged)["account_locked"], false);
  EXPECT_EQ(user(org_, suspended)["account_locked"], false);
  EXPECT_TRUE(events("user_lockout").empty());
}

TEST_P(UserLoginTest, PolicyReadsValidatesAndRecordsItsChanges) {
  auto path = policyPath(p_, org_);
  auto g = call("GET", path, admin_);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(body(g), (json{{"lockoutAfterFailures", 5}, {"passwordExpirationDays", 0}, {"version", 0}}));

  for (const char* bad : {R"({"lockoutAfterFailures":101})", R"({"lockoutAfterFailures":-1})",
                          R"({"lockoutAfterFailures":"3"})", R"({"lockoutAfterFailures":2.5})",
                          R"({"passwordExpirationDays":3651})", R"({"passwordExpirationDays":-1})",
                          R"({"minLength":8})", R"([1])", R"(not json)"}) {
    auto r = call("PUT", path, admin_, bad);
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  EXPECT_TRUE(events("organization_password_policy_update").empty());

  auto r = call("PUT", path, admin_, R"({"lockoutAfterFailures":0,"passwordExpirationDays":3650})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r), (json{{"lockoutAfterFailures", 0}, {"passwordExpirationDays", 3650}, {"version", 1}}));
  EXPECT_EQ(body(call("GET", path, admin_)), body(r));
  auto ev = events("organization_password_policy_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].organization, org_);
  EXPECT_EQ(ev[0].resource_id, org_);
  auto changes = json::parse(ev[0].changes_json);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (json{{"field", "lockoutAfterFailures"}, {"from", "5"}, {"to", "0"}}));
  EXPECT_EQ(changes[1], (json{{"field", "passwordExpirationDays"}, {"from", "0"}, {"to", "3650"}}));

  // Partial; the same values change nothing and write nothing.
  r = call("PUT", path, admin_, R"({"passwordExpirationDays":3650})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(call("PUT", path, admin_, "{}").status, 200);
  EXPECT_EQ(events("organization_password_policy_update").size(), 1u);
  EXPECT_EQ(body(call("GET", path, admin_))["version"], 1);

  // 0 never locks.
  auto id = createUser(org_, "heidi");
  for (int i = 0; i < 7; ++i) EXPECT_EQ(login(org_, "heidi", "nope").status, 401);
  EXPECT_EQ(user(org_, id)["account_locked"], false);
  EXPECT_EQ(login(org_, "heidi", kPassword).status, 200);

  // Back to "never expires": every password on file loses its date at once.
  EXPECT_FALSE(user(org_, id)["password_expiration_date"].is_null());
  r = call("PUT", path, admin_, R"({"passwordExpirationDays":0})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(user(org_, id)["password_expiration_date"].is_null());
  EXPECT_EQ(events("organization_password_policy_update").size(), 2u);
}

TEST_P(UserLoginTest, PolicyOfAnotherProviderOrAnUnreachedOrgIsNotFound) {
  auto other = createProvider("Other MSP");
  auto other_org = createOrg(other, "Theirs");
  auto ungranted = createOrg(p_, "Ungranted");
  auto scoped = createAdmin(p_, {.role = "admin", .organizations = {{org_}}}).token;
  auto reader = createAdmin(p_, {.role = "read_only", .organizations = {{org_}}}).token;

  for (const auto& tok : {admin_, scoped}) {
    EXPECT_EQ(call("GET", policyPath(p_, other_org), tok).status, 404);
    EXPECT_EQ(call("GET", policyPath(other, other_org), tok).status, 404);
    EXPECT_EQ(call("PUT", policyPath(other, other_org), tok, R"({"lockoutAfterFailures":1})").status, 404);
    EXPECT_EQ(call("GET", policyPath(p_, "0000nosuchorg00000000000"), tok).status, 404);
  }
  EXPECT_EQ(call("GET", policyPath(p_, ungranted), scoped).status, 404);
  EXPECT_EQ(call("PUT", policyPath(p_, ungranted), scoped, R"({"lockoutAfterFailures":1})").status, 404);
  EXPECT_EQ(call("PUT", policyPath(p_, org_), scoped, R"({"lockoutAfterFailures":2})").status, 200);
  EXPECT_EQ(call("GET", policyPath(p_, org_), reader).status, 200);
  EXPECT_EQ(call("PUT", policyPath(p_, org_), reader, R"({"lockoutAfterFailures":9})").status, 403);

  // Nothing of the other provider changed.
  auto theirs = app().store().query(
      [&](store::Tx& tx) { return tx.getPasswordPolicy(model::TenantScope{other}, other_org); });
  ASSERT_TRUE(theirs.has_value());
  EXPECT_EQ(theirs->lockout_after_failures, 5);
  auto mine = app().store().query(
      [&](store::Tx& tx) { return tx.getPasswordPolicy(model::TenantScope{p_}, ungranted); });
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->lockout_after_failures, 5);
}

MTP_SERVICE_BACKENDS(UserLoginTest);

}  // namespace
}  // namespace mtp::testing
