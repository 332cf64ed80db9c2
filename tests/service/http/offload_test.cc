// Sign-ins off the reactor threads (http/offload.h): the pool itself, and over real HTTP a
// server with one reactor thread that answers /healthz while a sign-in is still running, and
// answers a sign-in past its IP's allowance 429 at once, without waiting for a worker.
#include "http/offload.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/server.h"
#include "http_client.h"
#include "test_support.h"

namespace mtp::http {
namespace {

using namespace std::chrono_literals;

TEST(OffloadPool, RunsTasksOnItsOwnThreads) {
  OffloadPool pool(2, 4);
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(pool.post([&](bool run) {
    EXPECT_TRUE(run);
    ran_on.set_value(std::this_thread::get_id());
  }));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
  EXPECT_EQ(pool.workers(), 2u);
}

TEST(OffloadPool, AFullQueueRefusesAndStopAnswersWhatIsLeftWithoutRunningIt) {
  OffloadPool pool(1, 1);
  std::promise<void> started, release;
  auto released = release.get_future().share();
  ASSERT_TRUE(pool.post([&, released](bool) {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // the worker is busy
  std::atomic<int> ran{0}, refused{0};
  ASSERT_TRUE(pool.post([&](bool run) { (run ? ran : refused)++; }));  // queued
  EXPECT_FALSE(pool.post([&](bool) { ran += 100; }));                  // queue full: never called
  std::thread stopper([&] { pool.stop(); });
  std::this_thread::sleep_for(50ms);
  release.set_value();
  stopper.join();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(refused.load(), 1);
  EXPECT_FALSE(pool.post([](bool) {}));  // stopped
}

TEST(OffloadPool, ATaskThatWaitedTooLongIsAnsweredWithoutRunning) {
  OffloadPool pool(1, 4, 50ms);
  std::promise<void> started;
  ASSERT_TRUE(pool.post([&](bool) {
    started.set_value();
    std::this_thread::sleep_for(150ms);
  }));
  started.get_future().wait();
  std::promise<bool> late;
  ASSERT_TRUE(pool.post([&](bool run) { late.set_value(run); }));
  EXPECT_FALSE(late.get_future().get());
}

// One reactor thread; the sign-in route blocks until the test lets it go. Offloaded, /healthz
// is answered meanwhile; on the reactor (offload_workers 0), /healthz waits for the sign-in.
class OffloadServerTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override {
    std::vector<Route> routes = opsRoutes(*metrics_, [] { return std::string(); });
    routes.push_back(Route{"POST", "/api/v2/auth/login", Access::publicRoute(), {},
                           [this](RequestContext&) -> HandlerResult {
                             entered_.set_value();
                             release_.wait();
                             return Response::json({{"ok", true}});
                           }});
    ServerOptions opts;
    opts.threads = 1;
    opts.offload_workers = GetParam();
    auto s = Server::start(opts, std::move(routes), std::make_shared<testing::FakeAuthenticator>(), engine_.fn(), metrics_);
    ASSERT_TRUE(s.has_value()) << s.error()[0];
    server_ = std::move(*s);
  }

  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>();
  testing::FakeEngine engine_;
  std::promise<void> entered_, let_go_;
  std::shared_future<void> release_ = let_go_.get_future().share();
  std::unique_ptr<Server> server_;
};

TEST_P(OffloadServerTest, HealthzIsAnsweredWhileASignInRuns) {
  const bool offloaded = GetParam() > 0;
  auto sign_in = std::async(std::launch::async, [&] {
    test::HttpClient c(server_->port());
    return c.request("POST", "/api/v2/auth/login", {{"Content-Type", "application/json"}}, "{}").status;
  });
  entered_.get_future().wait();
  test::HttpClient probe(server_->port(), "127.0.0.1", false, 1500);
  const int healthz = probe.request("GET", "/healthz").status;
  let_go_.set_value();
  EXPECT_EQ(sign_in.get(), 200);
  if (offloaded) {
    EXPECT_EQ(healthz, 200) << "the reactor thread was free";
  } else {
    EXPECT_NE(healthz, 200) << "the control: the only reactor thread was in the sign-in";
  }
}

INSTANTIATE_TEST_SUITE_P(Workers, OffloadServerTest, ::testing::Values(std::size_t{0}, std::size_t{1}));

// One offload worker, held by a sign-in; the IP's allowance is that one sign-in. With the
// server's early IP check (ServerOptions::rate_limits), the next sign-in is answered 429 by
// the reactor thread; without it (the control), it waits in the queue behind the first.
class EarlyLimitServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::vector<Route> routes = opsRoutes(*metrics_, [] { return std::string(); });
    routes.push_back(Route{"POST", "/api/v2/auth/login", Access::publicRoute(), {},
                           [this](RequestContext&) -> HandlerResult {
                             if (!entered_once_.exchange(true)) entered_.set_value();
                             release_.wait();
                             return Response::json({{"ok", true}});
                           }});
    RateLimitOptions limits;
    limits.sign_in_ip = RateRule{1, 0.001};
    auto shared = std::make_shared<RateLimits>(limits);
    applyRateLimits(routes, shared);
    ServerOptions opts;
    opts.threads = 1;
    opts.offload_workers = 1;
    if (GetParam()) opts.rate_limits = shared;
    auto s = Server::start(opts, std::move(routes), std::make_shared<testing::FakeAuthenticator>(), engine_.fn(), metrics_);
    ASSERT_TRUE(s.has_value()) << s.error()[0];
    server_ = std::move(*s);
  }

  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>();
  testing::FakeEngine engine_;
  std::atomic<bool> entered_once_{false};
  std::promise<void> entered_, let_go_;
  std::shared_future<void> release_ = let_go_.get_future().share();
  std::unique_ptr<Server> server_;
};

TEST_P(EarlyLimitServerTest, ASignInPastTheAllowanceIsRefusedWithoutWaitingForAWorker) {
  const bool early = GetParam();
  auto first = std::async(std::launch::async, [&] {
    test::HttpClient c(server_->port());
    return c.request("POST", "/api/v2/auth/login", {{"Content-Type", "application/json"}}, "{}").status;
  });
  entered_.get_future().wait();
  test::HttpClient second(server_->port(), "127.0.0.1", false, 1500);
  const auto refused = second.request("POST", "/api/v2/auth/login", {{"Content-Type", "application/json"}}, "{}");
  let_go_.set_value();
  EXPECT_EQ(first.get(), 200);
  if (early) {
    EXPECT_EQ(refused.status, 429) << "answered by the reactor thread while the only worker was busy";
    EXPECT_NE(refused.body.find("too_many_requests"), std::string::npos) << refused.body;
  } else {
    EXPECT_NE(refused.status, 429) << "the control: the handler counts it only once a worker is free";
  }
}

INSTANTIATE_TEST_SUITE_P(Check, EarlyLimitServerTest, ::testing::Bool());

}  // namespace
}  // namespace mtp::http
