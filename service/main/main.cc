// mtpd: the MTP REST service.
//
//   mtpd [--db URL] [--listen HOST:PORT] [--policies DIR] [--smtp URL] [--demo] ...
//   mtpd migrate [--db URL]        apply the schema migrations and exit
//
// Signals: SIGTERM/SIGINT stop gracefully: no new connection is accepted, the requests already
// taken finish and are answered (at most --drain-seconds), the HTTP server joins its threads,
// the outbox sender stops, then the store closes; exit 0. SIGHUP reloads the policies (a set with
// errors is refused and the live one stays) and the directory from the database (after
// `mtpctl provider create` on a running deployment).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "main/bootstrap.h"
#include "main/db_files.h"
#include "main/demo.h"
#include "main/mtpd.h"
#include "main/demo_fleet.h"
#include "main/outbox_sender.h"
#include "main/job_lease.h"
#include "main/psa_sync_job.h"
#include "main/periodic_job.h"
#include "main/report_job.h"
#include "main/usage_job.h"
#include "app/activity_retention.h"
#include "app/billing_service.h"
#include "app/user_schedule_service.h"

namespace {

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

// The URL people can paste: a wildcard listen address is reached on loopback.
std::string urlFor(const std::string& listen, std::uint16_t port) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
  if (host == "::" || host == "[::]") host = "[::1]";
  return "http://" + host + ":" + std::to_string(port);
}

// The default of --web: the built UI (web/dist) in the working directory (scripts/run.sh
// starts mtpd from the repository root), else next to the source tree of this binary
// (build/service/main/mtpd -> ../../../web/dist). Empty when neither exists: API only.
std::string defaultWebDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file("web/dist/index.html", ec)) return "web/dist";
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path dist = exe.parent_path() / "../../../web/dist";
    if (fs::is_regular_file(dist / "index.html", ec)) return fs::weakly_canonical(dist, ec).string();
  }
  return "";
}

