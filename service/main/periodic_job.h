// A periodic background job of mtpd (the user schedule job, the monthly invoice close): a
// thread that runs `pass` once at start and then every `interval`, only while `may_run` (a
// JobLease in a cluster: one replica at a time) says so; a replica that does not hold the
// lease asks again every `standby_poll` and runs at once when it gets it.
//
// Thread-safety: start() and stop() from any thread; stop() joins and must run before
// anything `pass` uses goes away. `pass` and `may_run` run on the job's own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace mtp::service {

class PeriodicJob {
 public:
  static std::unique_ptr<PeriodicJob> start(std::string name, std::chrono::milliseconds interval,
                                            std::function<void()> pass, std::function<bool()> may_run = {},
                                            std::chrono::milliseconds standby_poll = std::chrono::seconds(2));
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;
  void stop();

 private:
  PeriodicJob(std::string name, std::chrono::milliseconds interval, std::function<void()> pass,
              std::function<bool()> may_run, std::chrono::milliseconds standby_poll);
  void run(const std::stop_token& stop);

  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<void()> pass_;
  std::function<bool()> may_run_;
  std::chrono::milliseconds standby_poll_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mtp::service
