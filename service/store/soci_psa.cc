// SociTx: PSA integrations — store/psa_store.h.
#include <soci/soci.h>

#include "store/soci_exec.h"
#include "store/util.h"

namespace mtp::store::detail {

namespace {

const char* kIntegrationColumns =
    "provider_id, kind, site_url, company_id, integration_code, username, secret_sealed, ";

}  // namespace

Result<void> SociTx::putIntegration(const TenantScope& scope, const IntegrationRecord& r) {
  return guarded([&]() -> Result<void> {
    const long long at = now();
    SqlParams p;
    exec(sql_,
         std::string("INSERT INTO psa_integrations (") + kIntegrationColumns +
             "enabled, price_per_user_cents, ticket_alert_kinds, demo, created, updated) VALUES (" +
             p.text(scope.provider_id) + ", " + p.text(r.kind) + ", " + p.text(r.site_url) + ", " +
             p.text(r.company_id) + ", " + p.text(r.integration_code) + ", " + p.text(r.username) + ", " +
             p.text(r.secret_sealed) + ", " + p.boolean(r.enabled) + ", " + p.integer(r.price_per_user_cents) +
             ", " + p.text(r.ticket_alert_kinds) + ", " + p.boolean(r.demo) + ", " + d_.tsParam(p.integer(at)) +
             ", " + d_.tsParam(p.integer(at)) +
             ") ON CONFLICT (provider_id, kind) DO UPDATE SET site_url = excluded.site_url, "
             "company_id = excluded.company_id, integration_code = excluded.integration_code, "
             "username = excluded.username, secret_sealed = excluded.secret_sealed, enabled = excluded.enabled, "
             "price_per_user_cents = excluded.price_per_user_cents, "
             "ticket_alert_kinds = excluded.ticket_alert_kinds, demo = excluded.demo, updated = excluded.updated, "
             "version = psa_integrations.version + 1",
         p);
    return {};
  });
}

namespace {

// Reads integration rows of `where_sql` (bound in p).
std::vector<IntegrationRecord> selectIntegrations(soci::session& sql, const Dialect& d, const std::string& where_sql,
                                                  SqlParams& p) {
  std::vector<IntegrationRecord> out;
  IntegrationRecord r;
  int enabled = 0, demo = 0;
  long long price = 0, created = 0, updated = 0, version = 1;
  select(sql,
         std::string("SELECT ") + kIntegrationColumns + boolColumn("enabled") +
             ", price_per_user_cents, ticket_alert_kinds, " + boolColumn("demo") + ", " + d.ts("created") + ", " +
             d.ts("updated") + ", version FROM psa_integrations" + where_sql,
         p,
         [&](auto& pt) {
           pt, soci::into(r.provider_id), soci::into(r.kind), soci::into(r.site_url), soci::into(r.company_id),
               soci::into(r.integration_code), soci::into(r.username), soci::into(r.secret_sealed),
               soci::into(enabled), soci::into(price), soci::into(r.ticket_alert_kinds), soci::into(demo),
               soci::into(created), soci::into(updated), soci::into(version);
         },
         [&] {
           IntegrationRecord x = r;
           x.version = version;
           x.enabled = enabled != 0;
           x.demo = demo != 0;
           x.price_per_user_cents = price;
           x.created = created;
           x.updated = updated;
           out.push_back(std::move(x));
         });
  return out;
}

std::vector<SyncRunRecord> selectRuns(soci::session& sql, const Dialect& d, const std::string& where_sql,
                                      SqlParams& p) {
  std::vector<SyncRunRecord> out;
  SyncRunRecord r;
  long long queued = 0, next = 0, started = 0, finished = 0, orgs = 0;
  int attempt = 0;
  soci::indicator started_ind = soci::i_null, finished_ind = soci::i_null;
  select(sql,
         "SELECT id, provider_id, kind, reason, status, attempt, " + d.ts("queued_at") + ", " +
             d.ts("next_attempt_at") + ", " + d.ts("started") + ", " + d.ts("finished") +
             ", orgs_synced, message FROM psa_sync_runs" + where_sql,
         p,
         [&](auto& pt) {
           pt, soci::into(r.id), soci::into(r.provider_id), soci::into(r.kind), soci::into(r.reason),
               soci::into(r.status), soci::into(attempt), soci::into(queued), soci::into(next),
               soci::into(started, started_ind), soci::into(finished, finished_ind), soci::into(orgs),
               soci::into(r.message);
         },
         [&] {
           SyncRunRecord x = r;
           x.attempt = attempt;
           x.queued_at = queued;
           x.next_attempt_at = next;
           x.started = opt(started, started_ind);
           x.finished = opt(finished, finished_ind);
           x.orgs_synced = orgs;
           out.push_back(std::move(x));
         });
  return out;
}

}  // namespace

Result<IntegrationRecord> SociTx::getIntegration(const TenantScope& scope, const std::string& kind) {
  return guarded([&]() -> Result<IntegrationRecord> {
    // The integration hangs off the provider (and may not exist yet): in a write unit its
    // row is the one a change of the integration or its mappings locks.
    holdRow("providers", scope, scope.provider_id);
    SqlParams p;
    auto rows = selectIntegrations(sql_, d_,
                                   " WHERE provider_id = " + p.text(scope.provider_id) + " AND kind = " + p.text(kind),
                                   p);
    if (rows.empty()) return fail(Status::notFound().withDetail("integration not found"));
    return rows.front();
  });
}

Result<std::vector<IntegrationRecord>> SociTx::listIntegrations(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<IntegrationRecord>> {
    SqlParams p;
    return selectIntegrations(sql_, d_, " WHERE provider_id = " + p.text(scope.provider_id) + " ORDER BY kind", p);
  });
}

