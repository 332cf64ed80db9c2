// A periodic job's right to run in a cluster (issue 16 item 3): mtpd's jobs (the usage
// snapshot, the email outbox) ask mayRun() before each pass; it is true on one replica at a
// time (store/job_lock.h: a PostgreSQL advisory lock, or flock on SQLite). The other replicas
// ask again at their next pass: when the holder dies, its database session ends, the lock is
// released and the next replica to ask takes the job over.
//
// Thread-safety: mayRun() from the job's own thread only.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "store/job_lock.h"

namespace mtp::service {

class JobLease {
 public:
  JobLease(std::unique_ptr<store::JobLock> lock, std::string job);
  // True when this replica holds the job now. Logs when it takes the job and when it loses it.
  bool mayRun();

 private:
  std::unique_ptr<store::JobLock> lock_;
  std::string job_;
  bool held_ = false;
  bool reported_error_ = false;
};

// A lease for `job` on the database at `db` (mtpd's --db).
std::expected<std::unique_ptr<JobLease>, std::string> openJobLease(const std::string& db,
                                                                   const std::string& job);

}  // namespace mtp::service
