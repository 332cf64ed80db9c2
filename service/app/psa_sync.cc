#include "app/psa_sync.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <map>

#include "app/actor.h"
#include "app/billing_service.h"

namespace mtp::app {

namespace {

std::string dateText(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::optional<psa::Connection> connectionOf(AppContext& app, const store::IntegrationRecord& r, std::string& error) {
  const auth::SecretBox* box = app.secrets();
  if (box == nullptr) {
    error = "secrets key not loaded";
    return std::nullopt;
  }
  auto secret = box->open(r.secret_sealed);
  if (!secret) {
    error = "stored credentials cannot be read (" + secret.error() + ")";
    return std::nullopt;
  }
  return psa::Connection{r.kind, r.site_url, r.company_id, r.integration_code, r.username, *secret};
}

void queueDaily(AppContext& app, PsaPassOutcome& out) {
  const std::int64_t now = app.now();
  auto due = app.store().query([&](store::Tx& tx) { return tx.integrationsDueDaily(now - 86400); });
  if (!due) {
    spdlog::warn("psa sync: daily schedule not read: {}", due.error().text());
    return;
  }
  for (const auto& integ : *due) {
    const model::TenantScope scope{integ.provider_id};
    auto q = app.store().transact([&](store::Tx& tx) -> Result<std::string> {
      store::SyncRunRecord run;
      run.kind = integ.kind;
      run.reason = "daily";
      run.queued_at = run.next_attempt_at = now;
      return tx.queueSyncRun(scope, run);
    });
    if (q) ++out.queued_daily;
  }
}

// Writes every mapped org's usage; returns (orgs written, first error or empty).
std::pair<std::int64_t, std::string> writeUsage(AppContext& app, const store::IntegrationRecord& integ,
                                                psa::PsaClient& client) {
  const model::TenantScope scope{integ.provider_id};
  const std::int64_t now = app.now();
  if (auto rec = recordUsageSnapshots(app.store(), now, integ.provider_id); !rec) {
    return {0, "usage snapshot failed: " + rec.error().text()};
  }
  const model::EpochDay today = epochDayOf(now);
  std::vector<store::PsaMappingRecord> mappings;
  std::vector<model::OrganizationUsage> usage;
  auto read = app.store().query([&](store::Tx& tx) -> Result<void> {
    auto m = tx.listPsaMappings(scope, integ.kind);
    if (!m) return fail(m.error());
    auto u = tx.usageByOrganization(scope, today, firstDayOf(monthOf(now)), today + 1);
    if (!u) return fail(u.error());
    mappings = std::move(*m);
    usage = std::move(*u);
    return {};
  });
  if (!read) return {0, "cannot read the mappings: " + read.error().text()};
  std::map<std::string, std::int64_t> hwm;
  for (const auto& u : usage) hwm[u.org_id] = std::max(u.max_users_in_range, u.current_users);
  std::int64_t written = 0;
  std::string first_error;
  int failed = 0;
  for (const auto& m : mappings) {
    psa::UsageLine line{m.psa_company_id, m.agreement_id, m.service_id, hwm[m.org_id], integ.price_per_user_cents,
                        dateText(now)};
    auto r = client.writeUsage(line);
    if (r) {
      ++written;
    } else {
      ++failed;
      if (first_error.empty()) first_error = m.org_name + ": " + r.error();
    }
  }
  if (failed > 0) first_error = std::to_string(failed) + " of " + std::to_string(mappings.size()) +
                                " organizations failed; first: " + first_error;
  return {written, first_error};
}

void runOne(AppContext& app, const store::SyncRunRecord& queued, PsaPassOutcome& out) {
  const model::TenantScope scope{queued.provider_id};
  auto claimed = app.store().transact([&](store::Tx& tx) { return tx.claimSyncRun(scope, queued.id, app.now()); });
  if (!claimed || !*claimed) return;
  ++out.runs;
  store::SyncRunRecord run = queued;
  run.status = "ok";
  auto integ = app.store().query([&](store::Tx& tx) { return tx.getIntegration(scope, queued.kind); });
  if (!integ) {
    run.status = "failed";
    run.message = "integration not readable: " + integ.error().text();
  } else if (integ->demo) {
    run.message = "demo integration: no PSA contacted";
  } else if (!integ->enabled) {
    run.status = "failed";
    run.message = "integration disabled";
  } else {
    std::string error;
    auto conn = connectionOf(app, *integ, error);
    if (conn && app.secrets()->needsResealing(integ->secret_sealed)) {
      // A key rotation in progress: move this secret to the current key (docs/security.md).
      store::IntegrationRecord resealed = *integ;
      resealed.secret_sealed = app.secrets()->seal(conn->secret);
      auto put = app.store().transact([&](store::Tx& tx) { return tx.putIntegration(scope, resealed); });
      if (!put) spdlog::warn("psa sync: secret of {} not re-sealed: {}", run.id, put.error().text());
    }
    if (conn) {
      auto client = app.psaClients()(*conn);
      if (!client) {
        error = client.error();
      } else {
        auto [written, err] = writeUsage(app, *integ, **client);
        run.orgs_synced = written;
        error = err;
      }
    }
    if (!error.empty()) {
      run.status = "failed";
      run.message = error;
    } else {
      run.message = std::to_string(run.orgs_synced) + " organizations synced";
    }
  }
  run.finished = app.now();
  const bool retry = run.status == "failed" && run.attempt < kSyncMaxAttempts && integ && integ->enabled;
  auto done = app.store().transact([&](store::Tx& tx) -> Result<void> {
    if (auto f = tx.finishSyncRun(scope, run); !f) return fail(f.error());
    std::vector<Change> changes{Change{"outcome", "", run.status}, Change{"orgsSynced", "", std::to_string(run.orgs_synced)},
                                Change{"attempt", "", std::to_string(run.attempt)}};
    if (!run.message.empty()) changes.push_back(Change{"message", "", run.message});
    if (retry) {
      store::SyncRunRecord next;
      next.kind = run.kind;
      next.reason = "retry";
      next.attempt = run.attempt + 1;
      next.queued_at = *run.finished;
      next.next_attempt_at = *run.finished + kSyncBackoff[static_cast<std::size_t>(run.attempt - 1)];
      auto id = tx.queueSyncRun(scope, next);
      if (!id) return fail(id.error());
      changes.push_back(Change{"nextAttemptAt", "", std::to_string(next.next_attempt_at)});
    }
    auto ev = systemEvent(scope, "integration_sync", "integration", run.kind, changes, {}, "system");
    ev.success = run.status == "ok";
    if (auto a = tx.appendActivity(scope, ev); !a) return fail(a.error());
    return {};
  });
  if (!done) spdlog::warn("psa sync {}: outcome not recorded: {}", run.id, done.error().text());
  if (run.status != "ok") {
    ++out.failed;
    spdlog::warn("psa sync {} ({} of provider {}): failed, attempt {}: {}", run.id, run.kind, run.provider_id,
                 run.attempt, run.message);
  }
}

std::string alertKey(const store::PsaAlertRecord& a) {
  return a.alert_kind + ":" + a.subject_id + ":" + std::to_string(a.since.value_or(0));
}

void ticketsFor(AppContext& app, const store::IntegrationRecord& integ, PsaPassOutcome& out) {
  const model::TenantScope scope{integ.provider_id};
  const std::string kinds = "," + integ.ticket_alert_kinds + ",";
  std::vector<store::PsaMappingRecord> mappings;
  std::vector<store::PsaAlertRecord> alerts;
  std::vector<store::PsaTicketRecord> tickets;
  auto read = app.store().query([&](store::Tx& tx) -> Result<void> {
    auto m = tx.listPsaMappings(scope, integ.kind);
    if (!m) return fail(m.error());
    mappings = std::move(*m);
    std::vector<std::string> orgs;
    for (const auto& x : mappings) orgs.push_back(x.org_id);
    auto a = tx.psaAlerts(scope, orgs, app.now() - kInactiveDeviceSeconds);
    if (!a) return fail(a.error());
    alerts = std::move(*a);
    auto t = tx.listPsaTickets(scope, integ.kind);
    if (!t) return fail(t.error());
    tickets = std::move(*t);
    return {};
  });
  if (!read) return;
  std::map<std::string, const store::PsaTicketRecord*> known;
  for (const auto& t : tickets) known[t.alert_key] = &t;
  std::map<std::string, const store::PsaMappingRecord*> by_org;
  for (const auto& m : mappings) by_org[m.org_id] = &m;
  std::unique_ptr<psa::PsaClient> client;
  for (const auto& a : alerts) {
    if (kinds.find("," + a.alert_kind + ",") == std::string::npos) continue;
    const std::string key = alertKey(a);
    auto k = known.find(key);
    if (k != known.end() && k->second->status == "opened") continue;
    if (k == known.end()) {
      store::PsaTicketRecord t;
      t.alert_key = key;
      t.org_id = a.org_id;
      t.created = app.now();
      auto added = app.store().transact([&](store::Tx& tx) { return tx.addPsaTicket(scope, integ.kind, t); });
      if (!added || !*added) continue;  // another pass took it
    }
    if (!client) {
      std::string error;
      auto conn = connectionOf(app, integ, error);
      if (!conn) return;
      auto c = app.psaClients()(*conn);
      if (!c) return;
      client = std::move(*c);
    }
    const auto& m = *by_org[a.org_id];
    psa::TicketRequest req;
    req.psa_company_id = m.psa_company_id;
    if (a.alert_kind == "user_locked") {
      req.title = "MTP: user " + a.subject_name + " is locked out (" + m.org_name + ")";
      req.description = "The user " + a.subject_name + " of " + m.org_name +
                        " is locked out after failed sign-ins. Unlock them in MTP once verified.";
    } else {
      req.title = "MTP: device " + a.subject_name + " inactive for 7 days (" + m.org_name + ")";
      req.description = "The device " + a.subject_name + " of " + m.org_name + " has not checked in since " +
                        dateText(a.since.value_or(0)) + ".";
    }
    auto opened = client->openTicket(req);
    if (!opened) {
      spdlog::warn("psa ticket {} of provider {}: not opened: {}", key, integ.provider_id, opened.error());
      continue;
    }
    auto done = app.store().transact([&](store::Tx& tx) -> Result<void> {
      if (auto mk = tx.markPsaTicketOpened(scope, integ.kind, key, *opened); !mk) return fail(mk.error());
      auto ev = systemEvent(scope, "integration_ticket", "integration", integ.kind,
                            {Change{"alert", "", a.alert_kind}, Change{"subject", "", a.subject_id},
                             Change{"ticket", "", *opened}},
                            a.org_id, "system");
      if (auto a = tx.appendActivity(scope, ev); !a) return fail(a.error());
    return {};
    });
    if (done) ++out.tickets_opened;
  }
}

}  // namespace

PsaPassOutcome runPsaPass(AppContext& app, bool tickets, bool daily) {
  PsaPassOutcome out;
  if (daily) queueDaily(app, out);
  auto due = app.store().query([&](store::Tx& tx) { return tx.dueSyncRuns(app.now(), 50); });
  if (due) {
    for (const auto& run : *due) runOne(app, run, out);
  } else {
    spdlog::warn("psa sync: due runs not read: {}", due.error().text());
  }
  if (!tickets) return out;
  auto all = app.store().query([&](store::Tx& tx) { return tx.ticketingIntegrations(); });
  if (!all) return out;
  for (const auto& integ : *all) ticketsFor(app, integ, out);
  return out;
}

}  // namespace mtp::app
