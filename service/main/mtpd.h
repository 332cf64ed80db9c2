// The composition root of mtpd: opens the store (migrating it), loads the policies, builds the
// engine from the store's directory, the credential primitives, the use-case context, every
// route, and starts the HTTP server. main() and the service tests both start mtpd this way.
// Thread-safety: start() and stop() from one controlling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/app_context.h"
#include "decisions/decision_log.h"
#include "http/metrics.h"
#include "http/rate_limit.h"
#include "http/server.h"
#include "main/change_listener.h"

namespace mtp::service {

struct MtpdOptions {
  std::string db = "sqlite:mtp.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  // Callers at once inside password hashing (auth::PasswordHasher::limitCallers; 0: no bound).
  // mtpd's command line sets threads - 1 (at least 1), so a sign-in flood never holds every
  // request thread.
  std::size_t max_hashing_callers = 0;
  std::string policies = "policies/builtin";  // the examples in policies/examples are opt-in
  std::string jwt_key_file = "mtp-jwt.key";
  // Issue 12 item 1: the key that seals secrets at rest (auth/secret_box.h); empty:
  // mtp-secrets.key beside jwt_key_file (created 0600 on first start). The previous key
  // (optional) still opens values sealed before a rotation (docs/security.md).
  std::string secrets_key_file;
  std::string secrets_old_key_file;
  // How PSA clients are made (empty: the real ones, psa::defaultClientFactory()).
  psa::ClientFactory psa_clients;
  std::vector<std::string> trusted_proxies;
  app::AppConfig app;
  std::function<std::int64_t()> clock;  // empty: the system clock
  // false: /readyz answers 503 "starting" until markReady() (mtpd's main: after the first-start
  // bootstrap has created the owner, so a proxy or orchestrator never routes logins too early).
  bool ready_at_start = true;
  // Issue 10 item 4: per IP and per account limits on sign-in, TOTP, password, link and agent
  // register routes (http/rate_limit.h).
  http::RateLimitOptions rate_limits;
  // The web UI's built folder (web/dist); empty: API only. See http/static_files.h.
  std::string web_dir;
  bool cookie_secure = false;  // the browser session cookie gets `Secure`
  // Issue 14 item 1: every decision as a JSON line (decisions/decision_log.h); empty path: none.
  decisions::DecisionLogOptions decision_log;
  // Issue 16 item 1: follow the database's change feed (main/change_listener.h), so that a
  // change committed by another replica, mtpctl or a job is live here within a second. start()
  // waits for the listener at most `follow_wait`; /readyz answers 503 while it is not in step.
  bool follow_changes = false;
  std::chrono::milliseconds follow_wait{5000};
  // Issue 11 item 2: how long an Idempotency-Key reservation may stay unfinished (a crash)
  // before a retry may run again, or learn that the first request wrote (docs/consistency.md).
  std::chrono::seconds idempotency_lease{60};
  // Issue 16 item 2: run the database's active policy version (mtpctl policy push/rollback)
  // instead of the files in `policies`, and swap in every new one the change feed announces
  // (this turns follow_changes on). Start fails when no version was ever pushed.
  bool policies_from_db = false;
};

class Mtpd {
 public:
  // Starts serving. On failure, every problem in one message.
  static std::expected<std::unique_ptr<Mtpd>, std::string> start(MtpdOptions options);
  ~Mtpd();

  std::uint16_t port() const { return server_->port(); }
  app::AppContext& app() { return *app_; }
  store::Store& store() { return *store_; }
  engine::Authorizer& authorizer() { return *authorizer_; }
  http::Metrics& metrics() { return *metrics_; }
  // The decision log (null without MtpdOptions::decision_log.path).
  decisions::DecisionLog* decisionLog() { return decision_log_.get(); }

  // From now on /readyz answers 200 (while the database answers).
  void markReady() { ready_->store(true); }

  // SIGTERM (issue 11 item 3): /readyz answers 503 "draining", no new connection is accepted,
  // the requests already taken finish and are answered (at most `limit`), then stop().
  // Returns the number of requests left unanswered.
  int drain(std::chrono::milliseconds limit);

  // Stops the server (joining its threads) before anything the handlers use goes away.
  void stop();

  // Reads the policy directory (or, with policies_from_db, the database's active version)
  // again and swaps the new set in; on any error the live set stays and every diagnostic is
  // returned (one per line).
  std::expected<void, std::string> reloadPolicies();

 private:
  Mtpd() = default;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::Authorizer> authorizer_;
  std::unique_ptr<auth::PasswordHasher> passwords_;
  std::unique_ptr<auth::TokenCodec> tokens_;
  std::unique_ptr<auth::ApiKeyHasher> api_keys_;
  std::unique_ptr<app::AppContext> app_;
  std::shared_ptr<http::Metrics> metrics_;
  std::shared_ptr<decisions::DecisionLog> decision_log_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<ChangeListener> listener_;  // stopped in stop(), after the server
  // The database's active version when it is not the live one: compiled and swapped in.
  std::expected<void, std::string> reloadDbPolicies(bool only_if_changed);
  std::string policies_dir_;
  bool policies_from_db_ = false;
  std::mutex policy_mu_;  // one policy reload at a time (SIGHUP, the change listener)
  std::string policy_label_;  // the live set's version, as the decision log records it (policy_mu_)
  // Shared with the change listener's callback.
  std::shared_ptr<std::atomic<std::int64_t>> live_db_version_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::shared_ptr<std::atomic<bool>> ready_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> draining_ = std::make_shared<std::atomic<bool>>(false);
};

// Seconds since the epoch, from the system clock.
std::int64_t systemNow();

}  // namespace mtp::service
