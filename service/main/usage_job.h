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
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "store/store.h"

namespace mtp::service {

class UsageJob {
 public:
  static std::unique_ptr<UsageJob> start(store::Store& store, std::chrono::seconds interval);
  ~UsageJob();
  UsageJob(const UsageJob&) = delete;
  UsageJob& operator=(const UsageJob&) = delete;
  void stop();

 private:
  UsageJob(store::Store& store, std::chrono::seconds interval);
  void run(const std::stop_token& stop);

  store::Store& store_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mtp::service
