#include "main/job_lease.h"

#include <spdlog/spdlog.h>

namespace mtp::service {

JobLease::JobLease(std::unique_ptr<store::JobLock> lock, std::string job)
    : lock_(std::move(lock)), job_(std::move(job)) {}

bool JobLease::mayRun() {
  auto held = lock_->hold();
  if (!held) {
    if (!reported_error_)
      spdlog::warn("job {}: lease unknown ({}): not run", job_, held.error().text());
    reported_error_ = true;
    held_ = false;
    return false;
  }
  reported_error_ = false;
  if (*held != held_) {
    if (*held)
      spdlog::info("job {}: this replica holds the lease and runs it", job_);
    else
      spdlog::warn("job {}: lease lost: another replica runs it", job_);
  }
  held_ = *held;
  return held_;
}

std::expected<std::unique_ptr<JobLease>, std::string> openJobLease(const std::string& db,
                                                                   const std::string& job) {
  auto lock = store::openJobLock(db, job);
  if (!lock) return std::unexpected(lock.error().text());
  return std::make_unique<JobLease>(std::move(*lock), job);
}

}  // namespace mtp::service
