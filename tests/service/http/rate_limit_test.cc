// The rate limiter's token buckets on a fake clock: the burst, the refill, Retry-After, keys
// kept apart, and the bound on the buckets kept.
#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace mtp::http {
namespace {

TEST(RateLimiter, BurstThenRefusedWithRetryAfterThenRefilled) {
  double now = 1000;
  RateLimiter l(1000, [&] { return now; });
  const RateRule rule{3, 0.5};  // 3 at once, then one per 2 s
  EXPECT_EQ(l.take("a", rule), 0);
  EXPECT_EQ(l.take("a", rule), 0);
  EXPECT_EQ(l.take("a", rule), 0);
  EXPECT_EQ(l.take("a", rule), 2);  // a whole token in 2 s
  now += 1;
  EXPECT_EQ(l.take("a", rule), 1);  // half a token back: 1 s more
  now += 1;
  EXPECT_EQ(l.take("a", rule), 0);
  EXPECT_EQ(l.take("a", rule), 2);
  now += 60;  // idle: back to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_EQ(l.take("a", rule), 0);
  EXPECT_GT(l.take("a", rule), 0);
}

TEST(RateLimiter, KeysAreIndependentAndNoRuleIsNoLimit) {
  double now = 0;
  RateLimiter l(1000, [&] { return now; });
  const RateRule one{1, 0.1};
  EXPECT_EQ(l.take("ip|1", one), 0);
  EXPECT_EQ(l.take("ip|1", one), 10);
  EXPECT_EQ(l.take("ip|2", one), 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(l.take("x", RateRule{}), 0);
}

TEST(RateLimiter, KeepsAtMostItsBoundOfBuckets) {
  double now = 0;
  RateLimiter l(160, [&] { return now; });
  const RateRule rule{1, 0.001};
  for (int i = 0; i < 10000; ++i) l.take("k" + std::to_string(i), rule);
  EXPECT_LE(l.size(), 160u);
  EXPECT_GT(l.size(), 0u);
}

}  // namespace
}  // namespace mtp::http
