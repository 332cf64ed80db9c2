// The report job of mtpd: a background thread that builds every pending report
// (app::buildPendingReports) and deletes reports older than 30 days (app::purgeOldReports),
// once at start and then every `interval`. One replica of a cluster runs it at a time
// (`may_run`: a JobLease on "reports").
//
// Thread-safety: start() and stop() from any thread; stop() joins and must run before the
// store goes away.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "store/store.h"

namespace mtp::service {

class ReportJob {
 public:
  static std::unique_ptr<ReportJob> start(store::Store& store, std::chrono::milliseconds interval,
                                          std::function<bool()> may_run = {});
  ~ReportJob();
  ReportJob(const ReportJob&) = delete;
  ReportJob& operator=(const ReportJob&) = delete;
  void stop();

 private:
  ReportJob(store::Store& store, std::chrono::milliseconds interval, std::function<bool()> may_run);
  void run(const std::stop_token& stop);

  store::Store& store_;
  std::chrono::milliseconds interval_;
  std::function<bool()> may_run_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mtp::service
