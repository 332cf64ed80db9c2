#include "auth/hash_pool.h"

#include <algorithm>

namespace mtp::auth {

HashPool::HashPool(std::size_t workers, std::size_t queue_capacity, std::chrono::milliseconds wait)
    : capacity_(std::max<std::size_t>(1, queue_capacity)), wait_(wait) {
  workers = std::max<std::size_t>(1, workers);
  threads_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { loop(); });
}

HashPool::~HashPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

bool HashPool::run(const std::function<void()>& work) {
  auto task = std::make_shared<Task>();
  task->work = &work;
  std::unique_lock lock(mu_);
  if (stopping_ || queue_.size() >= capacity_) return false;
  // An idle worker for it (more idle workers than queued tasks): it will start, however slow
  // the scheduler is; only a task that must wait for a busy worker is bounded by `wait`.
  const bool has_idle_worker = idle_ > queue_.size();
  queue_.push_back(task);
  work_cv_.notify_one();
  if (has_idle_worker) {
    done_cv_.wait(lock, [&] { return task->started; });
  } else if (!done_cv_.wait_for(lock, wait_, [&] { return task->started; })) {
    // Not started in time: withdraw it (a worker skips an abandoned task).
    task->abandoned = true;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), task), queue_.end());
    return false;
  }
  done_cv_.wait(lock, [&] { return task->done; });
  return true;
}

void HashPool::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping and nothing left
    auto task = queue_.front();
    queue_.pop_front();
    if (task->abandoned) continue;
    task->started = true;
    done_cv_.notify_all();
    lock.unlock();
    try {
      (*task->work)();
    } catch (...) {  // the work reports its own failures; nothing may escape a worker
    }
    lock.lock();
    task->done = true;
    done_cv_.notify_all();
  }
}

}  // namespace mtp::auth
