// A small pool of worker threads for the password hashes (issue 10 item 4): argon2id costs
// about 100 ms of CPU and 64 MiB each, so it runs on `workers` threads of its own rather than
// on every HTTP request thread at once, behind a bounded queue. A caller whose work cannot be
// queued (the queue is full), or finds every worker busy and does not start within `wait`, is
// refused, so that the HTTP layer answers 503 with Retry-After fast instead of piling up
// request threads.
//
// Thread-safety: run() from any thread; the destructor joins the workers (no run() after it).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mtp::auth {

class HashPool {
 public:
  HashPool(std::size_t workers, std::size_t queue_capacity, std::chrono::milliseconds wait);
  ~HashPool();
  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // Runs `work` on a worker and returns once it has run: true. False, without running it, when
  // the queue is full or no worker took it within `wait`.
  bool run(const std::function<void()>& work);

  std::size_t workers() const { return threads_.size(); }

 private:
  struct Task {
    const std::function<void()>* work = nullptr;
    bool started = false;
    bool done = false;
    bool abandoned = false;
  };
  void loop();

  const std::size_t capacity_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // workers wait for tasks
  std::condition_variable done_cv_;  // callers wait for their task
  std::deque<std::shared_ptr<Task>> queue_;
  bool stopping_ = false;
  std::size_t idle_ = 0;  // workers waiting for a task
  std::vector<std::thread> threads_;
};

}  // namespace mtp::auth
