// The password hashes' worker pool: work runs on the pool's threads, a full queue refuses at
// once, and a caller not served within its wait is refused without the work running later.
#include "auth/hash_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace mtp::auth {
namespace {

using namespace std::chrono_literals;

TEST(HashPool, RunsOnItsOwnThreads) {
  HashPool pool(2, 4, 1s);
  std::thread::id ran_on;
  EXPECT_TRUE(pool.run([&] { ran_on = std::this_thread::get_id(); }));
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_EQ(pool.workers(), 2u);
}

TEST(HashPool, AFullQueueRefusesAtOnceAndAbandonedWorkNeverRuns) {
  HashPool pool(1, 1, 100ms);
  std::promise<void> release;
  auto gate = release.get_future().share();
  std::atomic<int> ran{0};
  // One busy worker, one queued caller: the queue is full.
  auto busy = std::async(std::launch::async, [&] { return pool.run([&] { gate.wait(); ++ran; }); });
  std::this_thread::sleep_for(50ms);
  auto queued = std::async(std::launch::async, [&] { return pool.run([&] { ++ran; }); });
  std::this_thread::sleep_for(20ms);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(pool.run([&] { ++ran; }));  // full: refused without waiting
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms);
  EXPECT_FALSE(queued.get());  // not started within 100 ms: withdrawn
  release.set_value();
  EXPECT_TRUE(busy.get());
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ran.load(), 1);
  EXPECT_TRUE(pool.run([&] { ++ran; }));
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace mtp::auth
