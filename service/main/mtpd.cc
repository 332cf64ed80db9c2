#include "main/mtpd.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "app/actor.h"
#include "app/authorization.h"
#include "app/denial_event.h"
#include "auth/random.h"
#include "handlers/actor.h"
#include "handlers/routes.h"
#include "handlers/session_authenticator.h"
#include "http/log_format.h"
#include "main/db_files.h"
#include "main/idempotency_keys.h"
#include "main/db_policies.h"
#include "mtp/engine/policy_set.h"

namespace mtp::service {

std::int64_t systemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// The API key pepper: derived from the signing key, so one secret file serves both.
std::string pepperFrom(const auth::SigningKey& key) {
  unsigned char out[32];
  static constexpr char kContext[] = "mtp api key pepper v1";
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kContext),
                     sizeof kContext - 1, reinterpret_cast<const unsigned char*>(key.bytes.data()),
                     key.bytes.size());
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

}  // namespace

std::expected<std::unique_ptr<Mtpd>, std::string> Mtpd::start(MtpdOptions o) {
  auth::ensureSodium();
  // Issue 10 item 5: no request text forges a log line (control characters escaped).
  http::installEscapingLogFormat();
  std::unique_ptr<Mtpd> m(new Mtpd());
  auto clock = o.clock ? o.clock : std::function<std::int64_t()>(systemNow);

  // Issue 10 item 8: a SQLite database and its WAL are the owner's only (0600).
  if (auto bad = restrictSqliteFiles(o.db); !bad.empty()) return std::unexpected("database: " + bad);
  m->ready_->store(o.ready_at_start);
  store::StoreOptions so;
  so.url = o.db;
  so.pool_size = static_cast<std::size_t>(std::max(o.threads, 1)) + 1;
  so.clock = clock;
  auto store = store::openStore(so);
  if (!store) return std::unexpected("database: " + store.error().text());
  m->store_ = std::move(*store);
  auto version = m->store_->migrate();
  if (!version) return std::unexpected("database: " + version.error().text());
  // Issue 11 item 5: a database mtpd cannot write (a read-only file or server, a full disk)
  // is refused at start, not discovered by the first client.
  if (auto probe = m->store_->probeWrite(); !probe) {
    return std::unexpected("database: not writable (" + probe.error().text() +
                           "): mtpd needs a database it can write");
  }

  m->policies_dir_ = o.policies;
  m->policies_from_db_ = o.policies_from_db;
  std::shared_ptr<const engine::PolicySet> policies;
  std::string policy_version;
  if (o.policies_from_db) {
    o.follow_changes = true;  // a pushed version is announced on the change feed
    auto db = loadDbPolicies(*m->store_);
    if (!db) return std::unexpected("policies: " + db.error());
    policies = db->set;
    policy_version = db->label();
    m->live_db_version_->store(db->version);
    spdlog::info("policies: version {} from the database", policy_version);
  } else {
    auto files = engine::PolicySet::load(o.policies);
    if (!files) {
      std::string msg = "policies:";
      for (const auto& d : files.error()) msg += "\n  " + d.str();
      return std::unexpected(msg);
    }
    policies = std::move(*files);
    policy_version = std::string(policies->version());
  }
  m->policy_label_ = policy_version;
  auto dir = m->store_->loadDirectory();
  if (!dir) return std::unexpected("database: " + dir.error().text());
  auto authorizer = engine::Authorizer::create(policies, std::move(*dir));
  if (!authorizer) return std::unexpected("directory: " + authorizer.error().message);
  m->authorizer_ = std::move(*authorizer);

  auto key = auth::loadOrCreateKeyFile(o.jwt_key_file);
  if (!key) return std::unexpected("jwt key: " + key.error());
  m->api_keys_ = std::make_unique<auth::ApiKeyHasher>(pepperFrom(*key));
  m->tokens_ = std::make_unique<auth::TokenCodec>(*key, o.app.issuer, o.app.audience);
  m->passwords_ = std::make_unique<auth::PasswordHasher>();
  m->passwords_->limitCallers(o.max_hashing_callers);
  m->app_ = std::make_unique<app::AppContext>(*m->store_, *m->authorizer_, *m->passwords_,
                                              *m->tokens_, *m->api_keys_, o.app, clock);
  {
    const std::filesystem::path secrets_key = o.secrets_key_file.empty()
        ? std::filesystem::path(o.jwt_key_file).parent_path() / "mtp-secrets.key"
        : std::filesystem::path(o.secrets_key_file);
    auto box = auth::SecretBox::fromKeyFiles(secrets_key, o.secrets_old_key_file);
    if (!box) return std::unexpected(box.error());
    m->app_->setSecrets(std::make_shared<const auth::SecretBox>(std::move(*box)));
    if (o.psa_clients) m->app_->setPsaClients(o.psa_clients);
  }
  m->metrics_ = std::make_shared<http::Metrics>();
  if (o.follow_changes) {
    auto feed = store::openChangeFeed(o.db);
    if (!feed) return std::unexpected("change feed: " + feed.error().text());
    ChangeListenerOptions lo;
    if (o.policies_from_db) {
      // A new active version (or a gap, which may hide one): swap it in; a version that does
      // not compile here is logged and the live set stays.
      lo.on_policy = [mp = m.get()] {
        auto r = mp->reloadDbPolicies(true);
        if (!r) spdlog::error("policies: not reloaded from the database, the live set stays:\n{}", r.error());
      };
    }
    m->listener_ = ChangeListener::start(std::move(*feed), *m->app_, lo);
    if (!m->listener_->waitSynced(o.follow_wait)) {
      spdlog::warn("change feed: not in step after {} ms: /readyz answers 503 until it is",
                   o.follow_wait.count());
    }
  }
  ChangeListener* listener = m->listener_.get();

  http::ServerOptions sopt;
  sopt.listen = o.listen;
  sopt.threads = o.threads;
  sopt.trusted_proxies = o.trusted_proxies;
  sopt.clock = clock;
  // Sign-ins and the other hashing routes off the reactor threads (http/offload.h): as many
  // workers as may hash at once, and two more so that 429s and refusals keep flowing.
  sopt.offload_workers = (o.max_hashing_callers > 0 ? o.max_hashing_callers : static_cast<std::size_t>(o.threads)) + 2;
  sopt.offload_queue = 32 * sopt.offload_workers;
  // The web UI and its cookie session (http/static_files.h, http/browser_session.h).
  sopt.browser.cookie_secure = o.cookie_secure;
  if (!o.web_dir.empty()) {
    auto web = http::StaticFiles::load(o.web_dir);
    if (!web) return std::unexpected("web UI: " + web.error());
    spdlog::info("web UI: {} files ({} bytes) from {}", (*web)->fileCount(), (*web)->totalBytes(), o.web_dir);
    sopt.web = std::move(*web);
  }
  if (!o.decision_log.path.empty()) {
    auto dl = decisions::DecisionLog::open(o.decision_log);
    if (!dl) return std::unexpected(dl.error());
    // The change listener may swap policies in from now on (reloadDbPolicies).
    std::lock_guard lock(m->policy_mu_);
    m->decision_log_ = std::move(*dl);
    m->decision_log_->setPolicyVersion(m->policy_label_);
    sopt.on_decision = [dl = m->decision_log_](const engine::Request& r, const engine::Decision& d,
                                               const app::DecisionInfo& info) { dl->write(r, d, info.decision_id); };
  }
  // Every denial of an authenticated request is one activity event (spec: activity), written
  // to the caller's own provider; the 403 body's decision id is the event's resource id.
  app::AppContext* appctx = m->app_.get();
  sopt.on_denied = [appctx](const http::RequestContext& ctx, const engine::Request& r,
                            const engine::Decision& d, std::string_view decision_id) {
    const app::Actor actor = handlers::actorOf(ctx);
    const std::string action =
        r.action < engine::allActions().size() ? std::string(engine::actionInfo(r.action).name) : "";
    auto event = app::denialEvent(actor, action, d.reason, std::string(decision_id), r.organization);
    auto written = appctx->store().transact(
        [&](store::Tx& tx) { return tx.appendActivity(actor.scope(), event); });
    if (!written) spdlog::warn("denial {} not written to the activity log", decision_id);
  };
  store::Store* st = m->store_.get();
  // Idempotency-Key on POST (http/idempotency.h), kept in the store.
  sopt.idempotency = std::make_shared<StoreIdempotencyKeys>(*m->store_, clock, o.idempotency_lease);
  auto routes = handlers::allRoutes(*m->app_);
  // The rate-limit hook: wraps the limited routes' handlers by method and pattern (issue 10 item 4).
  // The server takes a sign-in's IP token before its offload pool (http/server.h).
  if (o.rate_limits.enabled) sopt.rate_limits = std::make_shared<http::RateLimits>(o.rate_limits);
  http::applyRateLimits(routes, sopt.rate_limits);
  // Ready when startup has finished (markReady) and the database answers (the policies are
  // loaded, or we would not be here).
  for (auto& r : http::opsRoutes(*m->metrics_, [st, listener, ready = m->ready_, draining = m->draining_]() -> std::string {
         if (draining->load()) return "draining";
         if (!ready->load()) return "starting";
         if (listener != nullptr && !listener->synced()) return "directory reloading";
         auto ping = st->ping();
         if (!ping) return "database unreachable";
         // After a write failed on storage, not ready until a write (or this probe) commits.
         auto writable = st->writable();
         return writable ? "" : "database not writable: " + writable.error().text();
       }))
    routes.push_back(std::move(r));
  auto server = http::Server::start(
      sopt, std::move(routes), handlers::makeAuthenticator(*m->app_),
      app::engineSource(*m->authorizer_), m->metrics_);
  if (!server) {
    std::string msg = "server:";
    for (const auto& e : server.error()) msg += "\n  " + e;
    return std::unexpected(msg);
  }
  m->server_ = std::move(*server);
  return m;
}