Result<bool> SociTx::deleteIntegration(const TenantScope& scope, const std::string& kind) {
  return guarded([&]() -> Result<bool> {
    for (const char* table : {"psa_org_mappings", "psa_sync_runs", "psa_tickets"}) {
      SqlParams p;
      exec(sql_,
           std::string("DELETE FROM ") + table + " WHERE provider_id = " + p.text(scope.provider_id) +
               " AND kind = " + p.text(kind),
           p);
    }
    SqlParams p;
    return exec(sql_,
                "DELETE FROM psa_integrations WHERE provider_id = " + p.text(scope.provider_id) +
                    " AND kind = " + p.text(kind),
                p) > 0;
  });
}

Result<void> SociTx::replacePsaMappings(const TenantScope& scope, const std::string& kind,
                                        const std::vector<PsaMappingRecord>& mappings) {
  return guarded([&]() -> Result<void> {
    // The mappings are part of the integration: a new version of it.
    SqlParams vp;
    exec(sql_,
         "UPDATE psa_integrations SET version = version + 1 WHERE provider_id = " + vp.text(scope.provider_id) +
             " AND kind = " + vp.text(kind),
         vp);
    SqlParams del;
    exec(sql_,
         "DELETE FROM psa_org_mappings WHERE provider_id = " + del.text(scope.provider_id) + " AND kind = " +
             del.text(kind),
         del);
    for (const auto& m : mappings) {
      SqlParams p;
      exec(sql_,
           "INSERT INTO psa_org_mappings (provider_id, kind, org_id, psa_company_id, psa_company_name, "
           "agreement_id, service_id) VALUES (" +
               p.text(scope.provider_id) + ", " + p.text(kind) + ", " + p.text(m.org_id) + ", " +
               p.text(m.psa_company_id) + ", " + p.text(m.psa_company_name) + ", " + p.text(m.agreement_id) + ", " +
               p.text(m.service_id) + ")",
           p);
    }
    return {};
  });
}

Result<std::vector<PsaMappingRecord>> SociTx::listPsaMappings(const TenantScope& scope, const std::string& kind) {
  return guarded([&]() -> Result<std::vector<PsaMappingRecord>> {
    SqlParams p;
    std::vector<PsaMappingRecord> out;
    PsaMappingRecord m;
    select(sql_,
           "SELECT m.org_id, o.name, m.psa_company_id, m.psa_company_name, m.agreement_id, m.service_id "
           "FROM psa_org_mappings m JOIN organizations o ON o.id = m.org_id AND o.provider_id = m.provider_id "
           "WHERE m.provider_id = " +
               p.text(scope.provider_id) + " AND m.kind = " + p.text(kind) + " ORDER BY o.name, m.org_id",
           p,
           [&](auto& pt) {
             pt, soci::into(m.org_id), soci::into(m.org_name), soci::into(m.psa_company_id),
                 soci::into(m.psa_company_name), soci::into(m.agreement_id), soci::into(m.service_id);
           },
           [&] { out.push_back(m); });
    return out;
  });
}

Result<std::string> SociTx::queueSyncRun(const TenantScope& scope, const SyncRunRecord& r) {
  return guarded([&]() -> Result<std::string> {
    const std::string id = r.id.empty() ? newId() : r.id;
    const long long queued = r.queued_at != 0 ? r.queued_at : now();
    const long long next = r.next_attempt_at != 0 ? r.next_attempt_at : queued;
    SqlParams p;
    exec(sql_,
         "INSERT INTO psa_sync_runs (id, provider_id, kind, reason, status, attempt, queued_at, next_attempt_at, "
         "orgs_synced, message) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.kind) + ", " + p.text(r.reason) +
             ", 'queued', " + p.integer(r.attempt) + ", " + d_.tsParam(p.integer(queued)) + ", " +
             d_.tsParam(p.integer(next)) + ", 0, " + p.text(r.message) + ")",
         p);
    return id;
  });
}

