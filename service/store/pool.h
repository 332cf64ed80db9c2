// A fixed set of SOCI sessions, leased one per unit of work. Sessions are opened lazily and
// re-opened when marked broken, so the pool works while the database is down and heals when
// it comes back. Thread-safety: lease() is safe from any thread; a Lease is used by one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/statement_cache.h"
#include "model/status.h"

namespace soci {
class session;
}

namespace mtp::store::detail {

class Pool {
 public:
  // `open` opens a fresh session (and sets it up); it may throw soci::soci_error.
  Pool(std::size_t size, std::function<void(soci::session&)> open);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    soci::session& session() { return *session_; }
    // The session's prepared statements (emptied whenever the session is re-opened).
    StatementCache& statements();
    // Closes the session and opens a new one. kUnavailable if that fails (the slot stays
    // broken and is retried by the next lease).
    Result<void> reopen();

   private:
    friend class Pool;
    Lease(Pool* pool, std::size_t slot, soci::session* s) : pool_(pool), slot_(slot), session_(s) {}
    Pool* pool_;
    std::size_t slot_;
    soci::session* session_;
    bool broken_ = false;
  };

  // Waits at most `timeout` for a free session: kUnavailable when none frees up or the
  // session cannot be opened.
  Result<Lease> lease(std::chrono::milliseconds timeout);

 private:
  struct Slot;
  void giveBack(std::size_t slot, bool broken);

  std::function<void(soci::session&)> open_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::size_t> free_;
};

}  // namespace mtp::store::detail
