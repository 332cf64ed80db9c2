// app::newOneTimeToken / hashOneTimeToken (issue 9 item 5): 64 hex characters of fresh
// randomness each time, and the one hash that creation and lookup must agree on.
#include "app/one_time_token.h"

#include <gtest/gtest.h>

#include <set>

namespace mtp::app {
namespace {

bool lowerHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(OneTimeToken, FreshTokensAndTheirStableHash) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    const OneTimeToken t = newOneTimeToken();
    EXPECT_EQ(t.token.size(), 64u);
    EXPECT_TRUE(lowerHex(t.token)) << t.token;
    EXPECT_EQ(t.hash, hashOneTimeToken(t.token)) << "the stored hash is the looked-up hash";
    EXPECT_NE(t.hash, t.token);
    EXPECT_TRUE(seen.insert(t.token).second) << "never the same token twice";
  }
}

TEST(OneTimeToken, TheHashIsBlake2b256InHex) {
  // BLAKE2b-256 of the empty string and of "abc" (RFC 7693 parameters, 32-byte digest).
  EXPECT_EQ(hashOneTimeToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(hashOneTimeToken("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_NE(hashOneTimeToken("abc"), hashOneTimeToken("abd"));
  EXPECT_EQ(hashOneTimeToken(std::string(1000, 'x')).size(), 64u);
}

}  // namespace
}  // namespace mtp::app
