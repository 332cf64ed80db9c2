// A Tx on one leased SOCI session inside an open transaction. Internal: made by SociStore for
// the length of one unit of work. Every method catches SOCI's exceptions and answers a Status;
// a lost connection is remembered (lost()) so the store can re-open it.
#pragma once

#include <functional>

#include "store/dialect.h"
#include "store/statement_cache.h"
#include "store/store.h"

namespace soci {
class session;
}

namespace mtp::store::detail {

class SqlParams;

class SociTx final : public Tx {
 public:
  // `writing`: the unit of work is a write transaction (Store::write).
  // `statements`: the connection's prepared statements (null: prepare each time).
  SociTx(soci::session& session, const Dialect& dialect, std::function<UnixTime()> clock,
         bool writing, StatementCache* statements = nullptr)
      : sql_{session, statements}, d_(dialect), clock_(std::move(clock)), writing_(writing) {}

  bool lost() const { return lost_; }
  Status classify(const std::exception& e);
  UnixTime now() const override { return clock_(); }

  Result<void> createProvider(const TenantScope& scope, const ProviderRecord& record) override;
  Result<ProviderRecord> getProvider(const TenantScope& scope) override;
  Result<void> updateProvider(const TenantScope& scope, const ProviderRecord& record) override;

  Result<std::string> createOrganization(const TenantScope& scope,
                                         const OrganizationRecord& record) override;
  Result<OrganizationRecord> getOrganization(const TenantScope& scope,
                                             const std::string& id) override;
  Result<void> updateOrganization(const TenantScope& scope,
                                  const OrganizationRecord& record) override;
  Result<void> deleteOrganization(const TenantScope& scope, const std::string& id) override;
  Result<Page<OrganizationRecord>> listOrganizations(const TenantScope& scope,
                                                     const OrgReach& reach,
                                                     const ListQuery& query) override;
  Result<std::vector<std::string>> listOrganizationIds(const TenantScope& scope) override;
  Result<std::vector<ApplicationRecord>> listApplications(const TenantScope& scope,
                                                          const std::string& org_id) override;
  Result<std::string> createApplication(const TenantScope& scope, const ApplicationRecord& record) override;
  Result<ApplicationRecord> deleteApplication(const TenantScope& scope, const std::string& org_id,
                                              const std::string& id) override;
  Result<void> setOrganizationLogo(const TenantScope& scope, const std::string& org_id,
                                   const LogoRecord& logo) override;
  Result<LogoRecord> getOrganizationLogo(const TenantScope& scope,
                                         const std::string& org_id) override;

  Result<std::string> createAdmin(const TenantScope& scope, const AdminRecord& record,
                                  const std::optional<std::string>& password_hash) override;
  Result<AdminRecord> getAdmin(const TenantScope& scope, const std::string& id) override;
  Result<AdminRecord> getAdminByEmail(const TenantScope& scope, const std::string& email) override;
  Result<void> updateAdmin(const TenantScope& scope, const AdminRecord& record) override;
  Result<void> deleteAdmin(const TenantScope& scope, const std::string& id) override;
  Result<Page<AdminRecord>> listAdmins(const TenantScope& scope, const ListQuery& query) override;
  Result<std::vector<AdminRecord>> listOrganizationAdmins(const TenantScope& scope,
                                                          const std::string& org_id,
                                                          UnixTime now) override;
  Result<AdminCredentials> getAdminCredentials(const TenantScope& scope,
                                               const std::string& id) override;
  Result<void> setPasswordHash(const TenantScope& scope, const std::string& id,
                               const std::string& password_hash) override;
  Result<void> setTotpSecret(const TenantScope& scope, const std::string& id,
                             const std::optional<std::string>& secret) override;
  Result<void> setTotpEnrolled(const TenantScope& scope, const std::string& id,
                               bool enrolled) override;
  Result<bool> acceptTotpStep(const TenantScope& scope, const std::string& id,
                              std::int64_t step) override;
  Result<FailedLogin> recordFailedLogin(const TenantScope& scope, const std::string& id, int lock_after, UnixTime now,
                                UnixTime lock_until) override;
  Result<void> clearFailedLogins(const TenantScope& scope, const std::string& id) override;