std::expected<void, std::string> Mtpd::reloadDbPolicies(bool only_if_changed) {
  std::lock_guard lock(policy_mu_);
  if (only_if_changed) {
    auto active = activeDbPolicyVersion(*store_);
    if (!active) return std::unexpected(active.error());
    if (!*active || **active == live_db_version_->load()) return {};
  }
  auto db = loadDbPolicies(*store_);
  if (!db) return std::unexpected(db.error());
  if (only_if_changed && db->version == live_db_version_->load()) return {};
  auto swapped = authorizer_->replacePolicies(db->set);
  if (!swapped) {
    return std::unexpected("policy version " + std::to_string(db->version) + ": " + swapped.error().message);
  }
  live_db_version_->store(db->version);
  policy_label_ = db->label();
  if (decision_log_) decision_log_->setPolicyVersion(policy_label_);
  spdlog::info("policies: version {} from the database is live", db->label());
  return {};
}

std::expected<void, std::string> Mtpd::reloadPolicies() {
  if (policies_from_db_) return reloadDbPolicies(false);
  std::lock_guard lock(policy_mu_);
  auto policies = engine::PolicySet::load(policies_dir_);
  if (!policies) {
    std::string msg;
    for (const auto& d : policies.error()) msg += d.str() + "\n";
    return std::unexpected(msg);
  }
  auto swapped = authorizer_->replacePolicies(*policies);
  if (!swapped) return std::unexpected(swapped.error().message);
  policy_label_ = std::string((*policies)->version());
  if (decision_log_) decision_log_->setPolicyVersion(policy_label_);
  return {};
}

int Mtpd::drain(std::chrono::milliseconds limit) {
  draining_->store(true);
  return server_ ? server_->drain(limit) : 0;
}

void Mtpd::stop() {
  if (server_) server_->stop();
  if (listener_) listener_->stop();
}

Mtpd::~Mtpd() { stop(); }

}  // namespace mtp::service
