// Sessions and the admin's own account over real HTTP on both backends: token checks
// (expiry, tampering, `alg: none`), logout, suspension, the profile, API keys, password
// change, activation and the reset links.
#include <sodium.h>

#include "service_fixture.h"
#include "session_test_support.h"

namespace mtp::testing {
namespace {

std::string b64url(std::string_view bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()), bin.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string unb64url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return {};
  out.resize(len);
  return out;
}

std::vector<std::string> splitToken(const std::string& t) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto dot = t.find('.', start);
    parts.push_back(t.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

class SessionSelfTest : public SessionTest {
 protected:
  std::string tokenOf(const HttpResponse& r) { return body(r)["token"].get<std::string>(); }
  std::string signIn(const SeededAdmin& a, const std::string& password = kPassword) {
    auto r = login(a.email, password);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? tokenOf(r) : std::string();
  }
};

TEST_P(SessionSelfTest, ExpiredTokenIsRefused) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string t = signIn(a);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 200);
  advance(app().config().session_ttl.count() + 1);
  auto r = call("GET", "/api/v2/me", t);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body(r)["error"]["code"], "unauthenticated");
}

TEST_P(SessionSelfTest, TamperedAndUnsignedTokensAreRefused) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  auto victim = createAdmin(p, SeedAdmin{.password = kOtherPassword});
  const std::string t = signIn(a);
  auto parts = splitToken(t);
  ASSERT_EQ(parts.size(), 3u);

  // The payload edited to name another admin, signature kept.
  auto claims = json::parse(unb64url(parts[1]));
  ASSERT_EQ(claims["sub"], a.id);
  claims["sub"] = victim.id;
  EXPECT_EQ(call("GET", "/api/v2/me", parts[0] + "." + b64url(claims.dump()) + "." + parts[2]).status, 401);
  // A flipped signature character.
  std::string sig = parts[2];
  sig[sig.size() / 2] = sig[sig.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(call("GET", "/api/v2/me", parts[0] + "." + parts[1] + "." + sig).status, 401);
  // `alg: none`, no signature, original and edited claims.
  auto header = json::parse(unb64url(parts[0]));
  header["alg"] = "none";
  const std::string none = b64url(header.dump());
  EXPECT_EQ(call("GET", "/api/v2/me", none + "." + parts[1] + ".").status, 401);
  EXPECT_EQ(call("GET", "/api/v2/me", none + "." + b64url(claims.dump()) + ".").status, 401);
  EXPECT_EQ(call("GET", "/api/v2/me", none + "." + parts[1]).status, 401);
  // Garbage.
  EXPECT_EQ(call("GET", "/api/v2/me", "not-a-token").status, 401);
  // The genuine token still works.
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 200);
}

TEST_P(SessionSelfTest, LogoutRevokesAtOnce) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string t = signIn(a);
  const std::string other = signIn(a);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 200);
  EXPECT_EQ(call("POST", "/api/v2/auth/logout", t).status, 204);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 401);
  EXPECT_EQ(call("POST", "/api/v2/auth/logout", t).status, 401);
  EXPECT_EQ(call("GET", "/api/v2/me", other).status, 200);  // only that session ends
  EXPECT_EQ(countEvents(p, "admin_logout"), 1u);
}

TEST_P(SessionSelfTest, SuspendedAdminIsDeniedOnTheNextRequest) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.api_key_allowed = true, .password = kPassword});
  const std::string t = signIn(a);
  const std::string key = body(call("POST", "/api/v2/me/apikey", t))["apiKey"].get<std::string>();
  EXPECT_EQ(callWithKey("GET", "/api/v2/me", key).status, 200);
  setStatus(p, a.id, model::AdminStatus::kSuspended);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 401);
  EXPECT_EQ(callWithKey("GET", "/api/v2/me", key).status, 401);  // the engine: not active
  EXPECT_EQ(login(a.email, kPassword).status, 401);
  // Restored: a new sign-in works, the old session stays revoked.
  setStatus(p, a.id, model::AdminStatus::kActive);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 401);
  EXPECT_EQ(call("GET", "/api/v2/me", signIn(a)).status, 200);
}