  Result<std::string> createSystemUser(const TenantScope& scope, const SystemUserRecord& record,
                                       const std::optional<std::string>& password_hash) override;
  Result<std::vector<DueUserSchedule>> listDueUserSchedules(UnixTime at, int limit) override;
  Result<UserCapacity> holdUserCapacity(const TenantScope& scope,
                                        const std::string& org_id) override;
  Result<SystemUserRecord> getSystemUser(const TenantScope& scope, const std::string& org_id,
                                         const std::string& id) override;
  Result<void> updateSystemUser(const TenantScope& scope, const SystemUserRecord& record) override;
  Result<void> deleteSystemUser(const TenantScope& scope, const std::string& org_id,
                                const std::string& id) override;
  Result<Page<SystemUserRecord>> listSystemUsers(const TenantScope& scope, const OrgReach& reach,
                                                 const ListQuery& query) override;
  Result<void> setSystemUserState(const TenantScope& scope, const std::string& org_id,
                                  const std::string& id, UserState state) override;
  Result<void> unlockSystemUser(const TenantScope& scope, const std::string& org_id,
                                const std::string& id) override;
  Result<void> expireSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id) override;
  Result<int> recordSystemUserFailedLogin(const TenantScope& scope, const std::string& org_id,
                                          const std::string& id, int lock_after) override;
  Result<SystemUserLogin> getSystemUserLogin(const TenantScope& scope, const std::string& org_id,
                                             const std::string& username) override;
  Result<std::int64_t> applyPasswordExpirationDays(const TenantScope& scope,
                                                   const std::string& org_id, int days) override;
  Result<void> setSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                     const std::string& id, const std::string& password_hash,
                                     int expiration_days) override;
  Result<void> createUserToken(const TenantScope& scope, const UserTokenRecord& record) override;
  Result<UserTokenRecord> consumeUserToken(const std::string& token_hash, UnixTime at) override;
  Result<void> clearSystemUserFailedLogins(const TenantScope& scope, const std::string& org_id,
                                           const std::string& id) override;
  Result<PasswordPolicyRecord> getPasswordPolicy(const TenantScope& scope,
                                                 const std::string& org_id) override;
  Result<void> putPasswordPolicy(const TenantScope& scope,
                                 const PasswordPolicyRecord& policy) override;

  Result<void> putGrant(const TenantScope& scope, const GrantRecord& grant) override;
  Result<void> deleteGrant(const TenantScope& scope, const std::string& admin_id,
                           const std::string& org_id) override;
  Result<std::vector<GrantRecord>> listGrants(const TenantScope& scope,
                                              const std::string& admin_id) override;
  Result<std::vector<GrantRecord>> listOrganizationGrants(const TenantScope& scope,
                                                          const std::string& org_id) override;
  Result<void> replaceGrants(const TenantScope& scope, const std::string& admin_id,
                             const std::vector<GrantRecord>& grants) override;

  Result<void> createSession(const TenantScope& scope, const SessionRecord& record) override;
  Result<SessionRecord> getSession(const TenantScope& scope, const std::string& jti) override;
  Result<void> revokeSession(const TenantScope& scope, const std::string& jti,
                             UnixTime at) override;
  Result<std::int64_t> revokeAdminSessions(const TenantScope& scope, const std::string& admin_id,
                                           UnixTime at) override;

  Result<std::string> replaceApiKey(const TenantScope& scope, const std::string& admin_id,
                                    const std::string& prefix,
                                    const std::string& key_hash) override;
  Result<void> revokeApiKeys(const TenantScope& scope, const std::string& admin_id) override;

  Result<void> createToken(const TenantScope& scope, const TokenRecord& record) override;

  // Billing and usage: soci_billing.cc.
  Result<void> recordUsageSnapshot(const TenantScope& scope, const std::string& org_id,
                                   EpochDay day, std::int64_t users,
                                   std::int64_t devices) override;
  Result<std::int64_t> recordUsageFromCounts(const TenantScope& scope, EpochDay day) override;
  Result<std::vector<UsageDayTotal>> usageDailyTotals(const TenantScope& scope, EpochDay from,
                                                      EpochDay to) override;
  Result<std::vector<OrganizationUsage>> usageByOrganization(const TenantScope& scope,
                                                             EpochDay current_day, EpochDay from,
                                                             EpochDay to) override;
  Result<BillingSettingsRecord> getBillingSettings(const TenantScope& scope) override;
  Result<void> putBillingSettings(const TenantScope& scope,
                                  const BillingSettingsRecord& record) override;
  Result<BillingInformationRecord> getBillingInformation(const TenantScope& scope) override;
  Result<void> putBillingInformation(const TenantScope& scope,
                                     const BillingInformationRecord& record) override;
  Result<std::string> createInvoice(const TenantScope& scope, const InvoiceRecord& record) override;
  Result<InvoiceRecord> getInvoice(const TenantScope& scope, const std::string& id) override;
  Result<std::vector<InvoiceRecord>> listInvoices(const TenantScope& scope) override;
  Result<std::string> recordPayment(const TenantScope& scope, const PaymentRecord& payment) override;
  Result<std::vector<PaymentRecord>> listPayments(const TenantScope& scope,
                                                  const std::string& invoice_id) override;

  // Home: soci_home.cc.
  Result<std::int64_t> countHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                      const HomeUserQuery& query) override;
  Result<Page<HomeUserItem>> listHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                           const HomeUserQuery& query, int limit,
                                           int skip) override;
  Result<std::int64_t> countHomeDevices(const TenantScope& scope, const OrgReach& reach,
                                        const HomeDeviceQuery& query) override;
  Result<Page<HomeDeviceItem>> listHomeDevices(const TenantScope& scope, const OrgReach& reach,
                                               const HomeDeviceQuery& query, int limit,
                                               int skip) override;
  Result<Page<AdminRecord>> listAdminsWithoutMfa(const TenantScope& scope, int limit,
                                                 int skip) override;
  Result<void> putOrgMdm(const TenantScope& scope, const std::string& org_id,
                         const std::vector<OrgMdmItem>& items) override;
  Result<std::vector<OrgMdmItem>> getOrgMdm(const TenantScope& scope,
                                            const std::string& org_id) override;
  Result<std::int64_t> getOrgMdmVersion(const TenantScope& scope,
                                        const std::string& org_id) override;
  Result<std::int64_t> countMdmOrgs(const TenantScope& scope, const OrgReach& reach,
                                    UnixTime before) override;
  Result<Page<OrgMdmItem>> listMdmItems(const TenantScope& scope, const OrgReach& reach,
                                        int limit, int skip) override;
  Result<Page<ReportRecord>> listReportsReady(const TenantScope& scope, const OrgReach& reach,
                                              UnixTime since, UnixTime until, int limit,
                                              int skip) override;
  Result<AdminHomeRecord> getAdminHome(const TenantScope& scope,
                                       const std::string& admin_id) override;
  Result<void> putAdminHome(const TenantScope& scope, const AdminHomeRecord& record) override;
  Result<std::string> addOsRelease(const OsReleaseRecord& record) override;
  Result<Page<OsReleaseRecord>> listOsReleases(UnixTime since, int limit, int skip) override;

  Result<std::string> enqueueEmail(const TenantScope& scope, const EmailRecord& email) override;
  Result<std::vector<EmailRecord>> listEmails(const TenantScope& scope, bool pending_only,
                                              int limit) override;

  Result<std::string> appendActivity(const TenantScope& scope,
                                     const ActivityRecord& event) override;
  Result<std::vector<ActivityRecord>> listActivity(const TenantScope& scope,
                                                   const ActivityQuery& query) override;
  Result<std::vector<std::string>> addActivityPartitions(UnixTime now, int months_ahead) override;
  Result<std::vector<std::string>> dropActivityPartitions(UnixTime before) override;
  Result<std::int64_t> deleteActivityBefore(UnixTime before, int limit) override;

  Result<std::vector<AdminRecord>> reviewAdmins(const TenantScope& scope) override;
  Result<std::vector<ReviewOrgRecord>> reviewOrganizations(const TenantScope& scope) override;
  Result<std::vector<GrantRecord>> reviewGrants(const TenantScope& scope) override;
  Result<std::vector<LastUseRecord>> lastUseByAdminAndOrg(const TenantScope& scope) override;
  Result<std::string> addCertification(const TenantScope& scope,
                                       const CertificationRecord& record) override;
  Result<std::vector<CertificationRecord>> latestCertifications(const TenantScope& scope) override;

  // PSA integrations: soci_psa.cc.
  Result<void> putIntegration(const TenantScope& scope, const IntegrationRecord& record) override;
  Result<IntegrationRecord> getIntegration(const TenantScope& scope, const std::string& kind) override;
  Result<std::vector<IntegrationRecord>> listIntegrations(const TenantScope& scope) override;
  Result<bool> deleteIntegration(const TenantScope& scope, const std::string& kind) override;
  Result<void> replacePsaMappings(const TenantScope& scope, const std::string& kind,
                                  const std::vector<PsaMappingRecord>& mappings) override;
  Result<std::vector<PsaMappingRecord>> listPsaMappings(const TenantScope& scope, const std::string& kind) override;
  Result<std::string> queueSyncRun(const TenantScope& scope, const SyncRunRecord& run) override;
  Result<std::vector<SyncRunRecord>> listSyncRuns(const TenantScope& scope, const std::string& kind,
                                                  int limit) override;
  Result<std::vector<SyncRunRecord>> dueSyncRuns(UnixTime now, int limit) override;
  Result<bool> claimSyncRun(const TenantScope& scope, const std::string& id, UnixTime at) override;
  Result<void> finishSyncRun(const TenantScope& scope, const SyncRunRecord& run) override;
  Result<std::vector<IntegrationRecord>> integrationsDueDaily(UnixTime since) override;
  Result<std::vector<IntegrationRecord>> ticketingIntegrations() override;
  Result<bool> addPsaTicket(const TenantScope& scope, const std::string& kind, const PsaTicketRecord& ticket) override;
  Result<std::vector<PsaTicketRecord>> listPsaTickets(const TenantScope& scope, const std::string& kind) override;
  Result<void> markPsaTicketOpened(const TenantScope& scope, const std::string& kind, const std::string& alert_key,
                                   const std::string& psa_ticket_id) override;
  Result<std::vector<PsaAlertRecord>> psaAlerts(const TenantScope& scope, const std::vector<std::string>& org_ids,
                                                UnixTime inactive_before) override;
  Result<std::string> addIntegrationRequest(const TenantScope& scope, const IntegrationRequestRecord& record) override;
  Result<std::vector<IntegrationRequestRecord>> listIntegrationRequests(const TenantScope& scope) override;

  Result<std::string> createDevice(const TenantScope& scope, const DeviceRecord& record,
                                   const std::string& device_key_hash) override;
  Result<DeviceRecord> getDevice(const TenantScope& scope, const std::string& org_id,
                                 const std::string& id) override;
  Result<Page<DeviceRecord>> listDevices(const TenantScope& scope, const OrgReach& reach,
                                         const ListQuery& query) override;
  Result<void> recordCheckin(const TenantScope& scope, const std::string& device_id,
                             const DeviceCheckin& checkin) override;
  Result<std::string> createCommand(const TenantScope& scope,
                                    const DeviceCommandRecord& record) override;
  Result<DeviceCommandRecord> getCommand(const TenantScope& scope, const std::string& device_id,
                                         const std::string& id) override;
  Result<std::vector<DeviceCommandRecord>> listCommands(const TenantScope& scope,
                                                        const std::string& device_id,
                                                        int limit) override;
  Result<std::vector<DeviceCommandRecord>> takePendingCommands(const TenantScope& scope,
                                                               const std::string& device_id,
                                                               UnixTime at) override;
  Result<void> finishCommand(const TenantScope& scope, const std::string& device_id,
                             const std::string& id, const std::string& status,
                             const std::string& output, UnixTime at) override;
  Result<void> replaceConnectKey(const TenantScope& scope,
                                 const ConnectKeyRecord& record) override;
  Result<ConnectKeyRecord> getConnectKey(const TenantScope& scope,
                                         const std::string& org_id) override;
  Result<ConnectKeyRecord> findConnectKey(const std::string& key_hash) override;
  Result<DeviceRecord> findDeviceByKey(const std::string& device_key_hash) override;
  Result<std::string> findOrganizationProvider(const std::string& org_id) override;

  // Reports: soci_reports.cc.
  Result<std::string> createReportRequest(const TenantScope& scope,
                                          const ReportRequestRecord& record) override;
  Result<ReportRequestRecord> getReportRequest(const TenantScope& scope,
                                               const ReportReader& reader,
                                               const std::string& id) override;
  Result<Page<ReportRequestRecord>> listReportRequests(const TenantScope& scope,
                                                       const ReportReader& reader, int limit,
                                                       int skip) override;
  Result<std::string> getReportContent(const TenantScope& scope, const std::string& id) override;
  Result<std::vector<ReportRequestRecord>> pendingReportRequests(int limit) override;
  Result<void> finishReportRequest(const TenantScope& scope, const std::string& id,
                                   const std::string& status, const std::string& content,
                                   std::int64_t row_count, const std::string& error,
                                   UnixTime at) override;
  Result<std::int64_t> purgeReports(UnixTime before) override;

  // Saved commands and their results: soci_commands.cc.
  Result<std::string> createSavedCommand(const TenantScope& scope,
                                         const SavedCommandRecord& record) override;
  Result<SavedCommandRecord> getSavedCommand(const TenantScope& scope, const std::string& org_id,
                                             const std::string& id) override;
  Result<Page<SavedCommandRecord>> listSavedCommands(const TenantScope& scope,
                                                     const std::string& org_id,
                                                     const ListQuery& query) override;
  Result<void> updateSavedCommand(const TenantScope& scope,
                                  const SavedCommandRecord& record) override;
  Result<void> deleteSavedCommand(const TenantScope& scope, const std::string& org_id,
                                  const std::string& id) override;
  Result<std::string> createCommandResult(const TenantScope& scope,
                                          const CommandResultRecord& record) override;
  Result<std::vector<CommandResultRecord>> listCommandResults(const TenantScope& scope,
                                                              const std::string& org_id,
                                                              const std::string& command_id,
                                                              const std::string& device_id,
                                                              int limit) override;
  Result<CommandResultRecord> getCommandResult(const TenantScope& scope,
                                               const std::string& device_id,
                                               const std::string& id) override;
  Result<std::vector<CommandResultRecord>> takePendingCommandResults(const TenantScope& scope,
                                                                     const std::string& device_id,
                                                                     UnixTime at) override;
  Result<void> finishCommandResult(const TenantScope& scope, const std::string& device_id,
                                   const std::string& id, const CommandOutcome& outcome,
                                   UnixTime at) override;

  Result<std::vector<LoginCandidate>> findAdminsByEmail(const std::string& email) override;
  Result<SessionRecord> findSession(const std::string& jti) override;
  Result<std::vector<ApiKeyRecord>> findApiKeys(const std::string& prefix) override;
  Result<TokenRecord> consumeToken(const std::string& token_hash, TokenKind kind,
                                   UnixTime now) override;
  Result<std::vector<ProviderRecord>> listProviders() override;
  Result<std::vector<EmailRecord>> pendingEmails(int limit, int max_attempts) override;
  Result<void> markEmailSent(const std::string& id, UnixTime at) override;
  Result<void> markEmailFailed(const std::string& id, const std::string& error) override;
  Result<std::int64_t> deleteExpiredSessions(UnixTime now) override;

  Result<IdempotencyRecord> getIdempotencyKey(const std::string& key_hash) override;
  Result<void> putIdempotencyKey(const IdempotencyRecord& record) override;
  Result<void> deleteIdempotencyKey(const std::string& key_hash) override;
  Result<std::int64_t> purgeIdempotencyKeys(UnixTime before) override;
  // For SociStore::runUnit: sets the key's `committed` in this unit (throws as SOCI does).
  void markIdempotencyCommitted(const std::string& key_hash);
  Result<std::int64_t> pushPolicyVersion(const std::vector<PolicyFileRecord>& files,
                                         const std::string& content_hash,
                                         const std::string& created_by) override;
  Result<std::vector<PolicyVersionRecord>> listPolicyVersions() override;
  Result<std::optional<PolicyVersionRecord>> getActivePolicy() override;
  Result<std::optional<std::int64_t>> activePolicyVersion() override;
  Result<void> activatePolicyVersion(std::int64_t version, const std::string& changed_by) override;

  // For SociStore::loadDirectory.
  Result<mtp::engine::DirectoryData> loadDirectory();
  // For SociStore::loadDirectoryPart.
  Result<mtp::engine::DirectoryPart> loadDirectoryPart(mtp::engine::DirectoryPart::Kind kind,
                                                       const std::string& id);

 private:
  template <class F>
  auto guarded(F&& f) -> decltype(f());
  // Row locks for read-modify-write (soci_tx.cc). In a write unit on PostgreSQL, a row that a
  // single-row read returns stays this unit's until it ends: lockClause() is
  // " FOR NO KEY UPDATE [OF alias]" to append to that SELECT (it conflicts with another
  // writer's lock or UPDATE of the row, not with the KEY SHARE locks of foreign keys), and
  // lockRow() takes the lock on one row of `table` by (provider_id, id) — for a read of rows
  // that hang off it (an org's password policy, a provider's billing settings) or before a
  // revoke-and-insert. Both are no-ops in a read unit and on SQLite, whose write units
  // (BEGIN IMMEDIATE) already run one at a time. A concurrent writer of the same row waits;
  // it then reads the committed row, so no update is lost and every event's `from` is current.
  std::string lockClause(std::string_view alias = {}) const;
  // false when the row does not exist (whether or not a lock was taken).
  bool lockRow(std::string_view table, const TenantScope& scope, const std::string& id);
  // lockRow() where it takes a lock (a write unit on PostgreSQL), nothing elsewhere.
  void holdRow(std::string_view table, const TenantScope& scope, const std::string& id) {
    if (!lockClause().empty()) lockRow(table, scope, id);
  }
  Result<std::vector<AdminRecord>> selectAdmins(const std::string& where_sql, SqlParams& p,
                                                const std::string& tail);
  // Grant rows: `where_sql` is " WHERE provider_id = ... [AND ...] ORDER BY ..." bound in p.
  std::vector<GrantRecord> selectGrants(const std::string& where_sql, SqlParams& p);
  Result<std::vector<SessionRecord>> selectSessions(const std::string& where_sql,
                                                    SqlParams& p);
  Result<std::vector<DeviceRecord>> selectDevices(const std::string& where_sql, SqlParams& p,
                                                  const std::string& tail);
  Result<std::vector<DeviceCommandRecord>> selectCommands(const std::string& where_sql,
                                                          SqlParams& p, const std::string& tail);
  Result<std::vector<ConnectKeyRecord>> selectConnectKeys(const std::string& where_sql,
                                                          SqlParams& p);
  Result<std::vector<EmailRecord>> selectEmails(const std::string& where_sql, SqlParams& p,
                                                const std::string& tail);
  Result<void> writeTags(const TenantScope& scope, const std::string& org_id,
                         const std::vector<std::string>& tags);

  Connection sql_;
  const Dialect& d_;
  std::function<UnixTime()> clock_;
  bool writing_ = false;
  bool lost_ = false;
};

}  // namespace mtp::store::detail
