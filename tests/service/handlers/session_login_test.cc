// Sign-in over real HTTP on both backends: passwords, identical answers for unknown emails,
// lock-out, MFA (global and per admin), TOTP replay, enrollment-only sessions, and the one
// activity event per attempt.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "auth/totp.h"
#include "service_fixture.h"
#include "session_test_support.h"

namespace mtp::testing {
namespace {

class SessionLoginTest : public SessionTest {};

TEST_P(SessionLoginTest, PasswordLoginGivesAWorkingToken) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.role = "manager", .password = kPassword});
  auto r = login(a.email, kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["tokenType"], "Bearer");
  EXPECT_EQ(j["expiresIn"], 8 * 3600);
  EXPECT_EQ(j["scope"], "full");
  EXPECT_EQ(j["mfa"], false);
  EXPECT_EQ(j["admin"]["id"], a.id);
  EXPECT_EQ(j["admin"]["roleName"], "manager");
  auto claims = app().tokens().verify(j["token"].get<std::string>(), now());
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->admin_id, a.id);
  EXPECT_EQ(claims->provider_id, p);

  auto me = call("GET", "/api/v2/me", j["token"].get<std::string>());
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me)["id"], a.id);

  // The email is matched case-insensitively.
  std::string upper = a.email;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(login(upper, kPassword).status, 200);

  auto events = loginEvents(p);
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) {
    EXPECT_TRUE(e.success);
    EXPECT_EQ(e.initiated_by_id, a.id);
    EXPECT_EQ(e.initiated_by_email, a.email);
    EXPECT_EQ(e.auth_method, "password");
    EXPECT_EQ(e.client_ip, "127.0.0.1");
  }
}

TEST_P(SessionLoginTest, WrongPasswordAndUnknownEmailAnswerAlike) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  auto wrong = login(a.email, "not the right password");
  auto unknown = login("nobody-" + a.email, "not the right password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(withoutRequestId(wrong), withoutRequestId(unknown));
  EXPECT_EQ(body(wrong)["error"]["code"], "unauthenticated");
  EXPECT_EQ(body(wrong)["error"]["message"], "invalid email or password");
  EXPECT_EQ(wrong.header("www-authenticate"), unknown.header("www-authenticate"));

  // A pending or suspended admin with the right password: the same answer.
  auto pending = createAdmin(p, SeedAdmin{.status = "pending", .password = kPassword});
  auto suspended = createAdmin(p, SeedAdmin{.status = "suspended", .password = kPassword});
  EXPECT_EQ(withoutRequestId(login(pending.email, kPassword)), withoutRequestId(wrong));
  EXPECT_EQ(withoutRequestId(login(suspended.email, kPassword)), withoutRequestId(wrong));

  // One failed event for the wrong password, none (no tenant) for the unknown email.
  auto events = loginEvents(p);
  std::size_t for_a = 0;
  for (const auto& e : events) {
    EXPECT_FALSE(e.success);
    if (e.initiated_by_id == a.id) ++for_a;
  }
  EXPECT_EQ(for_a, 1u);
  EXPECT_EQ(events.size(), 3u);
}

TEST_P(SessionLoginTest, MissingFieldsAndUnknownFieldsAre400) {
  EXPECT_EQ(call("POST", "/api/v2/auth/login", "", R"({"email":"x@y.z"})").status, 400);
  auto r = call("POST", "/api/v2/auth/login", "", R"({"email":"x@y.z","password":"p","admin":true})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r)["error"]["code"], "invalid_argument");
}

TEST_P(SessionLoginTest, LocksAfterTenFailuresUntilLockoutExpires) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const int n = app().config().lockout_after;
  ASSERT_EQ(n, 10);
  auto first = login(a.email, "wrong password 0");
  for (int i = 1; i < n; ++i) EXPECT_EQ(login(a.email, "wrong password " + std::to_string(i)).status, 401);
  EXPECT_EQ(countEvents(p, "admin_lockout"), 1u);

  // Locked: the right password answers exactly like a wrong one.
  auto locked = login(a.email, kPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(withoutRequestId(locked), withoutRequestId(first));
  // Attempts while locked do not lock again.
  EXPECT_EQ(login(a.email, "wrong again").status, 401);
  EXPECT_EQ(countEvents(p, "admin_lockout"), 1u);

  advance(app().config().lockout_for.count() - 5);
  EXPECT_EQ(login(a.email, kPassword).status, 401);
  advance(10);
  ASSERT_EQ(login(a.email, kPassword).status, 200);

  // One event per attempt: n failures, 3 while locked, 1 success.
  auto events = loginEvents(p);
  EXPECT_EQ(events.size(), static_cast<std::size_t>(n + 3 + 1));
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](auto& e) { return e.success; }), 1);

  // The count was cleared by the success: one more miss does not lock.
  EXPECT_EQ(login(a.email, "wrong once").status, 401);
  EXPECT_EQ(login(a.email, kPassword).status, 200);
}

