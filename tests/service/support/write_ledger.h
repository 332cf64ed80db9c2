// The client ledger of the failure tests: writers creating orgs through mtpd (or HAProxy) in a
// loop while the test breaks things, every request written down with when it ran and what it
// got, and what the clients saw in a window of time (the outage, the answers). Used by the ledger
// test of issue 11 (tests/service/ctl/ledger_process_test.cc: retries with an Idempotency-Key)
// and the HA cluster test of issue 16 (ha_cluster_test.cc: one request per create).
// Thread-safety: every method from any thread; `create` runs on the writers' threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"

namespace mtp::testing {

// One request a writer made.
struct LedgerRequest {
  int writer = 0;
  long long start_ms = 0, end_ms = 0;  // since the ledger began
  int status = 0;                      // 0: no HTTP answer (refused, cut, timed out)
  std::string retry_after;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
};

// What the clients saw in a window: the outage runs from the start of the first failed request
// to the end of the last one (0 when none failed).
struct LedgerWindow {
  long long outage_ms = 0;
  long long first_failure_ms = -1;  // after the window's start; -1 when none failed
  int ok = 0, failed = 0, with_retry_after = 0;
  std::map<int, int> by_status;  // 0: no answer
  std::string answers() const;   // " 201x12 503x4 no-answerx1"
};

class WriteLedger {
 public:
  // `create(ledger, writer, index)` makes the index-th create of a writer, with one or more
  // post() calls; writers loop until stop().
  using Create = std::function<void(WriteLedger& ledger, int writer, int index)>;
  WriteLedger(int writers, Create create);
  ~WriteLedger();
  WriteLedger(const WriteLedger&) = delete;
  WriteLedger& operator=(const WriteLedger&) = delete;

  // Ends the writers (each finishes the create it is in) and joins them.
  void stop();
  bool stopping() const { return stop_.load(); }
  long long nowMs() const;

  // One POST on a new connection (so that no client library retries a write behind the test's
  // back), written down and returned.
  LedgerRequest post(int writer, std::uint16_t port, const std::string& path, const std::string& body,
                     const mtp::test::Headers& headers, int timeout_ms);

  std::vector<LedgerRequest> requests() const;
  // True once the last `n` requests (of any writer), all started at `since_ms` or later,
  // succeeded; false after `limit`.
  bool waitHealthy(int n, std::chrono::milliseconds limit, long long since_ms = 0) const;
  // The requests started in [from_ms, to_ms).
  LedgerWindow window(long long from_ms, long long to_ms) const;

 private:
  Create create_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<LedgerRequest> requests_;
  std::vector<std::thread> threads_;
};

// Rows of one query through libpq (a conninfo or URL), every column as text; empty on error.
std::vector<std::vector<std::string>> pqRows(const std::string& conninfo, const std::string& sql);

}  // namespace mtp::testing
