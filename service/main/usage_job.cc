#include "main/usage_job.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "app/billing_service.h"

namespace mtp::service {

std::unique_ptr<UsageJob> UsageJob::start(store::Store& store, std::chrono::seconds interval,
                                          std::function<bool()> may_run,
                                          std::chrono::milliseconds standby_poll) {
  std::unique_ptr<UsageJob> job(new UsageJob(store, interval, std::move(may_run), standby_poll));
  job->thread_ = std::jthread([j = job.get()](const std::stop_token& st) { j->run(st); });
  return job;
}

UsageJob::UsageJob(store::Store& store, std::chrono::seconds interval, std::function<bool()> may_run,
                   std::chrono::milliseconds standby_poll)
    : store_(store), interval_(interval), may_run_(std::move(may_run)), standby_poll_(standby_poll) {}

UsageJob::~UsageJob() { stop(); }

void UsageJob::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void UsageJob::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (may_run_ && !may_run_()) {  // another replica holds the job
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, stop, standby_poll_, [] { return false; });
      continue;
    }
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    auto n = app::recordUsageSnapshots(store_, now);
    if (n) spdlog::info("usage snapshot: {} organizations recorded", *n);
    else spdlog::warn("usage snapshot failed: {}", n.error().text());
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, interval_, [] { return false; });
  }
}

}  // namespace mtp::service