TEST_P(SessionLoginTest, AnExpiredLockStartsAFreshCount) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  for (int i = 0; i < 10; ++i) login(a.email, "wrong password");
  advance(app().config().lockout_for.count() + 1);
  EXPECT_EQ(login(a.email, "wrong password").status, 401);  // one miss after expiry
  EXPECT_EQ(login(a.email, kPassword).status, 200);          // not locked again
  EXPECT_EQ(countEvents(p, "admin_lockout"), 1u);
}

TEST_P(SessionLoginTest, GlobalMfaRequiresTotp) {
  auto p = createProvider("A", /*require_admin_mfa=*/true);
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);

  auto missing = login(a.email, kPassword);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(body(missing)["error"]["code"], "mfa_required");
  auto wrong = login(a.email, kPassword, wrongCode(secret));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(body(wrong)["error"]["code"], "mfa_required");
  // A right code with a wrong password is still just a wrong password.
  auto bad_pw = login(a.email, "wrong password", code(secret));
  EXPECT_EQ(body(bad_pw)["error"]["code"], "unauthenticated");

  auto ok = login(a.email, kPassword, code(secret));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok)["mfa"], true);
  EXPECT_EQ(call("GET", "/api/v2/me", body(ok)["token"].get<std::string>()).status, 200);
  EXPECT_EQ(loginEvents(p).size(), 4u);
}

TEST_P(SessionLoginTest, PerAdminMfaRequiresTotp) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.enable_multi_factor = true, .password = kPassword});
  auto other = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  EXPECT_EQ(body(login(a.email, kPassword))["error"]["code"], "mfa_required");
  EXPECT_EQ(body(login(a.email, kPassword, wrongCode(secret)))["error"]["code"], "mfa_required");
  EXPECT_EQ(login(a.email, kPassword, code(secret)).status, 200);
  // Another admin of the same provider signs in with the password alone.
  auto o = login(other.email, kPassword);
  ASSERT_EQ(o.status, 200);
  EXPECT_EQ(body(o)["mfa"], false);
}

TEST_P(SessionLoginTest, WrongTotpCountsTowardsLockout) {
  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(login(a.email, kPassword, wrongCode(secret)).status, 401);
  EXPECT_EQ(countEvents(p, "admin_lockout"), 1u);
  auto r = login(a.email, kPassword, code(secret));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body(r)["error"]["code"], "unauthenticated");
}

TEST_P(SessionLoginTest, TotpCodeIsAcceptedOnce) {
  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  const std::string c = code(secret);
  EXPECT_EQ(login(a.email, kPassword, c).status, 200);
  auto replay = login(a.email, kPassword, c);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(body(replay)["error"]["code"], "mfa_required");
  // The previous step's code (inside the drift window) is older than the accepted one.
  EXPECT_EQ(login(a.email, kPassword, auth::totp::codeAt(secret, now() - 30)).status, 401);
  advance(30);
  EXPECT_EQ(login(a.email, kPassword, code(secret)).status, 200);
}

TEST_P(SessionLoginTest, OptionalTotpMarksTheSessionMfaVerified) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  auto plain = login(a.email, kPassword);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(body(plain)["mfa"], false);
  auto with = login(a.email, kPassword, code(secret));
  ASSERT_EQ(with.status, 200);
  EXPECT_EQ(body(with)["mfa"], true);
  // A code that was sent is checked, even when not required.
  EXPECT_EQ(body(login(a.email, kPassword, wrongCode(secret)))["error"]["code"], "mfa_required");
}

