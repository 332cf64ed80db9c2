#include "auth/tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <jwt/jwt.hpp>
#include <vector>

namespace mtp::auth {
namespace {

constexpr std::int64_t kNow = 1'900'000'000;

SigningKey testKey(char fill = 'k') { return SigningKey::fromBytes(std::string(32, fill)); }

TokenClaims claims() {
  TokenClaims c;
  c.admin_id = "admin1";
  c.provider_id = "prov1";
  c.mfa = true;
  c.iat = kNow - 10;
  c.exp = kNow + 3600;
  return c;
}

std::string b64(std::string_view s) {
  std::string b = jwt::base64_encode(s.data(), s.size());
  b.resize(jwt::base64_uri_encode(b.data(), b.size()));
  return b;
}

// Replaces the payload part of `token` with `payload_json`, keeping header and signature.
std::string withPayload(const std::string& token, const std::string& payload_json) {
  auto d1 = token.find('.'), d2 = token.rfind('.');
  return token.substr(0, d1 + 1) + b64(payload_json) + token.substr(d2);
}

TEST(TokenCodec, IssueThenVerifyRoundTrips) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  std::string t = codec.issue(claims());
  auto v = codec.verify(t, kNow);
  ASSERT_TRUE(v.has_value()) << tokenErrorName(v.error());
  EXPECT_EQ(v->admin_id, "admin1");
  EXPECT_EQ(v->provider_id, "prov1");
  EXPECT_TRUE(v->mfa);
  EXPECT_EQ(v->scope, TokenScope::kFull);
  EXPECT_EQ(v->jti.size(), 32u);
  EXPECT_EQ(v->exp, kNow + 3600);
}

TEST(TokenCodec, OrgScopeCarriesTheOrg) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  auto c = claims();
  c.scope = TokenScope::kOrg;
  c.org = "org9";
  auto v = codec.verify(codec.issue(c), kNow);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->scope, TokenScope::kOrg);
  EXPECT_EQ(v->org, "org9");
}

TEST(TokenCodec, HeaderCarriesKidAndHs256) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  std::string t = codec.issue(claims());
  std::string header = jwt::base64_uri_decode(t.data(), t.find('.'));
  EXPECT_NE(header.find("\"alg\":\"HS256\""), std::string::npos) << header;
  EXPECT_NE(header.find("\"kid\":\"" + codec.kid() + "\""), std::string::npos) << header;
  EXPECT_EQ(codec.kid().size(), 8u);
}

TEST(TokenCodec, ExpiredTokenIsRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  auto c = claims();
  c.exp = kNow - 1;
  auto v = codec.verify(codec.issue(c), kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kExpired);
}

TEST(TokenCodec, TokenExpiringNowIsRefusedByOurClockToo) {
  // cpp-jwt checks exp against the wall clock; we also check it against the caller's `now`.
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  auto c = claims();
  auto v = codec.verify(codec.issue(c), c.exp);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kExpired);
}

TEST(TokenCodec, TamperedPayloadIsRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  std::string t = codec.issue(claims());
  std::string forged = withPayload(
      t, R"({"iss":"mtp","aud":"mtp-api","sub":"someone-else","pid":"prov1","jti":"x","iat":1,)"
         R"("exp":2000000000,"mfa":true,"scope":"full"})");
  auto v = codec.verify(forged, kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kBadSignature);
}

TEST(TokenCodec, AlgNoneForgeryIsRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  std::string payload =
      R"({"iss":"mtp","aud":"mtp-api","sub":"admin1","pid":"prov1","jti":"x","iat":1,)"
      R"("exp":2000000000,"mfa":true,"scope":"full"})";
  for (std::string header : std::vector<std::string>{R"({"alg":"none","typ":"JWT"})", R"({"alg":"NONE","typ":"JWT"})",
                             R"({"alg":"none","typ":"JWT","kid":")" + codec.kid() + "\"}"}) {
    for (std::string sig : {"", "AAAA"}) {
      auto v = codec.verify(b64(header) + "." + b64(payload) + "." + sig, kNow);
      ASSERT_FALSE(v.has_value()) << header << " sig=" << sig;
      EXPECT_EQ(v.error(), TokenError::kWrongAlgorithm);
    }
  }
}