Result<std::vector<SyncRunRecord>> SociTx::listSyncRuns(const TenantScope& scope, const std::string& kind,
                                                        int limit) {
  return guarded([&]() -> Result<std::vector<SyncRunRecord>> {
    SqlParams p;
    return selectRuns(sql_, d_,
                      " WHERE provider_id = " + p.text(scope.provider_id) + " AND kind = " + p.text(kind) +
                          " ORDER BY queued_at DESC, attempt DESC, id DESC LIMIT " + p.integer(limit),
                      p);
  });
}

Result<std::vector<SyncRunRecord>> SociTx::dueSyncRuns(UnixTime at, int limit) {
  return guarded([&]() -> Result<std::vector<SyncRunRecord>> {
    SqlParams p;
    return selectRuns(sql_, d_,
                      " WHERE status = 'queued' AND next_attempt_at <= " + d_.tsParam(p.integer(at)) +
                          " ORDER BY next_attempt_at, id LIMIT " + p.integer(limit),
                      p);
  });
}

Result<bool> SociTx::claimSyncRun(const TenantScope& scope, const std::string& id, UnixTime at) {
  return guarded([&]() -> Result<bool> {
    SqlParams p;
    return exec(sql_,
                "UPDATE psa_sync_runs SET status = 'running', started = " + d_.tsParam(p.integer(at)) +
                    " WHERE provider_id = " + p.text(scope.provider_id) + " AND id = " + p.text(id) +
                    " AND status = 'queued'",
                p) > 0;
  });
}

Result<void> SociTx::finishSyncRun(const TenantScope& scope, const SyncRunRecord& r) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    const long long changed =
        exec(sql_,
             "UPDATE psa_sync_runs SET status = " + p.text(r.status) + ", finished = " +
                 d_.tsParam(p.integer(r.finished.value_or(now()))) + ", orgs_synced = " + p.integer(r.orgs_synced) +
                 ", message = " + p.text(r.message) + " WHERE provider_id = " + p.text(scope.provider_id) +
                 " AND id = " + p.text(r.id),
             p);
    return requireOne(changed, "sync run");
  });
}

Result<std::vector<IntegrationRecord>> SociTx::integrationsDueDaily(UnixTime since) {
  return guarded([&]() -> Result<std::vector<IntegrationRecord>> {
    SqlParams p;
    return selectIntegrations(
        sql_, d_,
        " i WHERE enabled AND NOT demo AND NOT EXISTS (SELECT 1 FROM psa_sync_runs r WHERE r.provider_id = i.provider_id AND r.kind = i.kind "
            "AND r.reason = 'daily' AND r.queued_at > " +
            d_.tsParam(p.integer(since)) + ") ORDER BY provider_id, kind",
        p);
  });
}

Result<std::vector<IntegrationRecord>> SociTx::ticketingIntegrations() {
  return guarded([&]() -> Result<std::vector<IntegrationRecord>> {
    SqlParams p;
    return selectIntegrations(sql_, d_, " WHERE enabled AND NOT demo AND ticket_alert_kinds <> '' ORDER BY provider_id, kind",
                              p);
  });
}

Result<bool> SociTx::addPsaTicket(const TenantScope& scope, const std::string& kind, const PsaTicketRecord& t) {
  return guarded([&]() -> Result<bool> {
    SqlParams p;
    return exec(sql_,
                "INSERT INTO psa_tickets (provider_id, kind, alert_key, org_id, status, psa_ticket_id, created) "
                "VALUES (" +
                    p.text(scope.provider_id) + ", " + p.text(kind) + ", " + p.text(t.alert_key) + ", " +
                    p.text(t.org_id) + ", 'pending', '', " + d_.tsParam(p.integer(t.created != 0 ? t.created : now())) +
                    ") ON CONFLICT (provider_id, kind, alert_key) DO NOTHING",
                p) > 0;
  });
}

Result<std::vector<PsaTicketRecord>> SociTx::listPsaTickets(const TenantScope& scope, const std::string& kind) {
  return guarded([&]() -> Result<std::vector<PsaTicketRecord>> {
    SqlParams p;
    std::vector<PsaTicketRecord> out;
    PsaTicketRecord t;
    long long created = 0;
    select(sql_,
           "SELECT alert_key, org_id, status, psa_ticket_id, " + d_.ts("created") +
               " FROM psa_tickets WHERE provider_id = " + p.text(scope.provider_id) + " AND kind = " + p.text(kind) +
               " ORDER BY created, alert_key",
           p,
           [&](auto& pt) {
             pt, soci::into(t.alert_key), soci::into(t.org_id), soci::into(t.status), soci::into(t.psa_ticket_id),
                 soci::into(created);
           },
           [&] {
             PsaTicketRecord x = t;
             x.created = created;
             out.push_back(std::move(x));
           });
    return out;
  });
}