TEST_P(SessionSelfTest, MeShowsProfileOrgsAndEffectiveActions) {
  auto p = createProvider("A");
  auto o1 = createOrg(p, "One");
  auto o2 = createOrg(p, "Two");
  auto o3 = createOrg(p, "Expired");
  const std::int64_t until = now() + 86400;
  auto a = createAdmin(p, SeedAdmin{.role = "help_desk",
                                    .organizations = {{o1, "", std::nullopt},
                                                      {o2, "manager", until},
                                                      {o3, "", now() - 10}},
                                    .password = kPassword});
  auto r = call("GET", "/api/v2/me", signIn(a));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["id"], a.id);
  EXPECT_EQ(j["email"], a.email);
  EXPECT_EQ(j["provider"], p);
  EXPECT_EQ(j["roleName"], "help_desk");
  EXPECT_EQ(j["status"], "active");
  EXPECT_EQ(j["totpEnrolled"], false);
  EXPECT_EQ(j["apiKeyAllowed"], false);
  EXPECT_EQ(j["allOrganizations"], false);
  ASSERT_EQ(j["organizations"].size(), 2u);
  for (const auto& o : j["organizations"]) {
    if (o["id"] == o1) {
      EXPECT_FALSE(o.contains("roleName"));
      EXPECT_FALSE(o.contains("expiresAt"));
    } else {
      EXPECT_EQ(o["id"], o2);
      EXPECT_EQ(o["roleName"], "manager");
      EXPECT_TRUE(o["expiresAt"].is_string());
    }
  }
  auto actions = j["actions"].get<std::vector<std::string>>();
  auto has = [&](const std::string& x) { return std::find(actions.begin(), actions.end(), x) != actions.end(); };
  EXPECT_TRUE(has("users.unlock"));
  EXPECT_TRUE(has("users.update"));  // from the per-org manager role
  EXPECT_TRUE(has("self.read"));
  EXPECT_TRUE(has("admins.read"));
  EXPECT_FALSE(has("admins.create"));
  EXPECT_FALSE(has("billing.read"));
  EXPECT_FALSE(has("self.apikey"));  // apiKeyAllowed is off
  for (const auto& field : {"password", "passwordHash", "totpSecret", "secret"}) EXPECT_FALSE(j.contains(field));
}

TEST_P(SessionSelfTest, ApiKeyOnlyWithApiKeyAllowedAndReplacingRevokes) {
  auto p = createProvider("A");
  auto no = createAdmin(p, SeedAdmin{.password = kPassword});
  auto denied = call("POST", "/api/v2/me/apikey", signIn(no));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(body(denied)["error"]["code"], "permission_denied");

  auto a = createAdmin(p, SeedAdmin{.api_key_allowed = true, .password = kPassword});
  const std::string t = signIn(a);
  auto k1 = call("POST", "/api/v2/me/apikey", t);
  ASSERT_EQ(k1.status, 201) << k1.body;
  const std::string key1 = body(k1)["apiKey"];
  EXPECT_EQ(key1.rfind("mtp_", 0), 0u);
  auto me = callWithKey("GET", "/api/v2/me", key1);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(body(me)["id"], a.id);
  EXPECT_EQ(body(me)["apiKeySet"], true);
  EXPECT_EQ(me.body.find(key1), std::string::npos);

  auto k2 = call("POST", "/api/v2/me/apikey", t);
  ASSERT_EQ(k2.status, 201);
  const std::string key2 = body(k2)["apiKey"];
  EXPECT_NE(key1, key2);
  EXPECT_EQ(callWithKey("GET", "/api/v2/me", key1).status, 401);
  EXPECT_EQ(callWithKey("GET", "/api/v2/me", key2).status, 200);
  // An API key has no session to log out of.
  EXPECT_EQ(callWithKey("POST", "/api/v2/auth/logout", key2).status, 400);
  EXPECT_EQ(countEvents(p, "admin_update"), 2u);
}

TEST_P(SessionSelfTest, ApiKeyNeedsAnMfaVerifiedSessionWhenMfaIsRequired) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.enable_multi_factor = true, .api_key_allowed = true, .password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  auto r = login(a.email, kPassword, code(secret));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(call("POST", "/api/v2/me/apikey", tokenOf(r)).status, 201);
  // A session without verified MFA (minted directly) is refused.
  const std::string plain = mintToken(p, a.id, /*mfa=*/false);
  EXPECT_EQ(body(call("POST", "/api/v2/me/apikey", plain))["error"]["code"], "mfa_required");
}

TEST_P(SessionSelfTest, PasswordChange) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string t = signIn(a);
  const std::string other = signIn(a);
  auto put = [&](const std::string& tok, const std::string& cur, const std::string& next) {
    return call("PUT", "/api/v2/me/password", tok, json({{"currentPassword", cur}, {"newPassword", next}}).dump());
  };
  auto wrong = put(t, "not my password", kOtherPassword);
  EXPECT_EQ(wrong.status, 400);
  auto weak = put(t, kPassword, "short");
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(body(weak)["error"]["message"].get<std::string>().find("12"), std::string::npos);
  EXPECT_EQ(call("PUT", "/api/v2/me/password", t, R"({"currentPassword":"x","newPassword":"y","role":"admin"})").status, 400);

  auto ok = put(t, kPassword, kOtherPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string fresh = tokenOf(ok);
  EXPECT_EQ(call("GET", "/api/v2/me", fresh).status, 200);
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 401);      // replaced
  EXPECT_EQ(call("GET", "/api/v2/me", other).status, 401);  // other sessions end
  EXPECT_EQ(login(a.email, kPassword).status, 401);
  EXPECT_EQ(login(a.email, kOtherPassword).status, 200);
}

