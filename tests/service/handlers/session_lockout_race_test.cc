// Issue 11 item 6: one admin_lockout event per lock-out, whatever the concurrency, on both
// backends. mtpd runs 12 request threads here, so that 12 wrong passwords really overlap (each
// read the account before its ~100 ms hash, decided after it).
#include <thread>
#include <vector>

#include "service_fixture.h"
#include "session_test_support.h"

namespace mtp::testing {
namespace {

constexpr int kAttempts = 12;
constexpr int kLockAfter = 3;

class SessionLockoutRaceTest : public SessionTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    o.threads = kAttempts;
    o.app.lockout_after = kLockAfter;
    o.rate_limits.enabled = false;  // the per-account limit would answer 429 first
  }

  // 12 wrong passwords at once; returns how many were answered 401 (the others 503: the hash
  // pool's queue was full, and such an attempt counts nothing).
  int wrongPasswordsAtOnce(const std::string& email) {
    std::vector<int> status(kAttempts, 0);
    std::vector<std::thread> t;
    for (int i = 0; i < kAttempts; ++i)
      t.emplace_back([&, i] { status[i] = login(email, "wrong password " + std::to_string(i)).status; });
    for (auto& th : t) th.join();
    int unauthorized = 0;
    for (int s : status) {
      EXPECT_TRUE(s == 401 || s == 503) << s;
      unauthorized += s == 401;
    }
    return unauthorized;
  }
};

TEST_P(SessionLockoutRaceTest, ConcurrentWrongPasswordsLockOnceAndAgainOnceAfterExpiry) {
  auto p = createProvider("A");
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});

  ASSERT_GE(wrongPasswordsAtOnce(a.email), kLockAfter);
  EXPECT_EQ(countEvents(p, "admin_lockout"), 1u);
  EXPECT_EQ(login(a.email, kPassword).status, 401);  // locked

  // The lock expires; 12 more at once. Each read the expired lock before hashing: on main each
  // then cleared the count and counted one, so the account never locked again.
  advance(app().config().lockout_for.count() + 1);
  ASSERT_GE(wrongPasswordsAtOnce(a.email), kLockAfter);
  EXPECT_EQ(countEvents(p, "admin_lockout"), 2u);
  EXPECT_EQ(login(a.email, kPassword).status, 401) << "not locked again after the expiry";
  advance(app().config().lockout_for.count() + 1);
  EXPECT_EQ(login(a.email, kPassword).status, 200);
}

MTP_SERVICE_BACKENDS(SessionLockoutRaceTest);

}  // namespace
}  // namespace mtp::testing
