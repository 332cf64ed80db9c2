// app::Authentication (issue 9 item 3: the authenticator's store reads as a use case) on a
// real SQLite store: a bearer token names a live session of the same admin and provider; an
// API key matches an unrevoked key's hash; the credential cache answers only while enabled.
#include "app/authentication.h"

#include <gtest/gtest.h>

#include "app_fixture.h"
#include "auth/api_key.h"

namespace mtp::app::testing {
namespace {

class AuthenticationTest : public AppTest {
 protected:
  // A session row and a token naming it.
  std::string session(model::SessionKind kind, std::int64_t expires_at, std::string org = {}) {
    auth::TokenClaims c;
    c.admin_id = owner_id_;
    c.provider_id = "p1";
    c.mfa = true;
    c.iat = now_;
    c.exp = expires_at;
    std::string token = tokens_->issue(c);
    auto claims = tokens_->verify(token, now_);
    EXPECT_TRUE(claims);
    model::SessionRecord s;
    s.jti = claims->jti;
    s.provider_id = "p1";
    s.admin_id = owner_id_;
    s.kind = kind;
    s.org_id = std::move(org);
    s.mfa = true;
    s.created = now_;
    s.expires_at = expires_at;
    EXPECT_TRUE(store_->transact([&](store::Tx& tx) { return tx.createSession(scope_, s); }));
    jti_ = s.jti;
    return token;
  }
  std::string jti_;
};

TEST_F(AuthenticationTest, BearerNamesALiveSession) {
  const std::string token = session(model::SessionKind::kFull, now_ + 3600);
  Authentication a(*app_);
  auto owner = a.bearer(token);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_EQ(owner->admin_id, owner_id_);
  EXPECT_EQ(owner->provider_id, "p1");
  EXPECT_EQ(owner->auth_method, engine::AuthMethod::kSession);
  EXPECT_TRUE(owner->mfa);
  EXPECT_EQ(owner->scope, auth::TokenScope::kFull);
  EXPECT_EQ(owner->jti, jti_);
}

TEST_F(AuthenticationTest, SessionKindBecomesTheTokenScope) {
  Authentication a(*app_);
  auto enroll = a.bearer(session(model::SessionKind::kMfaEnroll, now_ + 600));
  ASSERT_TRUE(enroll);
  EXPECT_EQ(enroll->scope, auth::TokenScope::kMfaEnroll);
  auto launch = a.bearer(session(model::SessionKind::kOrgLaunch, now_ + 600, "o1"));
  ASSERT_TRUE(launch);
  EXPECT_EQ(launch->scope, auth::TokenScope::kOrg);
  EXPECT_EQ(launch->org, "o1");
}

TEST_F(AuthenticationTest, RevokedUnknownOrForeignTokensAreRefused) {
  Authentication a(*app_);
  const std::string token = session(model::SessionKind::kFull, now_ + 3600);
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.revokeSession(scope_, jti_, now_); }));
  auto revoked = a.bearer(token);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, Status::Code::kUnauthenticated);
  EXPECT_EQ(revoked.error().message, "invalid or expired token");

  auth::TokenClaims c;  // a valid signature, no session row
  c.admin_id = owner_id_;
  c.provider_id = "p1";
  c.iat = now_;
  c.exp = now_ + 3600;
  EXPECT_EQ(a.bearer(tokens_->issue(c)).error().code, Status::Code::kUnauthenticated);
  EXPECT_EQ(a.bearer("not.a.token").error().code, Status::Code::kUnauthenticated);
}

TEST_F(AuthenticationTest, CacheAnswersOnlyWhileEnabledAndForgetsRevocations) {
  Authentication a(*app_);
  const std::string token = session(model::SessionKind::kFull, now_ + 3600);
  app_->credentials().enable();
  ASSERT_TRUE(a.bearer(token));
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.revokeSession(scope_, jti_, now_); }));
  EXPECT_TRUE(a.bearer(token)) << "kept until the change feed says otherwise";
  app_->credentials().forgetSession(jti_);
  EXPECT_FALSE(a.bearer(token));
}

TEST_F(AuthenticationTest, ApiKeyMatchesAnUnrevokedKey) {
  Authentication a(*app_);
  const auth::GeneratedApiKey key = auth::generateApiKey();
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) {
    return tx.replaceApiKey(scope_, owner_id_, key.prefix, api_keys_->hash(key.key));
  }));
  auto owner = a.apiKey(key.key);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_EQ(owner->admin_id, owner_id_);
  EXPECT_EQ(owner->auth_method, engine::AuthMethod::kApiKey);
  EXPECT_FALSE(owner->mfa);
  EXPECT_TRUE(owner->jti.empty());

  EXPECT_EQ(a.apiKey("nonsense").error().message, "invalid API key");
  const auth::GeneratedApiKey other = auth::generateApiKey();
  EXPECT_EQ(a.apiKey(other.key).error().code, Status::Code::kUnauthenticated);
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.revokeApiKeys(scope_, owner_id_); }));
  EXPECT_FALSE(a.apiKey(key.key));
}

}  // namespace
}  // namespace mtp::app::testing
