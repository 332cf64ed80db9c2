#include "app/background_retry.h"

namespace mtp::app {

BackgroundRetry::BackgroundRetry(std::function<bool()> attempt, std::chrono::milliseconds interval)
    : attempt_(std::move(attempt)), interval_(interval), thread_([this] { run(); }) {}

BackgroundRetry::~BackgroundRetry() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void BackgroundRetry::request() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

bool BackgroundRetry::pending() const {
  std::lock_guard lock(mu_);
  return pending_;
}

void BackgroundRetry::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || pending_; });
    // Give the failing dependency a moment before each attempt.
    if (cv_.wait_for(lock, interval_, [&] { return stop_; })) return;
    pending_ = false;  // a request from now on asks for one more attempt after this one
    lock.unlock();
    const bool ok = attempt_();
    lock.lock();
    if (!ok) pending_ = true;
  }
}

}  // namespace mtp::app
