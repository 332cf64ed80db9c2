// The PSA sync job of mtpd (issue 12 item 1): a background thread that runs
// app::runPsaPass every `poll` (queued "sync now" runs start within one poll; the daily runs
// and retries when due), with ticketing every `tickets_every`. Never on a request thread;
// once per cluster through `may_run` (a JobLease "psa-sync").
//
// Thread-safety: start() and stop() from any thread; stop() joins and must run before the
// AppContext goes away.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "app/app_context.h"

namespace mtp::service {

struct PsaSyncJobOptions {
  std::chrono::milliseconds poll{5000};
  std::chrono::milliseconds tickets_every{60000};
  std::function<bool()> may_run;  // empty: always
  bool daily = true;               // false: only queued runs and retries (tests)
};

class PsaSyncJob {
 public:
  static std::unique_ptr<PsaSyncJob> start(app::AppContext& app, PsaSyncJobOptions options);
  ~PsaSyncJob();
  PsaSyncJob(const PsaSyncJob&) = delete;
  PsaSyncJob& operator=(const PsaSyncJob&) = delete;
  void stop();

 private:
  PsaSyncJob(app::AppContext& app, PsaSyncJobOptions options) : app_(app), options_(std::move(options)) {}
  void run(const std::stop_token& stop);

  app::AppContext& app_;
  PsaSyncJobOptions options_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mtp::service
