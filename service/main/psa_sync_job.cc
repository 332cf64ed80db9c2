#include "main/psa_sync_job.h"

#include <spdlog/spdlog.h>

#include "app/psa_sync.h"

namespace mtp::service {

std::unique_ptr<PsaSyncJob> PsaSyncJob::start(app::AppContext& app, PsaSyncJobOptions options) {
  std::unique_ptr<PsaSyncJob> job(new PsaSyncJob(app, std::move(options)));
  job->thread_ = std::jthread([j = job.get()](const std::stop_token& st) { j->run(st); });
  return job;
}

PsaSyncJob::~PsaSyncJob() { stop(); }

void PsaSyncJob::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void PsaSyncJob::run(const std::stop_token& stop) {
  auto last_tickets = std::chrono::steady_clock::time_point{};
  while (!stop.stop_requested()) {
    if (!options_.may_run || options_.may_run()) {
      const auto now = std::chrono::steady_clock::now();
      const bool tickets = now - last_tickets >= options_.tickets_every;
      if (tickets) last_tickets = now;
      const auto out = app::runPsaPass(app_, tickets, options_.daily);
      if (out.runs > 0 || out.tickets_opened > 0) {
        spdlog::info("psa sync: {} runs ({} failed), {} daily queued, {} tickets opened", out.runs, out.failed,
                     out.queued_daily, out.tickets_opened);
      }
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, options_.poll, [] { return false; });
  }
}

}  // namespace mtp::service
