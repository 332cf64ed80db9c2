// Jobs exactly once per cluster (issue 16 item 3): a named lock that one process in the
// cluster holds at a time. PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a
// connection of its own, so when the holder dies its session ends and the server releases
// the lock; SQLite (one machine): flock() on a file beside the database, which the kernel
// releases when the holder dies.
//
// Thread-safety: one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "model/status.h"

namespace mtp::store {

class JobLock {
 public:
  virtual ~JobLock() = default;
  // True when this process holds the lock now: takes it when it is free, and checks that a
  // lock taken earlier is still held (a lost PostgreSQL connection loses it: false, and the
  // next call reconnects and tries again). kUnavailable when the database cannot be reached.
  virtual Result<bool> hold() = 0;
  // Gives the lock up (another process may take it at once).
  virtual void release() = 0;
};

// A lock named `job` for the database at `url` (the Store's url): one per job and database
// (schema). kInvalidArgument for a malformed url.
Result<std::unique_ptr<JobLock>> openJobLock(const std::string& url, const std::string& job);

}  // namespace mtp::store