TEST_P(SessionLoginTest, UnenrolledAdminGetsAnEnrollmentOnlySession) {
  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.all_organizations = true, .password = kPassword});
  auto r = login(a.email, kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["scope"], "mfa_enroll");
  EXPECT_EQ(j["mfa"], false);
  EXPECT_EQ(j["expiresIn"], app().config().mfa_enroll_ttl.count());
  const std::string enroll = j["token"];

  auto me = call("GET", "/api/v2/me", enroll);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(body(me)["error"]["code"], "mfa_required");
  EXPECT_EQ(call("POST", "/api/v2/me/apikey", enroll).status, 401);

  auto start = call("POST", "/api/v2/me/totp", enroll);
  ASSERT_EQ(start.status, 201) << start.body;
  const std::string secret = body(start)["secret"];
  EXPECT_EQ(secret.size(), 32u);
  const std::string uri = body(start)["otpauthUri"];
  EXPECT_EQ(uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_NE(uri.find("secret=" + secret), std::string::npos);

  auto bad = call("POST", "/api/v2/me/totp/confirm", enroll, R"({"totp":")" + wrongCode(secret) + R"("})");
  EXPECT_EQ(bad.status, 400);
  auto ok = call("POST", "/api/v2/me/totp/confirm", enroll, R"({"totp":")" + code(secret) + R"("})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto oj = body(ok);
  EXPECT_EQ(oj["totpEnrolled"], true);
  EXPECT_EQ(oj["scope"], "full");
  EXPECT_EQ(oj["mfa"], true);
  const std::string full = oj["token"];

  // The enrollment session is gone; the new one reaches everything the role allows.
  EXPECT_EQ(call("POST", "/api/v2/me/totp", enroll).status, 401);
  auto me2 = call("GET", "/api/v2/me", full);
  ASSERT_EQ(me2.status, 200);
  EXPECT_EQ(body(me2)["totpEnrolled"], true);
  EXPECT_FALSE(body(me2).contains("secret"));
  EXPECT_EQ(me2.body.find(secret), std::string::npos);

  // The confirmation code cannot sign in again; the next one can.
  EXPECT_EQ(login(a.email, kPassword, code(secret)).status, 401);
  advance(30);
  EXPECT_EQ(login(a.email, kPassword, code(secret)).status, 200);

  // At rest the secret is sealed with the server's secret key (issue 10 item 8), never clear.
  auto cred = app().store().query(
      [&](store::Tx& tx) { return tx.getAdminCredentials(model::TenantScope{p}, a.id); });
  ASSERT_TRUE(cred);
  ASSERT_TRUE(cred->totp_secret);
  EXPECT_TRUE(cred->totp_secret->starts_with("v1:")) << "stored in clear";
  EXPECT_EQ(cred->totp_secret->find(secret), std::string::npos);
}

TEST_P(SessionLoginTest, EnrollmentSessionExpiresSoon) {
  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string enroll = body(login(a.email, kPassword))["token"];
  EXPECT_EQ(call("POST", "/api/v2/me/totp", enroll).status, 201);
  advance(app().config().mfa_enroll_ttl.count() + 1);
  EXPECT_EQ(call("POST", "/api/v2/me/totp", enroll).status, 401);
}

TEST_P(SessionLoginTest, AnEmailBelongsToOneProviderSoASignInTouchesOnlyThatAccount) {
  // Issue 10 item 6: emails are unique across providers (schema 15). Provider B cannot create
  // an admin with A's owner's email, so A's failed sign-ins never reach B's activity log nor
  // count against an account of B.
  auto p1 = createProvider("A");
  auto p2 = createProvider("B");
  const std::string email = "shared-" + auth::newId() + "@msp.example";
  auto a1 = createAdmin(p1, SeedAdmin{.email = email, .password = kPassword});
  auto b_owner = createAdmin(p2, SeedAdmin{.password = kPassword});
  auto b_token = body(login(b_owner.email, kPassword))["token"].get<std::string>();
  json create{{"email", email}, {"firstname", "Other"}, {"lastname", "Owner"}, {"roleName", "admin"},
              {"password", kOtherPassword}};
  auto refused = call("POST", "/api/v2/providers/" + p2 + "/administrators", b_token, create.dump());
  EXPECT_EQ(refused.status, 409) << refused.body;
  const std::size_t b_events = loginEvents(p2).size();
  EXPECT_EQ(login(email, "wrong password").status, 401);
  EXPECT_EQ(loginEvents(p1).size(), 1u);
  EXPECT_EQ(loginEvents(p2).size(), b_events);
  auto r1 = login(email, kPassword);
  ASSERT_EQ(r1.status, 200);
  EXPECT_EQ(body(r1)["admin"]["id"], a1.id);
}

TEST_P(SessionLoginTest, NoSecretInEventsResponsesOrLogs) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  std::vector<std::shared_ptr<spdlog::logger>> loggers{spdlog::default_logger()};
  if (auto d = spdlog::get("decision")) loggers.push_back(d);
  for (auto& l : loggers) l->sinks().push_back(sink);

  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.api_key_allowed = true, .password = kPassword});
  std::vector<std::string> secrets{kPassword, "Wrong-Password-Guess-1"};
  login(a.email, "Wrong-Password-Guess-1");
  auto enroll = login(a.email, kPassword);
  const std::string enroll_token = body(enroll)["token"];
  auto start = call("POST", "/api/v2/me/totp", enroll_token);
  const std::string secret = body(start)["secret"];
  const std::string c1 = code(secret);
  auto full = call("POST", "/api/v2/me/totp/confirm", enroll_token, R"({"totp":")" + c1 + R"("})");
  const std::string token = body(full)["token"];
  advance(30);
  const std::string c2 = code(secret);
  auto second = login(a.email, kPassword, c2);
  const std::string token2 = body(second)["token"];
  login(a.email, kPassword, c2);  // replay
  auto key = call("POST", "/api/v2/me/apikey", token);
  const std::string api_key = body(key)["apiKey"];
  auto changed = call("PUT", "/api/v2/me/password", token,
                      json({{"currentPassword", kPassword}, {"newPassword", kOtherPassword}}).dump());
  ASSERT_EQ(changed.status, 200) << changed.body;
  const std::string token3 = body(changed)["token"];
  call("POST", "/api/v2/auth/logout", token3);
  secrets.insert(secrets.end(), {enroll_token, secret, c1, c2, token, token2, api_key, token3,
                                 kOtherPassword});

  for (auto& l : loggers) {
    l->flush();
    auto& s = l->sinks();
    s.erase(std::remove(s.begin(), s.end(), sink), s.end());
  }

  auto events = activity(p);
  EXPECT_GE(events.size(), 8u);
  for (const auto& e : events) {
    const std::vector<std::string> fields{e.id, e.provider_id, e.event_type, e.initiated_by_id,
                                          e.initiated_by_type, e.initiated_by_email, e.organization,
                                          e.resource_type, e.resource_id, e.changes_json,
                                          e.client_ip, e.auth_method};
    for (const auto& f : fields) {
      for (const auto& s : secrets) {
        ASSERT_FALSE(s.empty());
        EXPECT_EQ(f.find(s), std::string::npos) << e.event_type << " holds a secret: " << f;
      }
    }
  }
  const std::string log = captured.str();
  for (const auto& s : secrets) EXPECT_EQ(log.find(s), std::string::npos) << "log holds a secret";
  // Responses after creation never repeat a secret.
  advance(30);
  auto relogin = login(a.email, kOtherPassword, code(secret));
  ASSERT_EQ(relogin.status, 200) << relogin.body;
  auto me = call("GET", "/api/v2/me", body(relogin)["token"].get<std::string>());
  ASSERT_EQ(me.status, 200) << me.body;
  for (const auto& s : secrets) EXPECT_EQ(me.body.find(s), std::string::npos);
}

MTP_SERVICE_BACKENDS(SessionLoginTest);

}  // namespace
}  // namespace mtp::testing