Result<void> SociTx::markPsaTicketOpened(const TenantScope& scope, const std::string& kind,
                                         const std::string& alert_key, const std::string& psa_ticket_id) {
  return guarded([&]() -> Result<void> {
    SqlParams p;
    return requireOne(exec(sql_,
                           "UPDATE psa_tickets SET status = 'opened', psa_ticket_id = " + p.text(psa_ticket_id) +
                               " WHERE provider_id = " + p.text(scope.provider_id) + " AND kind = " + p.text(kind) +
                               " AND alert_key = " + p.text(alert_key),
                           p),
                      "ticket");
  });
}

Result<std::vector<PsaAlertRecord>> SociTx::psaAlerts(const TenantScope& scope, const std::vector<std::string>& org_ids,
                                                      UnixTime inactive_before) {
  return guarded([&]() -> Result<std::vector<PsaAlertRecord>> {
    std::vector<PsaAlertRecord> out;
    PsaAlertRecord a;
    {
      // The lock time is part of the alert: a user locked again later is a new alert.
      SqlParams p;
      long long locked = 0;
      soci::indicator locked_ind = soci::i_null;
      select(sql_,
             "SELECT org_id, id, username, " + d_.ts("locked_at") + " FROM system_users WHERE provider_id = " +
                 p.text(scope.provider_id) + " AND account_locked AND " + inList("org_id", org_ids, p) +
                 " ORDER BY org_id, id",
             p,
             [&](auto& pt) {
               pt, soci::into(a.org_id), soci::into(a.subject_id), soci::into(a.subject_name),
                   soci::into(locked, locked_ind);
             },
             [&] {
               PsaAlertRecord x = a;
               x.alert_kind = "user_locked";
               x.since = opt(locked, locked_ind);
               out.push_back(std::move(x));
             });
    }
    SqlParams p;
    long long last = 0;
    select(sql_,
           "SELECT org_id, id, display_name, " + d_.ts("last_contact") +
               " FROM devices WHERE provider_id = " + p.text(scope.provider_id) +
               " AND last_contact IS NOT NULL AND last_contact < " + d_.tsParam(p.integer(inactive_before)) + " AND " +
               inList("org_id", org_ids, p) + " ORDER BY org_id, id",
           p,
           [&](auto& pt) {
             pt, soci::into(a.org_id), soci::into(a.subject_id), soci::into(a.subject_name), soci::into(last);
           },
           [&] {
             PsaAlertRecord x = a;
             x.alert_kind = "device_inactive_7d";
             x.since = last;
             out.push_back(std::move(x));
           });
    return out;
  });
}

Result<std::string> SociTx::addIntegrationRequest(const TenantScope& scope, const IntegrationRequestRecord& r) {
  return guarded([&]() -> Result<std::string> {
    const std::string id = r.id.empty() ? newId() : r.id;
    SqlParams p;
    exec(sql_,
         "INSERT INTO integration_requests (id, provider_id, kind, text, admin_id, admin_email, created) VALUES (" +
             p.text(id) + ", " + p.text(scope.provider_id) + ", " + p.text(r.kind) + ", " + p.text(r.text) + ", " +
             p.text(r.admin_id) + ", " + p.text(r.admin_email) + ", " +
             d_.tsParam(p.integer(r.created != 0 ? r.created : now())) + ")",
         p);
    return id;
  });
}

Result<std::vector<IntegrationRequestRecord>> SociTx::listIntegrationRequests(const TenantScope& scope) {
  return guarded([&]() -> Result<std::vector<IntegrationRequestRecord>> {
    SqlParams p;
    std::vector<IntegrationRequestRecord> out;
    IntegrationRequestRecord r;
    long long created = 0;
    select(sql_,
           "SELECT id, kind, text, admin_id, admin_email, " + d_.ts("created") +
               " FROM integration_requests WHERE provider_id = " + p.text(scope.provider_id) +
               " ORDER BY created DESC, id DESC",
           p,
           [&](auto& pt) {
             pt, soci::into(r.id), soci::into(r.kind), soci::into(r.text), soci::into(r.admin_id),
                 soci::into(r.admin_email), soci::into(created);
           },
           [&] {
             IntegrationRequestRecord x = r;
             x.created = created;
             out.push_back(std::move(x));
           });
    return out;
  });
}

}  // namespace mtp::store::detail
