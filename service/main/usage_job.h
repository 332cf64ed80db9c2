// The daily usage snapshot job of mtpd: a background thread that records today's users and
// devices of every org (app::recordUsageSnapshots) once at start and then every `interval`,
// so billing's high-water marks follow the real users and devices. Re-running on the same
// UTC day replaces that day's counts, so the interval only bounds how stale "current" is.
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

class UsageJob {
 public:
  // `may_run` (empty: always) is asked before each pass (a JobLease in a cluster); while it
  // says no, it is asked again every `standby_poll`, and a replica that gets the lease runs at
  // once (taking the job over from a holder that died).
  static std::unique_ptr<UsageJob> start(store::Store& store, std::chrono::seconds interval,
                                         std::function<bool()> may_run = {},
                                         std::chrono::milliseconds standby_poll = std::chrono::seconds(2));
  ~UsageJob();
  UsageJob(const UsageJob&) = delete;
  UsageJob& operator=(const UsageJob&) = delete;
  void stop();

 private:
  UsageJob(store::Store& store, std::chrono::seconds interval, std::function<bool()> may_run,
           std::chrono::milliseconds standby_poll);
  void run(const std::stop_token& stop);

  store::Store& store_;
  std::chrono::seconds interval_;
  std::function<bool()> may_run_;
  std::chrono::milliseconds standby_poll_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mtp::service
