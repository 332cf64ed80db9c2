// PSA integrations (issue 12 item 1; schema 010_psa_integrations.sql): a provider's
// ConnectWise Manage / Autotask integration, its org mappings, sync runs, the tickets its
// alerts opened, and the Integrations tab's requests. One aggregate of the store
// (soci_psa.cc). The secret is stored sealed (auth::SecretBox): the store never sees it plain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

struct IntegrationRecord {
  std::string provider_id;  // read-only (filled on reads)
  std::string kind;         // connectwise | autotask
  std::string site_url;
  std::string company_id;        // ConnectWise company id
  std::string integration_code;  // ConnectWise clientId; Autotask ApiIntegrationCode
  std::string username;          // ConnectWise public key; Autotask UserName
  std::string secret_sealed;
  bool enabled = true;
  std::int64_t price_per_user_cents = 0;
  std::string ticket_alert_kinds;  // comma-separated
  bool demo = false;
  UnixTime created = 0;  // read-only
  UnixTime updated = 0;  // read-only
  std::int64_t version = 1;  // read-only: raised by every change, its mappings' too (ETag)
};

struct PsaMappingRecord {
  std::string org_id;
  std::string org_name;  // read-only (from the org)
  std::string psa_company_id;
  std::string psa_company_name;
  std::string agreement_id;  // ConnectWise agreement; Autotask contract
  std::string service_id;    // ConnectWise agreement addition; Autotask contract service
};

struct SyncRunRecord {
  std::string id;           // empty on queue: generated
  std::string provider_id;  // read-only
  std::string kind;
  std::string reason = "manual";  // manual | daily | retry
  std::string status = "queued";  // queued | running | ok | failed
  int attempt = 1;
  UnixTime queued_at = 0;
  UnixTime next_attempt_at = 0;
  std::optional<UnixTime> started;
  std::optional<UnixTime> finished;
  std::int64_t orgs_synced = 0;
  std::string message;
};

struct PsaTicketRecord {
  std::string alert_key;
  std::string org_id;
  std::string status = "pending";  // pending | opened
  std::string psa_ticket_id;
  UnixTime created = 0;
};

// Something ticketing may open a ticket for: a locked user, a device silent for 7 days.
struct PsaAlertRecord {
  std::string alert_kind;  // user_locked | device_inactive_7d
  std::string org_id;
  std::string subject_id;
  std::string subject_name;
  std::optional<UnixTime> since;  // when the user was locked; the device's last contact
};

struct IntegrationRequestRecord {
  std::string id;  // empty on add: generated
  std::string kind;  // integration | beta
  std::string text;
  std::string admin_id;
  std::string admin_email;
  UnixTime created = 0;  // 0 on add: now
};

class PsaStore {
 public:
  virtual ~PsaStore() = default;

  // Inserts or replaces the provider's integration of `record.kind` (created is kept).
  virtual Result<void> putIntegration(const TenantScope& scope, const IntegrationRecord& record) = 0;
  // kNotFound when the provider has none of that kind.
  virtual Result<IntegrationRecord> getIntegration(const TenantScope& scope, const std::string& kind) = 0;
  virtual Result<std::vector<IntegrationRecord>> listIntegrations(const TenantScope& scope) = 0;
  // Removes it with its mappings, runs and tickets; returns whether there was one.
  virtual Result<bool> deleteIntegration(const TenantScope& scope, const std::string& kind) = 0;

  // Replaces every mapping of the integration. REQUIRES: each org is the scope's (checked
  // by the caller in the same unit).
  virtual Result<void> replacePsaMappings(const TenantScope& scope, const std::string& kind,
                                          const std::vector<PsaMappingRecord>& mappings) = 0;
  // By org name.
  virtual Result<std::vector<PsaMappingRecord>> listPsaMappings(const TenantScope& scope,
                                                                const std::string& kind) = 0;

  // Returns the id.
  virtual Result<std::string> queueSyncRun(const TenantScope& scope, const SyncRunRecord& run) = 0;
  // Newest first.
  virtual Result<std::vector<SyncRunRecord>> listSyncRuns(const TenantScope& scope, const std::string& kind,
                                                          int limit) = 0;
  // Every provider's queued runs due at `now` (oldest first): mtpd's sync job.
  virtual Result<std::vector<SyncRunRecord>> dueSyncRuns(UnixTime now, int limit) = 0;
  // queued → running; false when another worker took it first.
  virtual Result<bool> claimSyncRun(const TenantScope& scope, const std::string& id, UnixTime at) = 0;
  // running → ok | failed.
  virtual Result<void> finishSyncRun(const TenantScope& scope, const SyncRunRecord& run) = 0;
  // Every enabled integration (of every provider) with no daily run queued after `since`.
  virtual Result<std::vector<IntegrationRecord>> integrationsDueDaily(UnixTime since) = 0;
  // Every enabled integration of every provider with ticket alert kinds (ticketing).
  virtual Result<std::vector<IntegrationRecord>> ticketingIntegrations() = 0;

  // Inserts a pending ticket; false when the alert already has one (nothing changed).
  virtual Result<bool> addPsaTicket(const TenantScope& scope, const std::string& kind,
                                    const PsaTicketRecord& ticket) = 0;
  virtual Result<std::vector<PsaTicketRecord>> listPsaTickets(const TenantScope& scope,
                                                              const std::string& kind) = 0;
  virtual Result<void> markPsaTicketOpened(const TenantScope& scope, const std::string& kind,
                                           const std::string& alert_key, const std::string& psa_ticket_id) = 0;
  // The locked users and the devices silent since before `inactive_before` of `org_ids`.
  virtual Result<std::vector<PsaAlertRecord>> psaAlerts(const TenantScope& scope,
                                                        const std::vector<std::string>& org_ids,
                                                        UnixTime inactive_before) = 0;

  virtual Result<std::string> addIntegrationRequest(const TenantScope& scope,
                                                    const IntegrationRequestRecord& record) = 0;
  // Newest first.
  virtual Result<std::vector<IntegrationRequestRecord>> listIntegrationRequests(const TenantScope& scope) = 0;
};

}  // namespace mtp::store
