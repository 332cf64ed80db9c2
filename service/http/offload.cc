#include "http/offload.h"

#include <algorithm>

namespace mtp::http {

OffloadPool::OffloadPool(std::size_t workers, std::size_t queue_capacity, std::chrono::milliseconds max_wait)
    : capacity_(std::max<std::size_t>(1, queue_capacity)), max_wait_(max_wait) {
  workers = std::max<std::size_t>(1, workers);
  threads_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { loop(); });
}

OffloadPool::~OffloadPool() { stop(); }

bool OffloadPool::post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(Queued{std::chrono::steady_clock::now(), std::move(task)});
  }
  cv_.notify_one();
  return true;
}

void OffloadPool::stop() {
  std::deque<Queued> left;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  {
    std::lock_guard lock(mu_);
    left.swap(queue_);
  }
  for (auto& q : left) q.task(false);
}

void OffloadPool::loop() {
  for (;;) {
    Queued q;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;  // what is still queued is answered by stop()
      q = std::move(queue_.front());
      queue_.pop_front();
    }
    q.task(std::chrono::steady_clock::now() - q.posted <= max_wait_);
  }
}

}  // namespace mtp::http
