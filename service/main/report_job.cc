#include "main/report_job.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "app/report_service.h"

namespace mtp::service {

std::unique_ptr<ReportJob> ReportJob::start(store::Store& store, std::chrono::milliseconds interval,
                                            std::function<bool()> may_run) {
  std::unique_ptr<ReportJob> job(new ReportJob(store, interval, std::move(may_run)));
  job->thread_ = std::jthread([j = job.get()](const std::stop_token& st) { j->run(st); });
  return job;
}

ReportJob::ReportJob(store::Store& store, std::chrono::milliseconds interval,
                     std::function<bool()> may_run)
    : store_(store), interval_(interval), may_run_(std::move(may_run)) {}

ReportJob::~ReportJob() { stop(); }

void ReportJob::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void ReportJob::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (!may_run_ || may_run_()) {
      const auto now = static_cast<std::int64_t>(std::time(nullptr));
      auto built = app::buildPendingReports(store_, now);
      if (!built) spdlog::warn("reports: build failed: {}", built.error().text());
      else if (*built > 0) spdlog::info("reports: {} built", *built);
      auto purged = app::purgeOldReports(store_, now);
      if (!purged) spdlog::warn("reports: purge failed: {}", purged.error().text());
      else if (*purged > 0) spdlog::info("reports: {} older than 30 days deleted", *purged);
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, interval_, [] { return false; });
  }
}

}  // namespace mtp::service
