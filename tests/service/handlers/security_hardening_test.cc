// Issue 10 (items 3, 9, 10) over real HTTP on both backends:
//  - a locked org user answers exactly as a wrong password, whatever the password (the lock-out
//    is no password oracle), and a locked admin's session cannot change the password;
//  - weak passwords (`password1234`, `123456789012`) are refused with a 400 naming the problem
//    for admins (create, activation, reset link, change) and org users (create);
//  - the global MFA requirement sets every admin's own flag (existing and new); turning it off
//    leaves each admin required until their own flag is changed.
#include "service_fixture.h"
#include "session_test_support.h"

namespace mtp::testing {
namespace {

class SecurityHardeningTest : public SessionTest {
 protected:
  HttpResponse userLogin(const std::string& org, const std::string& username, const std::string& password) {
    return call("POST", "/api/v1/users/login", "",
                json{{"organization", org}, {"username", username}, {"password", password}}.dump());
  }
};

TEST_P(SecurityHardeningTest, LockedOrgUserAnswersAsAWrongPasswordWhateverThePassword) {
  auto p = createProvider("MSP");
  auto org = createOrg(p, "Client");
  auto owner = createAdmin(p, {.role = "admin_billing", .all_organizations = true});
  auto made = call("POST", "/api/systemusers", owner.token,
                   json{{"username", "alice"}, {"email", "alice@client.example"}, {"activated", true},
                        {"password", kPassword}}.dump(),
                   {{"x-org-id", org}});
  ASSERT_EQ(made.status, 201) << made.body;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(userLogin(org, "alice", "wrong guess number " + std::to_string(i)).status, 401);

  const auto right = withoutRequestId(userLogin(org, "alice", kPassword));
  const auto wrong = withoutRequestId(userLogin(org, "alice", "yet another wrong guess"));
  const auto nobody = withoutRequestId(userLogin(org, "nobody", kPassword));
  EXPECT_EQ(right.first, 401) << right.second.dump();
  EXPECT_EQ(right, wrong);
  EXPECT_EQ(right, nobody);
  // The attempt with the right password is recorded as failed, like any other.
  std::size_t ok = 0, failed = 0;
  for (const auto& e : activity(p)) {
    if (e.event_type != "user_login_attempt") continue;
    (e.success ? ok : failed)++;
  }
  EXPECT_EQ(ok, 0u);
  EXPECT_EQ(failed, 8u);
}

TEST_P(SecurityHardeningTest, LockedAdminSessionCannotChangeThePassword) {
  auto p = createProvider("MSP");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  auto signed_in = login(a.email, kPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string token = body(signed_in)["token"];
  for (int i = 0; i < app().config().lockout_after; ++i) EXPECT_EQ(login(a.email, "a wrong guess here").status, 401);
  ASSERT_EQ(login(a.email, kPassword).status, 401);  // locked
  auto put = [&](const std::string& cur) {
    return withoutRequestId(call("PUT", "/api/v2/me/password", token,
                                 json{{"currentPassword", cur}, {"newPassword", kOtherPassword}}.dump()));
  };
  const auto right = put(kPassword);
  EXPECT_EQ(right.first, 400) << right.second.dump();
  EXPECT_EQ(right, put("not the current password"));
  // Nothing changed: once the lock-out is over, the old password signs in, the new one does not.
  advance(app().config().lockout_for.count() + 1);
  EXPECT_EQ(login(a.email, kOtherPassword).status, 401);
  EXPECT_EQ(login(a.email, kPassword).status, 200);
}

TEST_P(SecurityHardeningTest, WeakPasswordsAreRefusedForAdminsAndOrgUsers) {
  auto p = createProvider("MSP");
  auto org = createOrg(p, "Client");
  auto owner = createAdmin(p, {.role = "admin_billing", .all_organizations = true, .password = kPassword});
  const std::string admins = "/api/v2/providers/" + p + "/administrators";
  auto expectWeak = [](const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.status, 400) << what << " " << r.body;
    auto j = body(r);
    EXPECT_EQ(j["error"]["code"], "invalid_argument") << what;
    EXPECT_NE(j["error"]["message"].get<std::string>().find("password is too weak"), std::string::npos)
        << what << " " << r.body;
  };
  for (const std::string weak : {"password1234", "123456789012"}) {
    expectWeak(call("POST", admins, owner.token,
                    json{{"email", "dana@msp.example"}, {"firstname", "Dana"}, {"lastname", "Lee"},
                         {"roleName", "admin_billing"}, {"allOrganizations", true}, {"password", weak}}.dump()),
               "admin create " + weak);
    expectWeak(call("POST", "/api/systemusers", owner.token,
                    json{{"username", "bob"}, {"email", "bob@client.example"}, {"password", weak}}.dump(),
                    {{"x-org-id", org}}),
               "user create " + weak);
    expectWeak(call("PUT", "/api/v2/me/password", owner.token,
                    json{{"currentPassword", kPassword}, {"newPassword", weak}}.dump()),
               "change " + weak);
    auto pending = createAdmin(p, SeedAdmin{.status = "pending"});
    expectWeak(call("POST", "/api/v2/auth/activate", "",
                    json{{"token", makeLinkToken(p, pending.id, model::TokenKind::kActivation)}, {"password", weak}}.dump()),
               "activate " + weak);
    expectWeak(call("POST", "/api/v2/auth/password-reset", "",
                    json{{"token", makeLinkToken(p, owner.id, model::TokenKind::kPasswordReset)}, {"password", weak}}.dump()),
               "reset " + weak);
  }
  // Nothing was created or changed: the owner still signs in with the old password.
  EXPECT_EQ(login(owner.email, kPassword).status, 200);
  auto list = call("GET", "/api/systemusers", owner.token, "", {{"x-org-id", org}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list)["totalCount"], 0);
  // A strong one passes the same routes.
  EXPECT_EQ(call("POST", "/api/systemusers", owner.token,
                 json{{"username", "bob"}, {"email", "bob@client.example"}, {"password", kOtherPassword}}.dump(),
                 {{"x-org-id", org}}).status, 201);
}

TEST_P(SecurityHardeningTest, GlobalMfaSetsEveryAdminsOwnFlagAndTurningItOffKeepsThem) {
  auto p = createProvider("MSP");
  auto q = createProvider("Other");
  auto owner = createAdmin(p, {.role = "admin_billing", .all_organizations = true});
  auto desk = createAdmin(p, {.role = "help_desk", .all_organizations = true});
  auto already = createAdmin(p, {.role = "help_desk", .all_organizations = true, .enable_multi_factor = true});
  auto elsewhere = createAdmin(q, {.role = "help_desk", .all_organizations = true});
  const std::string settings = "/api/v2/providers/" + p + "/settings";
  const std::string admins = "/api/v2/providers/" + p + "/administrators";

  ASSERT_EQ(call("PUT", settings, owner.token, R"({"requireAdminMFA":true})").status, 200);
  EXPECT_TRUE(readAdmin(p, owner.id).enable_multi_factor);
  EXPECT_TRUE(readAdmin(p, desk.id).enable_multi_factor);
  EXPECT_TRUE(readAdmin(p, already.id).enable_multi_factor);
  EXPECT_FALSE(readAdmin(q, elsewhere.id).enable_multi_factor);  // another provider: untouched

  // A new admin while the requirement is on is required too, whatever the request says.
  auto made = call("POST", admins, owner.token,
                   json{{"email", "new@msp.example"}, {"firstname", "New"}, {"lastname", "Admin"},
                        {"roleName", "help_desk"}, {"allOrganizations", true}, {"enableMultiFactor", false}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(body(made)["enableMultiFactor"], true);
  // The own flag cannot be turned off meanwhile.
  auto off = call("PUT", admins + "/" + desk.id, owner.token, R"({"enableMultiFactor":false})");
  EXPECT_EQ(off.status, 400) << off.body;
  EXPECT_TRUE(readAdmin(p, desk.id).enable_multi_factor);

  // Off again: everyone stays required (a session without MFA is refused) ...
  ASSERT_EQ(call("PUT", settings, owner.token, R"({"requireAdminMFA":false})").status, 200);
  EXPECT_TRUE(readAdmin(p, desk.id).enable_multi_factor);
  EXPECT_TRUE(readAdmin(p, body(made)["id"].get<std::string>()).enable_multi_factor);
  auto r = call("GET", "/api/v2/providers/" + p + "/organizations", mintToken(p, desk.id, /*mfa=*/false));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "mfa_required");
  // ... until their own flag is changed, which is editable again.
  auto edit = call("PUT", admins + "/" + desk.id, owner.token, R"({"enableMultiFactor":false})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_FALSE(readAdmin(p, desk.id).enable_multi_factor);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + p + "/organizations", mintToken(p, desk.id, false)).status, 200);
}

MTP_SERVICE_BACKENDS(SecurityHardeningTest);

}  // namespace
}  // namespace mtp::testing