TEST_P(SessionSelfTest, ActivationSetsPasswordOnceAndActivates) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.status = "pending"});
  const std::string token = makeLinkToken(p, a.id, model::TokenKind::kActivation);
  auto act = [&](const std::string& tok, const std::string& pw) {
    return call("POST", "/api/v2/auth/activate", "", json({{"token", tok}, {"password", pw}}).dump());
  };
  EXPECT_EQ(login(a.email, kPassword).status, 401);
  EXPECT_EQ(act(token, "short").status, 400);  // the policy, before the token is spent
  EXPECT_EQ(act("0000" + token.substr(4), kPassword).status, 400);
  // A password-reset token is not an activation token.
  EXPECT_EQ(act(makeLinkToken(p, a.id, model::TokenKind::kPasswordReset), kPassword).status, 400);
  auto ok = act(token, kPassword);
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(readAdmin(p, a.id).status, model::AdminStatus::kActive);
  auto r = login(a.email, kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/v2/me", tokenOf(r)).status, 200);
  EXPECT_EQ(act(token, kOtherPassword).status, 400);  // used once
  // An expired token.
  auto b = createAdmin(p, SeedAdmin{.status = "pending"});
  const std::string old = makeLinkToken(p, b.id, model::TokenKind::kActivation, 60);
  advance(61);
  EXPECT_EQ(act(old, kPassword).status, 400);
  EXPECT_EQ(readAdmin(p, b.id).status, model::AdminStatus::kPending);
}

TEST_P(SessionSelfTest, PasswordResetLinkUnlocksAndEndsSessions) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string t = signIn(a);
  for (int i = 0; i < 10; ++i) login(a.email, "wrong password");
  EXPECT_EQ(login(a.email, kPassword).status, 401);  // locked
  const std::string token = makeLinkToken(p, a.id, model::TokenKind::kPasswordReset);
  auto r = call("POST", "/api/v2/auth/password-reset", "", json({{"token", token}, {"password", kOtherPassword}}).dump());
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(call("GET", "/api/v2/me", t).status, 401);
  EXPECT_EQ(login(a.email, kPassword).status, 401);
  EXPECT_EQ(login(a.email, kOtherPassword).status, 200);
  EXPECT_EQ(call("POST", "/api/v2/auth/password-reset", "", json({{"token", token}, {"password", kPassword}}).dump()).status, 400);
}

TEST_P(SessionSelfTest, TotpResetLinkMakesTheAdminEnrollAgain) {
  auto p = createProvider("A", true);
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const std::string secret = enrollTotp(p, a.id);
  EXPECT_EQ(login(a.email, kPassword).status, 401);  // mfa_required
  const std::string token = makeLinkToken(p, a.id, model::TokenKind::kTotpReset);
  auto r = call("POST", "/api/v2/auth/totp-reset", "", json({{"token", token}}).dump());
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_FALSE(readAdmin(p, a.id).totp_enrolled);
  auto again = login(a.email, kPassword);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(body(again)["scope"], "mfa_enroll");
  EXPECT_EQ(call("POST", "/api/v2/auth/totp-reset", "", json({{"token", token}}).dump()).status, 400);
}

TEST_P(SessionSelfTest, TotpReEnrollmentNeedsAnMfaVerifiedSession) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  // Voluntary enrollment from a full session: confirmation answers without a new token.
  const std::string t = signIn(a);
  auto start = call("POST", "/api/v2/me/totp", t);
  ASSERT_EQ(start.status, 201);
  const std::string secret = body(start)["secret"];
  auto conf = call("POST", "/api/v2/me/totp/confirm", t, json({{"totp", code(secret)}}).dump());
  ASSERT_EQ(conf.status, 200) << conf.body;
  EXPECT_EQ(body(conf)["totpEnrolled"], true);
  EXPECT_FALSE(body(conf).contains("token"));
  EXPECT_EQ(call("POST", "/api/v2/me/totp/confirm", t, json({{"totp", code(secret)}}).dump()).status, 409);
  // Enrolled: a session without verified MFA cannot replace the secret; a verified one can.
  EXPECT_EQ(call("POST", "/api/v2/me/totp", t).status, 409);
  advance(30);
  auto verified = login(a.email, kPassword, code(secret));
  ASSERT_EQ(verified.status, 200);
  EXPECT_EQ(call("POST", "/api/v2/me/totp", tokenOf(verified)).status, 201);
}

MTP_SERVICE_BACKENDS(SessionSelfTest);

}  // namespace
}  // namespace mtp::testing