int migrateOnly(const std::string& db) {
  if (auto bad = mtp::service::restrictSqliteFiles(db); !bad.empty()) {
    std::cerr << "mtpd migrate: database: " << bad << "\n";
    return 1;
  }
  mtp::store::StoreOptions so;
  so.url = db;
  so.pool_size = 1;
  auto store = mtp::store::openStore(so);
  if (!store) {
    std::cerr << "mtpd migrate: database: " << store.error().text() << "\n";
    return 1;
  }
  auto before = (*store)->schemaVersion();
  auto version = (*store)->migrate();
  if (!version) {
    std::cerr << "mtpd migrate: " << version.error().text() << "\n";
    return 1;
  }
  std::cout << "mtpd migrate: schema at version " << *version;
  if (before && *before != *version) std::cout << " (was " << *before << ")";
  std::cout << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mtp::service::MtpdOptions o;
  o.db = envOr("MTP_DB", o.db);
  o.listen = envOr("MTP_LISTEN", o.listen);
  o.policies = envOr("MTP_POLICIES", o.policies);  // default: the built-in roles only
  o.policies_from_db = envOr("MTP_POLICIES_FROM_DB", "") == "1";
  o.jwt_key_file = envOr("MTP_JWT_KEY_FILE", o.jwt_key_file);
  o.secrets_key_file = envOr("MTP_SECRETS_KEY_FILE", "");
  o.secrets_old_key_file = envOr("MTP_SECRETS_OLD_KEY_FILE", "");
  int psa_poll_ms = 5000;
  bool psa_private_networks = envOr("MTP_PSA_ALLOW_PRIVATE_NETWORKS", "") == "1";
  o.threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  mtp::service::OutboxSenderOptions mail;
  int usage_interval = 3600;
  int usage_standby_ms = 2000;
  int schedule_interval_ms = 30000;
  int invoice_interval = 3600;
  mtp::app::ActivityRetentionOptions retention;
  int retention_interval = 3600;
  int smtp_poll_ms = 5000;
  mail.smtp_url = envOr("MTP_SMTP", "");
  mail.from = envOr("MTP_SMTP_FROM", mail.from);
  std::string public_url = envOr("MTP_PUBLIC_URL", "");
  bool demo = false;
  std::string web_dir = "auto";
  int drain_seconds = 10;
  int hashing_callers = -1;  // -1: threads - 1 (at least 1)

  CLI::App cli{"mtpd: the MTP REST service"};
  cli.add_option("--db", o.db, "Database: sqlite:PATH or postgresql://user:pass@host:port/db (env MTP_DB)")
      ->capture_default_str();
  cli.add_option("--listen", o.listen, "Address to listen on (env MTP_LISTEN)")->capture_default_str();
  cli.add_option("--threads", o.threads, "Worker threads")->check(CLI::Range(1, 256))->capture_default_str();
  cli.add_option("--max-hashing-callers", hashing_callers,
                 "Requests at once in password hashing (sign-ins, password changes); more answer 503 "
                 "at once. Default: --threads minus 1 (at least 1), so a sign-in flood never holds every "
                 "worker thread; 0: no bound")
      ->check(CLI::Range(-1, 256));
  cli.add_option("--policies", o.policies, "Policy directory (env MTP_POLICIES)")->capture_default_str();
  cli.add_flag("--policies-from-db", o.policies_from_db,
               "Run the database's active policy version (mtpctl policy push/rollback) instead of "
               "--policies, and swap in every new one at once (a cluster; env MTP_POLICIES_FROM_DB=1)");
  cli.add_option("--jwt-key-file", o.jwt_key_file, "Session signing key; created 0600 on first start (env MTP_JWT_KEY_FILE)")
      ->capture_default_str();
  cli.add_option("--secrets-key-file", o.secrets_key_file,
                 "Key sealing secrets at rest (PSA credentials); created 0600 on first start. Default: "
                 "mtp-secrets.key beside --jwt-key-file (env MTP_SECRETS_KEY_FILE)");
  cli.add_option("--secrets-old-key-file", o.secrets_old_key_file,
                 "The previous secrets key during a rotation: values sealed under it still open "
                 "(env MTP_SECRETS_OLD_KEY_FILE; docs/security.md)");
  cli.add_option("--psa-poll-ms", psa_poll_ms,
                 "How often the PSA sync job looks for queued syncs (\"sync now\" starts within this)")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  cli.add_flag("--psa-allow-private-networks", psa_private_networks,
               "Let PSA requests reach loopback, private and link-local addresses (an on-premises "
               "ConnectWise; env MTP_PSA_ALLOW_PRIVATE_NETWORKS=1). Off: a site URL that leads to "
               "one is refused (SSRF)");
  cli.add_option("--trusted-proxy", o.trusted_proxies, "CIDR of a reverse proxy whose X-Forwarded-For is believed");
  cli.add_option("--usage-interval", usage_interval,
                 "Seconds between usage snapshots of every org (billing; 0: never)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cli.add_option("--user-schedule-interval-ms", schedule_interval_ms,
                 "Milliseconds between passes of the job that carries out users' scheduled suspensions "
                 "and activations when due (0: never)")
      ->check(CLI::Range(0, 3600000))
      ->capture_default_str();
  cli.add_option("--invoice-close-interval", invoice_interval,
                 "Seconds between checks that every provider's previous month is invoiced (the monthly "
                 "close; 0: never, leave it to mtpctl billing close-month)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cli.add_option("--activity-retention-days", retention.retention_days,
                 "Activity events older than this many days are deleted (PostgreSQL: whole monthly "
                 "partitions dropped); 0: kept forever")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  cli.add_option("--activity-retention-interval", retention_interval,
                 "Seconds between passes of the activity job (partitions made ahead, retention; 0: never)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cli.add_option("--job-standby-ms", usage_standby_ms,
                 "How often a replica that does not hold the usage job asks for it (takeover delay)")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  cli.add_option("--smtp", mail.smtp_url, "Deliver the email outbox to this relay: smtp://host:port (env MTP_SMTP)");
  cli.add_option("--smtp-poll-ms", smtp_poll_ms, "How often the outbox is checked for emails to send")
      ->check(CLI::Range(50, 600000))
      ->capture_default_str();
  cli.add_option("--smtp-from", mail.from, "Sender address of outbox emails (env MTP_SMTP_FROM)")->capture_default_str();
  cli.add_option("--public-url", public_url, "The URL people reach mtpd at, for links in emails (env MTP_PUBLIC_URL)");
  bool no_rate_limits = false;
  cli.add_flag("--no-rate-limits", no_rate_limits,
               "Turn off the per IP and per account limits on sign-in routes (benchmarks only)");
  cli.add_option("--web", web_dir,
                 "Folder of the built web UI served at / (\"none\": API only; default: web/dist of the "
                 "working directory or of the source tree)")
      ->capture_default_str();
  cli.add_flag("--cookie-secure", o.cookie_secure,
               "Mark the browser session cookie Secure (the UI is reached over TLS through a proxy)");
  cli.add_option("--drain-seconds", drain_seconds,
                 "On SIGTERM/SIGINT, the longest wait for the requests in flight to be answered")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  int idempotency_lease = 60;
  cli.add_option("--idempotency-lease-seconds", idempotency_lease,
                 "How long an unfinished Idempotency-Key reservation (a crash mid-request) holds "
                 "retries off with 409 before they may run again (docs/consistency.md)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  // Issue 14 item 1: the decision log (docs/deploy.md).
  double decision_log_mb = 100;
  cli.add_option("--decision-log", o.decision_log.path,
                 "Write every decision as a JSON line to this file (created 0600; rotated by size)");
  cli.add_option("--decision-log-max-mb", decision_log_mb, "Rotate the decision log at this size (MiB)")
      ->check(CLI::Range(0.01, 1e6))
      ->capture_default_str();
  cli.add_option("--decision-log-files", o.decision_log.max_files, "Rotated decision log files kept")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cli.add_option("--decision-log-sample", o.decision_log.sample,
                 "Fraction of allowed decisions written (denials always are), 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cli.add_flag("--demo", demo, "Seed an empty database with a demo provider, orgs and one admin per role; print the logins");
  auto* migrate = cli.add_subcommand("migrate", "Apply the schema migrations and exit");
  migrate->fallthrough();  // `mtpd migrate --db URL` as well as `mtpd --db URL migrate`
  CLI11_PARSE(cli, argc, argv);

  if (migrate->parsed()) return migrateOnly(o.db);
  o.max_hashing_callers =
      hashing_callers >= 0 ? static_cast<std::size_t>(hashing_callers) : static_cast<std::size_t>(std::max(o.threads - 1, 1));
  o.decision_log.max_bytes = static_cast<std::size_t>(decision_log_mb * 1024 * 1024);
  if (web_dir == "auto") {
    o.web_dir = defaultWebDir();
    if (o.web_dir.empty()) spdlog::warn("web UI not built (cd web && npm ci && npm run build): serving the API only");
  } else if (web_dir != "none") {
    o.web_dir = web_dir;
  }

  o.app.public_url = public_url.empty() ? "http://" + o.listen : public_url;
  mtp::service::BootstrapInput boot;
  boot.email = envOr("MTP_BOOTSTRAP_EMAIL", "");
  boot.password = envOr("MTP_BOOTSTRAP_PASSWORD", "");
  ::unsetenv("MTP_BOOTSTRAP_PASSWORD");  // no child or /proc reader needs it from here on
  if (!mail.smtp_url.empty()) {
    if (auto bad = mtp::service::checkOutboxOptions(mail); !bad.empty()) {
      std::cerr << "mtpd: " << bad << "\n";
      return 2;
    }
  }

  // Block the stop and reload signals in every thread; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  o.rate_limits.enabled = !no_rate_limits;
  if (psa_private_networks) {
    o.psa_clients = mtp::psa::defaultClientFactory(mtp::psa::Transport{.reach = mtp::psa::Reach::kAnyAddress});
  }
  o.ready_at_start = false;  // /readyz: 503 until the bootstrap below has finished
  o.follow_changes = true;   // issue 16: changes by other replicas, mtpctl and jobs
  o.idempotency_lease = std::chrono::seconds(idempotency_lease);
  auto mtpd = mtp::service::Mtpd::start(o);
  if (!mtpd) {
    std::cerr << "mtpd: " << mtpd.error() << "\n";
    return 1;
  }
  auto& app = (*mtpd)->app();
  const std::string url = urlFor(o.listen, (*mtpd)->port());

  // First start: a provider and its owner (or, with --demo, the demo tenant).
  std::string banner;
  bool seeded = false;
  std::optional<mtp::service::DemoOutcome> demo_outcome;
  if (demo) {
    auto d = mtp::service::seedDemo(app.store(), app.passwords());
    if (!d) {
      std::cerr << "mtpd: demo: " << d.error() << "\n";
      return 1;
    }
    seeded = d->created;
    banner = mtp::service::demoBanner(*d, url);
    if (seeded) demo_outcome = *d;
  } else {
    auto b = mtp::service::bootstrapIfEmpty(app.store(), app.passwords(), boot);
    if (!b) {
      std::cerr << "mtpd: bootstrap: " << b.error() << "\n";
      return 1;
    }
    seeded = b->created;
    banner = mtp::service::bootstrapBanner(*b);
    if (seeded) spdlog::info("bootstrap: created provider {} and owner {}", b->provider_id, b->admin_id);
  }
  if (seeded) {
    if (auto r = app.refreshDirectory(); !r) {
      std::cerr << "mtpd: directory: " << r.error().text() << "\n";
      return 1;
    }
  }
  if (demo_outcome) {
    auto fleet = mtp::service::seedDemoFleet(app, *demo_outcome);
    if (!fleet) {
      std::cerr << "mtpd: demo: " << fleet.error() << "\n";
      return 1;
    }
    banner += mtp::service::demoFleetBanner(*fleet, url);
  }

  // Issue 16 item 3: each periodic job runs on one replica of the cluster at a time.
  std::unique_ptr<mtp::service::JobLease> outbox_lease, usage_lease, psa_lease, schedule_lease, invoice_lease,
      report_lease, activity_lease;
  for (auto [lease, job] : {std::pair{&outbox_lease, "email-outbox"}, std::pair{&usage_lease, "usage-snapshot"},
                            std::pair{&psa_lease, "psa-sync"}, std::pair{&schedule_lease, "user-schedules"},
                            std::pair{&invoice_lease, "invoice-close"}, std::pair{&report_lease, "reports"},
                            std::pair{&activity_lease, "activity-retention"}}) {
    auto l = mtp::service::openJobLease(o.db, job);
    if (!l) {
      std::cerr << "mtpd: job lease: " << l.error() << "\n";
      return 1;
    }
    *lease = std::move(*l);
  }
  std::unique_ptr<mtp::service::OutboxSender> sender;
  if (!mail.smtp_url.empty()) {
    mail.may_run = [l = outbox_lease.get()] { return l->mayRun(); };
    mail.poll_interval = std::chrono::milliseconds(smtp_poll_ms);
    auto s = mtp::service::OutboxSender::start(app.store(), mail);
    if (!s) {
      std::cerr << "mtpd: smtp: " << s.error() << "\n";
      return 2;
    }
    sender = std::move(*s);
  }

  std::unique_ptr<mtp::service::UsageJob> usage;
  if (usage_interval > 0) {
    usage = mtp::service::UsageJob::start(app.store(), std::chrono::seconds(usage_interval),
                                          [l = usage_lease.get()] { return l->mayRun(); },
                                          std::chrono::milliseconds(usage_standby_ms));
  }

  // Issue 12 item 1: PSA syncs (queued, daily, retries) and ticketing, off the request threads.
  mtp::service::PsaSyncJobOptions psa_options;
  psa_options.poll = std::chrono::milliseconds(psa_poll_ms);
  psa_options.may_run = [l = psa_lease.get()] { return l->mayRun(); };
  auto psa_job = mtp::service::PsaSyncJob::start(app, psa_options);
  // Issue 12: users' scheduled suspensions and activations, and the monthly invoice close.
  std::unique_ptr<mtp::service::PeriodicJob> schedules, invoices;
  if (schedule_interval_ms > 0) {
    schedules = mtp::service::PeriodicJob::start(
        "user schedules", std::chrono::milliseconds(schedule_interval_ms),
        [&store = app.store()] {
          const auto p = mtp::app::runDueUserSchedules(store, static_cast<std::int64_t>(std::time(nullptr)));
          if (p.changed + p.cleared > 0) {
            spdlog::info("user schedules: {} carried out, {} cleared, {} failed", p.changed, p.cleared, p.failed);
          }
        },
        [l = schedule_lease.get()] { return l->mayRun(); }, std::chrono::milliseconds(usage_standby_ms));
  }
  if (invoice_interval > 0) {
    invoices = mtp::service::PeriodicJob::start(
        "invoice close", std::chrono::seconds(invoice_interval),
        [&store = app.store()] {
          auto n = mtp::app::closePreviousMonth(store, static_cast<std::int64_t>(std::time(nullptr)));
          if (!n) spdlog::warn("invoice close: {}", n.error().text());
          else if (*n > 0) spdlog::info("invoice close: {} invoices created", *n);
        },
        [l = invoice_lease.get()] { return l->mayRun(); }, std::chrono::milliseconds(usage_standby_ms));
  }
  // Issue 16 item 1: the activity log's monthly partitions ahead, and its retention.
  std::unique_ptr<mtp::service::PeriodicJob> activity;
  if (retention_interval > 0) {
    activity = mtp::service::PeriodicJob::start(
        "activity retention", std::chrono::seconds(retention_interval),
        [&store = app.store(), retention] {
          auto pass = mtp::app::maintainActivity(store, static_cast<std::int64_t>(std::time(nullptr)), retention);
          if (!pass) spdlog::warn("activity retention: {}", pass.error().text());
          else if (auto what = mtp::app::describe(*pass); !what.empty()) spdlog::info("activity retention: {}", what);
        },
        [l = activity_lease.get()] { return l->mayRun(); }, std::chrono::milliseconds(usage_standby_ms));
  }
  // Issue 12 item 3: pending reports are built within a few seconds, old ones purged.
  auto reports = mtp::service::ReportJob::start(app.store(), std::chrono::seconds(3),
                                                [l = report_lease.get()] { return l->mayRun(); });

  (*mtpd)->markReady();
  // Secrets in `banner` go to stdout only, never to the log.
  std::cout << "mtpd listening on " << url << "\n" << banner << std::flush;

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    auto p = (*mtpd)->reloadPolicies();
    if (p) spdlog::info("SIGHUP: policies reloaded from {}", o.policies_from_db ? "the database" : o.policies);
    else spdlog::error("SIGHUP: policies not reloaded, the live set stays:\n{}", p.error());
    auto r = app.refreshDirectory();
    if (r) spdlog::info("SIGHUP: directory reloaded");
    else spdlog::error("SIGHUP: directory reload failed: {}", r.error().text());
  }
  spdlog::info("signal {}: draining (at most {} s), then shutting down", sig, drain_seconds);
  (*mtpd)->drain(std::chrono::seconds(drain_seconds));  // before what the handlers use stops
  if (sender) sender->stop();  // before the store goes away
  if (usage) usage->stop();
  psa_job->stop();
  if (schedules) schedules->stop();
  if (invoices) invoices->stop();
  if (activity) activity->stop();
  reports->stop();
  (*mtpd)->stop();
  return 0;
}
