#include "auth/totp.h"

#include <gtest/gtest.h>

namespace mtp::auth::totp {
namespace {

// RFC 6238 appendix B: the SHA1 seed "12345678901234567890" in base32.
constexpr std::string_view kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(Totp, CodeAtMatchesRfc6238Vectors) {
  // The RFC lists 8-digit codes; 6 digits are their last six.
  EXPECT_EQ(codeAt(kRfcSecret, 59), "287082");
  EXPECT_EQ(codeAt(kRfcSecret, 1111111109), "081804");
  EXPECT_EQ(codeAt(kRfcSecret, 1234567890), "005924");
  EXPECT_EQ(codeAt(kRfcSecret, 2000000000), "279037");
}

TEST(Totp, GeneratedSecretIs32Base32Chars) {
  std::string s = generateSecret();
  EXPECT_EQ(s.size(), 32u);
  for (char c : s) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) << s;
  EXPECT_NE(generateSecret(), s);
  EXPECT_EQ(codeAt(s, 1000).size(), 6u);
}

TEST(Totp, AcceptsCurrentAndOneStepEitherSide) {
  std::string s = generateSecret();
  const std::time_t now = 1'700'000'015;  // mid-step
  const auto step = stepOf(now);
  EXPECT_EQ(verify(s, codeAt(s, now), now, -1), step);
  EXPECT_EQ(verify(s, codeAt(s, now - 30), now, -1), step - 1);
  EXPECT_EQ(verify(s, codeAt(s, now + 30), now, -1), step + 1);
}

TEST(Totp, RefusesCodesTwoStepsAway) {
  std::string s = generateSecret();
  const std::time_t now = 1'700'000'015;
  const std::string far_past = codeAt(s, now - 60), far_future = codeAt(s, now + 60);
  // Guard against the (1 in a million) chance of a collision with a code in the window.
  for (int d : {-30, 0, 30}) {
    if (codeAt(s, now + d) == far_past || codeAt(s, now + d) == far_future) GTEST_SKIP();
  }
  EXPECT_EQ(verify(s, far_past, now, -1), std::nullopt);
  EXPECT_EQ(verify(s, far_future, now, -1), std::nullopt);
}

TEST(Totp, RefusesReplayOfTheSameOrAnOlderStep) {
  std::string s = generateSecret();
  const std::time_t now = 1'700'000'015;
  auto accepted = verify(s, codeAt(s, now), now, -1);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(verify(s, codeAt(s, now), now, *accepted), std::nullopt);        // the same code
  EXPECT_EQ(verify(s, codeAt(s, now - 30), now, *accepted), std::nullopt);   // an older one
  EXPECT_EQ(verify(s, codeAt(s, now + 30), now + 30, *accepted), *accepted + 1);  // the next
}

TEST(Totp, RefusesMalformedInput) {
  std::string s = generateSecret();
  EXPECT_EQ(verify(s, "", 1000, -1), std::nullopt);
  EXPECT_EQ(verify(s, "12345", 1000, -1), std::nullopt);
  EXPECT_EQ(verify(s, "1234567", 1000, -1), std::nullopt);
  EXPECT_EQ(verify(s, "12a456", 1000, -1), std::nullopt);
  EXPECT_EQ(verify("not base32!", "123456", 1000, -1), std::nullopt);
  EXPECT_EQ(verify("", "123456", 1000, -1), std::nullopt);
}

TEST(Totp, OtpauthUriEncodesLabel) {
  EXPECT_EQ(otpauthUri("MTP Acme", "alice@example.com", "ABC"),
            "otpauth://totp/MTP%20Acme:alice@example.com?secret=ABC&issuer=MTP%20Acme"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace mtp::auth::totp
