// Issue 11 item 2: work that must eventually succeed but must not fail the request that asked
// for it (the directory refresh after a committed change). request() wakes a thread of its
// own that calls `attempt` until it returns true, every `interval`; requests made meanwhile
// fold into the next attempt. pending() says whether an attempt is still owed.
// Thread-safety: request() and pending() from any thread; the destructor stops the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mtp::app {

class BackgroundRetry {
 public:
  BackgroundRetry(std::function<bool()> attempt, std::chrono::milliseconds interval);
  ~BackgroundRetry();
  BackgroundRetry(const BackgroundRetry&) = delete;
  BackgroundRetry& operator=(const BackgroundRetry&) = delete;

  void request();
  bool pending() const;

 private:
  void run();

  std::function<bool()> attempt_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mtp::app
