#include "app/credential_cache.h"

#include <gtest/gtest.h>

namespace mtp::app {
namespace {

CredentialCache::Session sessionOf(const std::string& jti, const std::string& admin,
                                   std::int64_t expires) {
  CredentialCache::Session s;
  s.claims.jti = jti;
  s.claims.admin_id = admin;
  s.claims.exp = expires;
  s.session.jti = jti;
  s.session.admin_id = admin;
  s.session.expires_at = expires;
  return s;
}

TEST(CredentialCache, DisabledUntilTheChangeListenerIsInStep) {
  CredentialCache c;
  c.putSession("t1", sessionOf("j1", "a1", 100), c.generation());
  EXPECT_FALSE(c.session("t1", 10));
  c.enable();
  EXPECT_FALSE(c.session("t1", 10));  // nothing was kept while disabled
  c.putSession("t1", sessionOf("j1", "a1", 100), c.generation());
  ASSERT_TRUE(c.session("t1", 10));
  EXPECT_EQ(c.session("t1", 10)->session.admin_id, "a1");
  c.disable();  // a gap in the feed: everything goes
  c.enable();
  EXPECT_FALSE(c.session("t1", 10));
}

TEST(CredentialCache, ARevokedSessionIsForgottenAndExpiryIsCheckedOnEveryHit) {
  CredentialCache c;
  c.enable();
  c.putSession("t1", sessionOf("j1", "a1", 100), c.generation());
  c.putSession("t2", sessionOf("j2", "a1", 100), c.generation());
  EXPECT_FALSE(c.session("t1", 100));  // expired at 100
  c.forgetSession("j1");
  EXPECT_FALSE(c.session("t1", 10));
  EXPECT_TRUE(c.session("t2", 10));
}

TEST(CredentialCache, AReadThatRacedWithARevocationIsNotKept) {
  CredentialCache c;
  c.enable();
  const auto before = c.generation();  // the request reads the store after this ...
  c.forgetSession("j1");               // ... while the revocation is heard
  c.putSession("t1", sessionOf("j1", "a1", 100), before);
  EXPECT_FALSE(c.session("t1", 10));
  c.putApiKey("h1", {"a1", "p1"}, before);
  EXPECT_FALSE(c.apiKey("h1"));
}

TEST(CredentialCache, AnAdminsKeysAreForgottenTogether) {
  CredentialCache c;
  c.enable();
  c.putApiKey("h1", {"a1", "p1"}, c.generation());
  c.putApiKey("h2", {"a2", "p1"}, c.generation());
  c.forgetApiKeysOf("a1");
  EXPECT_FALSE(c.apiKey("h1"));
  ASSERT_TRUE(c.apiKey("h2"));
  EXPECT_EQ(c.apiKey("h2")->admin_id, "a2");
}

TEST(CredentialCache, EntriesAgeOutAndTheCapacityIsKept) {
  CredentialCache aged(10, std::chrono::seconds(0));
  aged.enable();
  aged.putApiKey("h1", {"a1", "p1"}, aged.generation());
  EXPECT_FALSE(aged.apiKey("h1"));
  CredentialCache small(2);
  small.enable();
  for (int i = 0; i < 5; ++i) small.putApiKey("h" + std::to_string(i), {"a", "p"}, small.generation());
  int kept = 0;
  for (int i = 0; i < 5; ++i) kept += small.apiKey("h" + std::to_string(i)) ? 1 : 0;
  EXPECT_LE(kept, 2);
  EXPECT_TRUE(small.apiKey("h4"));
}

}  // namespace
}  // namespace mtp::app
