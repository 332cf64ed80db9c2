// The email outbox's delivery: a background thread of mtpd (started with --smtp URL) that
// polls the store for unsent emails (activation, password reset, TOTP reset) and hands each
// to an SMTP relay with libcurl, marking it sent, or failed with the error (bounded attempts,
// exponential back-off between them).
//
// Email bodies carry one-time tokens: no body, subject or recipient ever reaches a log line;
// logs name the email id only. Failure texts stored with markEmailFailed are libcurl's and
// the relay's, never the message.
//
// Thread-safety: start(), wake() and stop() from any thread; stop() joins the thread (an
// SMTP exchange in progress is aborted) and must run before the store goes away.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/store.h"

namespace mtp::service {

struct OutboxSenderOptions {
  std::string smtp_url;                 // smtp://host[:port] (smtps:// for implicit TLS)
  std::string from = "mtp@localhost";   // envelope and header sender
  std::chrono::milliseconds poll_interval{5000};
  std::chrono::milliseconds max_backoff{10 * 60 * 1000};
  int max_attempts = 8;  // after this many failures an email stays in the outbox, unsent
  int batch = 20;        // emails per poll
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds send_timeout{60};
  std::function<std::int64_t()> clock;  // empty: the system clock
  // Asked before each pass (empty: always): a JobLease, so that one replica of a cluster
  // sends the outbox; the others ask again at every poll and take over when the holder dies.
  std::function<bool()> may_run;
};

// Checks the URL and sender; "" when usable, else the reason.
std::string checkOutboxOptions(const OutboxSenderOptions& options);

// The RFC 5322 message for `email` (CRLF lines, encoded subject). Exposed for tests.
std::string composeMessage(const model::EmailRecord& email, const std::string& from, std::int64_t now);

class OutboxSender {
 public:
  // Starts the thread. Fails on a malformed URL or sender (nothing started).
  static std::expected<std::unique_ptr<OutboxSender>, std::string> start(store::Store& store,
                                                                        OutboxSenderOptions options);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Polls now instead of at the next interval (after an enqueue, for instance).
  void wake();
  // Stops and joins the thread. Idempotent.
  void stop();

  // Counters since start (for tests and logs).
  std::int64_t sent() const;
  std::int64_t failed() const;

 private:
  OutboxSender(store::Store& store, OutboxSenderOptions options);
  void run();
  void pass();
  // "" on success, else the error to record.
  std::string deliver(const model::EmailRecord& email);
  std::int64_t now() const;

  store::Store& store_;
  OutboxSenderOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::int64_t sent_ = 0;
  std::int64_t failed_ = 0;
  // Back-off: when each failed email may be tried again (steady clock, in this process).
  std::map<std::string, std::chrono::steady_clock::time_point> not_before_;
  std::thread thread_;
};

}  // namespace mtp::service
