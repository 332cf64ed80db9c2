#include "main/periodic_job.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace mtp::service {

std::unique_ptr<PeriodicJob> PeriodicJob::start(std::string name, std::chrono::milliseconds interval,
                                                std::function<void()> pass, std::function<bool()> may_run,
                                                std::chrono::milliseconds standby_poll) {
  std::unique_ptr<PeriodicJob> job(
      new PeriodicJob(std::move(name), interval, std::move(pass), std::move(may_run), standby_poll));
  job->thread_ = std::jthread([j = job.get()](const std::stop_token& st) { j->run(st); });
  return job;
}

PeriodicJob::PeriodicJob(std::string name, std::chrono::milliseconds interval, std::function<void()> pass,
                         std::function<bool()> may_run, std::chrono::milliseconds standby_poll)
    : name_(std::move(name)),
      interval_(interval),
      pass_(std::move(pass)),
      may_run_(std::move(may_run)),
      standby_poll_(standby_poll) {}

PeriodicJob::~PeriodicJob() { stop(); }

void PeriodicJob::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void PeriodicJob::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (may_run_ && !may_run_()) {  // another replica holds the job
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, stop, standby_poll_, [] { return false; });
      continue;
    }
    try {
      pass_();
    } catch (const std::exception& e) {  // a pass must never end the process
      spdlog::error("{}: pass failed: {}", name_, e.what());
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, interval_, [] { return false; });
  }
}

}  // namespace mtp::service
