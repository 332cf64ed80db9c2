// Requests that are answered off the reactor threads (issue 10 item 4). Pistache binds each
// connection to one reactor thread, so a handler that blocks (a sign-in waiting ~100 ms or
// more for its argon2 hash) stalls every other connection of that thread: under a sign-in
// flood, /healthz on those connections waited up to a second. The server hands the routes
// that hash a password (http/rate_limit.h's limited routes) to this pool: the reactor thread
// returns at once, a worker runs the pipeline and queues the answer on the connection
// (Pistache's write queue is safe from any thread). A full queue refuses at once (the caller
// answers 503 with Retry-After on the reactor thread), and so does a task that waited longer
// than `max_wait` for a worker: Pistache closes a connection that has not sent a byte for its
// header timeout, so an answer must not come later than that.
//
// Thread-safety: post() from any thread; stop() once, from the owner (the destructor calls it).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mtp::http {

class OffloadPool {
 public:
  // A task is called once: with true on a worker, or with false when it waited more than
  // `max_wait` or the pool stops before a worker took it (the task then answers without doing
  // its work).
  using Task = std::function<void(bool run)>;

  OffloadPool(std::size_t workers, std::size_t queue_capacity,
              std::chrono::milliseconds max_wait = std::chrono::seconds(2));
  ~OffloadPool();
  OffloadPool(const OffloadPool&) = delete;
  OffloadPool& operator=(const OffloadPool&) = delete;

  // False, without calling the task, when the queue is full or the pool has stopped.
  bool post(Task task);

  // Lets the running tasks finish, calls every queued one with false, joins the workers.
  void stop();

  std::size_t workers() const { return threads_.size(); }

 private:
  void loop();

  struct Queued {
    std::chrono::steady_clock::time_point posted;
    Task task;
  };

  const std::size_t capacity_;
  const std::chrono::milliseconds max_wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mtp::http