TEST(TokenCodec, OtherAlgorithmsAreRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  jwt::jwt_object obj{jwt::params::algorithm("HS512"), jwt::params::secret(std::string(32, 'k'))};
  obj.add_claim("iss", "mtp").add_claim("aud", "mtp-api").add_claim("sub", "a")
      .add_claim("pid", "p").add_claim("jti", "j").add_claim("exp", kNow + 100)
      .add_claim("mfa", true).add_claim("scope", "full");
  auto v = codec.verify(obj.signature(), kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kWrongAlgorithm);
}

TEST(TokenCodec, WrongKeyIsRefused) {
  TokenCodec issuer(testKey('a'), "mtp", "mtp-api");
  TokenCodec verifier(testKey('b'), "mtp", "mtp-api");
  auto v = verifier.verify(issuer.issue(claims()), kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kBadSignature);
  // The same kid but another key: the signature check itself refuses it.
  SigningKey liar{std::string(32, 'a'), testKey('b').kid};
  TokenCodec forger(liar, "mtp", "mtp-api");
  v = verifier.verify(forger.issue(claims()), kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kBadSignature);
}

TEST(TokenCodec, MissingExpIsRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(std::string(32, 'k'))};
  obj.header().add_header("kid", codec.kid());
  obj.add_claim("iss", "mtp").add_claim("aud", "mtp-api").add_claim("sub", "a")
      .add_claim("pid", "p").add_claim("jti", "j").add_claim("iat", kNow)
      .add_claim("mfa", true).add_claim("scope", "full");
  auto v = codec.verify(obj.signature(), kNow);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error(), TokenError::kMissingClaim);
}

TEST(TokenCodec, WrongIssuerOrAudienceIsRefused) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  auto t1 = TokenCodec(testKey(), "other", "mtp-api").issue(claims());
  auto t2 = TokenCodec(testKey(), "mtp", "other").issue(claims());
  EXPECT_EQ(codec.verify(t1, kNow).error(), TokenError::kWrongIssuer);
  EXPECT_EQ(codec.verify(t2, kNow).error(), TokenError::kWrongAudience);
}

TEST(TokenCodec, GarbageIsMalformedNotACrash) {
  TokenCodec codec(testKey(), "mtp", "mtp-api");
  for (std::string t : std::vector<std::string>{"", "a", "a.b", "a.b.c", "....", "!!!.@@@.###", "eyJ.eyJ.sig",
                        b64("{}") + "." + b64("{}") + ".x", b64("[1]") + "." + b64("3") + ".x",
                        std::string(10000, 'a')}) {
    auto v = codec.verify(t, kNow);
    EXPECT_FALSE(v.has_value()) << t;
  }
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mtp-keyfile-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(KeyFileTest, CreatedWithMode0600ThenReloadedWithTheSameKid) {
  auto path = dir_ / "jwt.key";
  auto k1 = loadOrCreateKeyFile(path);
  ASSERT_TRUE(k1.has_value()) << k1.error();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
  auto k2 = loadOrCreateKeyFile(path);
  ASSERT_TRUE(k2.has_value()) << k2.error();
  EXPECT_EQ(k1->bytes, k2->bytes);
  EXPECT_EQ(k1->kid, k2->kid);
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(KeyFileTest, WorldReadableFileIsRefused) {
  auto path = dir_ / "jwt.key";
  { std::ofstream(path) << std::string(32, 'x'); }
  ::chmod(path.c_str(), 0644);
  auto k = loadOrCreateKeyFile(path);
  ASSERT_FALSE(k.has_value());
  EXPECT_NE(k.error().find("chmod 600"), std::string::npos) << k.error();
}

TEST_F(KeyFileTest, ShortKeyIsRefused) {
  auto path = dir_ / "jwt.key";
  { std::ofstream(path) << "short"; }
  ::chmod(path.c_str(), 0600);
  auto k = loadOrCreateKeyFile(path);
  ASSERT_FALSE(k.has_value());
  EXPECT_NE(k.error().find("at least 32"), std::string::npos) << k.error();
}

TEST_F(KeyFileTest, MissingDirectoryIsAClearError) {
  auto k = loadOrCreateKeyFile(dir_ / "no-such-dir" / "jwt.key");
  ASSERT_FALSE(k.has_value());
  EXPECT_NE(k.error().find("no-such-dir"), std::string::npos) << k.error();
}

}  // namespace
}  // namespace mtp::auth
