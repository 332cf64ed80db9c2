// The store: every row MTP keeps, behind an interface with no SOCI type in it. Open one with
// openStore(); run reads with query() and mutations with transact(): the function given runs
// on a Tx inside one database transaction, so a mutation and its activity event commit (or
// roll back) together.
//
// Thread-safety: a Store is safe from many threads; it leases one pooled connection per
// query()/transact() call. A Tx is not: use it only inside the function it is passed to.
//
// Failure: no exception leaves the store. A lost PostgreSQL connection is re-opened on the
// next lease; a read that met the loss is retried once, a write is retried only when the loss
// showed before anything ran; otherwise the call returns kUnavailable at once (503 with
// Retry-After for the HTTP layer). When every connection is busy for `lease_timeout`, also
// kUnavailable: never a hang.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mtp/engine/directory.h"
#include "store/billing_records.h"
#include "store/home_records.h"
#include "store/list_query.h"
#include "store/records.h"
#include "store/scope.h"
#include "store/status.h"

namespace mtp::store {

// One unit of work. Every tenant-owned call takes the scope and touches that provider's rows
// only; a row of another provider answers kNotFound, as a missing one does. Calls that return
// kNotFound/kConflict leave the transaction usable on SQLite but not on PostgreSQL (which
// aborts it): return the error from the unit of work.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual UnixTime now() const = 0;  // the clock the store uses for defaults

  // --- providers
  // REQUIRES: record.id is empty or equals scope.provider_id (empty: scope.provider_id).
  virtual Result<void> createProvider(const TenantScope& scope, const ProviderRecord& record) = 0;
  virtual Result<ProviderRecord> getProvider(const TenantScope& scope) = 0;
  // Updates name and require_admin_mfa.
  virtual Result<void> updateProvider(const TenantScope& scope, const ProviderRecord& record) = 0;

  // --- organizations
  // Returns the id (generated when record.id is empty). Tags are stored sorted and unique.
  virtual Result<std::string> createOrganization(const TenantScope& scope,
                                                 const OrganizationRecord& record) = 0;
  virtual Result<OrganizationRecord> getOrganization(const TenantScope& scope,
                                                     const std::string& id) = 0;
  // Replaces name, max_system_users, remote_assist and tags of record.id.
  virtual Result<void> updateOrganization(const TenantScope& scope,
                                          const OrganizationRecord& record) = 0;
  virtual Result<void> deleteOrganization(const TenantScope& scope, const std::string& id) = 0;
  // Fields: id name maxSystemUsers remoteAssist created updated; filter only: tags
  // (eq: has the tag, in, search).
  virtual Result<Page<OrganizationRecord>> listOrganizations(const TenantScope& scope,
                                                             const OrgReach& reach,
                                                             const ListQuery& query) = 0;
  virtual Result<void> setOrganizationLogo(const TenantScope& scope, const std::string& org_id,
                                           const LogoRecord& logo) = 0;
  virtual Result<LogoRecord> getOrganizationLogo(const TenantScope& scope,
                                                 const std::string& org_id) = 0;

  // --- administrators
  // Returns the id. kConflict when the email (case-insensitively) exists in the provider.
  virtual Result<std::string> createAdmin(const TenantScope& scope, const AdminRecord& record,
                                          const std::optional<std::string>& password_hash) = 0;
  virtual Result<AdminRecord> getAdmin(const TenantScope& scope, const std::string& id) = 0;
  virtual Result<AdminRecord> getAdminByEmail(const TenantScope& scope,
                                              const std::string& email) = 0;
  // Replaces email, firstname, lastname, role_name, status, enable_multi_factor,
  // api_key_allowed, all_organizations of record.id.
  virtual Result<void> updateAdmin(const TenantScope& scope, const AdminRecord& record) = 0;
  virtual Result<void> deleteAdmin(const TenantScope& scope, const std::string& id) = 0;
  // Fields: id email firstname lastname roleName status enableMultiFactor apiKeyAllowed
  // allOrganizations totpEnrolled created updated.
  virtual Result<Page<AdminRecord>> listAdmins(const TenantScope& scope,
                                               const ListQuery& query) = 0;
  // The admins who reach an org at `now`: allOrganizations, or an unexpired grant.
  virtual Result<std::vector<AdminRecord>> listOrganizationAdmins(const TenantScope& scope,
                                                                  const std::string& org_id,
                                                                  UnixTime now) = 0;
  virtual Result<AdminCredentials> getAdminCredentials(const TenantScope& scope,
                                                       const std::string& id) = 0;
  virtual Result<void> setPasswordHash(const TenantScope& scope, const std::string& id,
                                       const std::string& password_hash) = 0;
  // Enrollment: (secret, false); confirmation: setTotpEnrolled; reset: (nullopt, false).
  // Any change of secret forgets the last accepted step.
  virtual Result<void> setTotpSecret(const TenantScope& scope, const std::string& id,
                                     const std::optional<std::string>& secret) = 0;
  virtual Result<void> setTotpEnrolled(const TenantScope& scope, const std::string& id,
                                       bool enrolled) = 0;
  // Atomically records `step` as the last accepted TOTP step if it is newer than the stored
  // one. false: the step (or a later one) was already used — a replay.
  virtual Result<bool> acceptTotpStep(const TenantScope& scope, const std::string& id,
                                      std::int64_t step) = 0;
  // Counts a failed login; when the count reaches `lock_after` (> 0) sets locked_until.
  // Returns the new count.
  virtual Result<int> recordFailedLogin(const TenantScope& scope, const std::string& id,
                                        int lock_after, UnixTime lock_until) = 0;
  // After a successful login or an unlock: count 0, no lock.
  virtual Result<void> clearFailedLogins(const TenantScope& scope, const std::string& id) = 0;

  // --- users of managed orgs: every call names the org (a user of another org, even of the
  // same provider, answers kNotFound).
  // Returns the id. kConflict when the username (case-insensitively) exists in the org;
  // kNotFound when the org is not the scope's. A password hash sets password_set_at = now.
  virtual Result<std::string> createSystemUser(const TenantScope& scope,
                                               const SystemUserRecord& record,
                                               const std::optional<std::string>& password_hash) = 0;
  virtual Result<SystemUserRecord> getSystemUser(const TenantScope& scope,
                                                 const std::string& org_id,
                                                 const std::string& id) = 0;
  // Replaces username, email, firstname, lastname, state, totp_enabled, sudo,
  // passwordless_sudo, samba_service_user, password_expiration_date, scheduled_suspension_at,
  // scheduled_activation_at of record.id in record.org_id.
  virtual Result<void> updateSystemUser(const TenantScope& scope,
                                        const SystemUserRecord& record) = 0;
  virtual Result<void> deleteSystemUser(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id) = 0;
  // Fields: id username email firstname lastname state organization account_locked
  // password_expired password_expiration_date totp_enabled sudo passwordless_sudo
  // samba_service_user created updated.
  virtual Result<Page<SystemUserRecord>> listSystemUsers(const TenantScope& scope,
                                                         const OrgReach& reach,
                                                         const ListQuery& query) = 0;
  virtual Result<void> setSystemUserState(const TenantScope& scope, const std::string& org_id,
                                          const std::string& id, UserState state) = 0;
  // Not locked, no failed logins.
  virtual Result<void> unlockSystemUser(const TenantScope& scope, const std::string& org_id,
                                        const std::string& id) = 0;
  // Sets the forced-expiry flag (the user must set a new password at the next login).
  virtual Result<void> expireSystemUserPassword(const TenantScope& scope,
                                                const std::string& org_id,
                                                const std::string& id) = 0;
  // Counts a failed login; when the count reaches `lock_after` (> 0) the account locks
  // (account_locked, locked_at = now) until unlocked. Returns the new count.
  virtual Result<int> recordSystemUserFailedLogin(const TenantScope& scope,
                                                  const std::string& org_id,
                                                  const std::string& id, int lock_after) = 0;
  // The user of the org with this username (case-insensitively) and its password hash, for
  // the user portal's sign-in; kNotFound when there is none.
  virtual Result<SystemUserLogin> getSystemUserLogin(const TenantScope& scope,
                                                     const std::string& org_id,
                                                     const std::string& username) = 0;
  // A changed expiry policy: every user of the org with a password on file gets
  // password_expiration_date = password_set_at + days (days 0: none). Returns how many.
  virtual Result<std::int64_t> applyPasswordExpirationDays(const TenantScope& scope,
                                                           const std::string& org_id,
                                                           int days) = 0;
  // After a successful sign-in: no failed logins (`updated` is left alone; a lock is not
  // lifted here: that is unlockSystemUser's).
  virtual Result<void> clearSystemUserFailedLogins(const TenantScope& scope,
                                                   const std::string& org_id,
                                                   const std::string& id) = 0;
  // The org's policy, or the defaults when it never set one; kNotFound for an unknown org.
  virtual Result<PasswordPolicyRecord> getPasswordPolicy(const TenantScope& scope,
                                                         const std::string& org_id) = 0;
  virtual Result<void> putPasswordPolicy(const TenantScope& scope,
                                         const PasswordPolicyRecord& policy) = 0;

  // --- org grants (both admin and org must belong to the scope: else kNotFound)
  virtual Result<void> putGrant(const TenantScope& scope, const GrantRecord& grant) = 0;
  virtual Result<void> deleteGrant(const TenantScope& scope, const std::string& admin_id,
                                   const std::string& org_id) = 0;
  virtual Result<std::vector<GrantRecord>> listGrants(const TenantScope& scope,
                                                      const std::string& admin_id) = 0;
  // Every grant on one org (expired ones too: GrantRecord.expires_at says), by admin id.
  virtual Result<std::vector<GrantRecord>> listOrganizationGrants(const TenantScope& scope,
                                                                  const std::string& org_id) = 0;
  virtual Result<void> replaceGrants(const TenantScope& scope, const std::string& admin_id,
                                     const std::vector<GrantRecord>& grants) = 0;

  // --- sessions
  virtual Result<void> createSession(const TenantScope& scope, const SessionRecord& record) = 0;
  virtual Result<SessionRecord> getSession(const TenantScope& scope, const std::string& jti) = 0;
  virtual Result<void> revokeSession(const TenantScope& scope, const std::string& jti,
                                     UnixTime at) = 0;
  // Returns how many sessions were revoked.
  virtual Result<std::int64_t> revokeAdminSessions(const TenantScope& scope,
                                                   const std::string& admin_id, UnixTime at) = 0;

  // --- API keys: a new key revokes the admin's older keys in the same transaction.
  virtual Result<std::string> replaceApiKey(const TenantScope& scope, const std::string& admin_id,
                                            const std::string& prefix,
                                            const std::string& key_hash) = 0;
  virtual Result<void> revokeApiKeys(const TenantScope& scope, const std::string& admin_id) = 0;

  // --- activation / reset tokens
  virtual Result<void> createToken(const TenantScope& scope, const TokenRecord& record) = 0;

  // --- billing and usage (store/billing_records.h)
  // Upserts one org's snapshot of one day (kNotFound when the org is not the scope's).
  virtual Result<void> recordUsageSnapshot(const TenantScope& scope, const std::string& org_id,
                                           EpochDay day, std::int64_t users,
                                           std::int64_t devices) = 0;
  // Records `day`'s snapshot of every org of the provider from its users and devices now
  // (upsert, like recordUsageSnapshot); returns how many orgs were recorded.
  virtual Result<std::int64_t> recordUsageFromCounts(const TenantScope& scope, EpochDay day) = 0;
  // Provider-wide sums per day over [from, to), ascending by day; days without any snapshot
  // are absent.
  virtual Result<std::vector<UsageDayTotal>> usageDailyTotals(const TenantScope& scope,
                                                              EpochDay from, EpochDay to) = 0;
  // Every existing org (by name, then id): its latest snapshot on or before `current_day`
  // and its highest user count over [from, to).
  virtual Result<std::vector<OrganizationUsage>> usageByOrganization(const TenantScope& scope,
                                                                     EpochDay current_day,
                                                                     EpochDay from,
                                                                     EpochDay to) = 0;
  // kNotFound when the operator has set no price.
  virtual Result<BillingSettingsRecord> getBillingSettings(const TenantScope& scope) = 0;
  virtual Result<void> putBillingSettings(const TenantScope& scope,
                                          const BillingSettingsRecord& record) = 0;
  // kNotFound when none is stored.
  virtual Result<BillingInformationRecord> getBillingInformation(const TenantScope& scope) = 0;
  virtual Result<void> putBillingInformation(const TenantScope& scope,
                                             const BillingInformationRecord& record) = 0;
  // Returns the id. kConflict when the provider has an invoice with this period or number.
  virtual Result<std::string> createInvoice(const TenantScope& scope,
                                            const InvoiceRecord& record) = 0;
  virtual Result<InvoiceRecord> getInvoice(const TenantScope& scope, const std::string& id) = 0;
  // Newest period first.
  virtual Result<std::vector<InvoiceRecord>> listInvoices(const TenantScope& scope) = 0;
  // Adds a payment to an invoice that is not void: paid += amount; status becomes paid when
  // paid >= billed. Returns the payment id; kNotFound for an unknown (or void) invoice.
  virtual Result<std::string> recordPayment(const TenantScope& scope,
                                            const PaymentRecord& payment) = 0;
  // Oldest first.
  virtual Result<std::vector<PaymentRecord>> listPayments(const TenantScope& scope,
                                                          const std::string& invoice_id) = 0;

  // --- Home (store/home_records.h): widget counts are one COUNT(*) over the reach, each
  // on its own index (schema 005_home.sql); lists page with limit/skip.
  virtual Result<std::int64_t> countHomeUsers(const TenantScope& scope, const OrgReach& reach,
                                              const HomeUserQuery& query) = 0;
  virtual Result<Page<HomeUserItem>> listHomeUsers(const TenantScope& scope,
                                                   const OrgReach& reach,
                                                   const HomeUserQuery& query, int limit,
                                                   int skip) = 0;
  virtual Result<std::int64_t> countHomeDevices(const TenantScope& scope, const OrgReach& reach,
                                                const HomeDeviceQuery& query) = 0;
  virtual Result<Page<HomeDeviceItem>> listHomeDevices(const TenantScope& scope,
                                                       const OrgReach& reach,
                                                       const HomeDeviceQuery& query, int limit,
                                                       int skip) = 0;
  // Admins of the provider not required to use MFA (enable_multi_factor off); none when the
  // provider requires MFA of every admin. By email.
  virtual Result<Page<AdminRecord>> listAdminsWithoutMfa(const TenantScope& scope, int limit,
                                                         int skip) = 0;
  // Replaces the org's MDM items (kinds absent from `items` are removed); kNotFound for an org
  // that is not the scope's.
  virtual Result<void> putOrgMdm(const TenantScope& scope, const std::string& org_id,
                                 const std::vector<OrgMdmItem>& items) = 0;
  virtual Result<std::vector<OrgMdmItem>> getOrgMdm(const TenantScope& scope,
                                                    const std::string& org_id) = 0;
  // Orgs in the reach with an item expiring at or before `before`.
  virtual Result<std::int64_t> countMdmOrgs(const TenantScope& scope, const OrgReach& reach,
                                            UnixTime before) = 0;
  // Every item in the reach, soonest expiry first.
  virtual Result<Page<OrgMdmItem>> listMdmItems(const TenantScope& scope, const OrgReach& reach,
                                                int limit, int skip) = 0;
  // Returns the id; kNotFound for an org that is not the scope's.
  virtual Result<std::string> createReport(const TenantScope& scope,
                                           const ReportRecord& record) = 0;
  // Reports in the reach with since <= ready_at <= until, newest first.
  virtual Result<Page<ReportRecord>> listReportsReady(const TenantScope& scope,
                                                      const OrgReach& reach, UnixTime since,
                                                      UnixTime until, int limit, int skip) = 0;
  // kNotFound when the admin never saved a choice.
  virtual Result<AdminHomeRecord> getAdminHome(const TenantScope& scope,
                                               const std::string& admin_id) = 0;
  virtual Result<void> putAdminHome(const TenantScope& scope, const AdminHomeRecord& record) = 0;

  // --- email outbox
  virtual Result<std::string> enqueueEmail(const TenantScope& scope, const EmailRecord& email) = 0;
  virtual Result<std::vector<EmailRecord>> listEmails(const TenantScope& scope,
                                                      bool pending_only, int limit) = 0;

  // --- activity log
  virtual Result<std::string> appendActivity(const TenantScope& scope,
                                             const ActivityRecord& event) = 0;
  virtual Result<std::vector<ActivityRecord>> listActivity(const TenantScope& scope,
                                                           const ActivityQuery& query) = 0;

  // --- devices, their queued commands and the orgs' connect keys (the org must belong to
  // the scope: else kNotFound)
  virtual Result<std::string> createDevice(const TenantScope& scope, const DeviceRecord& record,
                                           const std::string& device_key_hash) = 0;
  // With org_id non-empty, a device of another org answers kNotFound.
  virtual Result<DeviceRecord> getDevice(const TenantScope& scope, const std::string& org_id,
                                         const std::string& id) = 0;
  // Fields: id displayName hostname os osFamily version active lastContact uptimeSeconds
  // remoteAssist organization created.
  virtual Result<Page<DeviceRecord>> listDevices(const TenantScope& scope, const OrgReach& reach,
                                                 const ListQuery& query) = 0;
  // Records the facts, sets active and last_contact.
  virtual Result<void> recordCheckin(const TenantScope& scope, const std::string& device_id,
                                     const DeviceCheckin& checkin) = 0;
  virtual Result<std::string> createCommand(const TenantScope& scope,
                                            const DeviceCommandRecord& record) = 0;
  virtual Result<DeviceCommandRecord> getCommand(const TenantScope& scope,
                                                 const std::string& device_id,
                                                 const std::string& id) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<DeviceCommandRecord>> listCommands(const TenantScope& scope,
                                                                const std::string& device_id,
                                                                int limit) = 0;
  // The device's pending commands, oldest first, now marked sent at `at`.
  virtual Result<std::vector<DeviceCommandRecord>> takePendingCommands(
      const TenantScope& scope, const std::string& device_id, UnixTime at) = 0;
  // status done|failed; kNotFound unless the command is the device's and not finished.
  virtual Result<void> finishCommand(const TenantScope& scope, const std::string& device_id,
                                     const std::string& id, const std::string& status,
                                     const std::string& output, UnixTime at) = 0;
  // Revokes the org's current key and stores the new one.
  virtual Result<void> replaceConnectKey(const TenantScope& scope,
                                         const ConnectKeyRecord& record) = 0;
  // The org's unrevoked key; kNotFound when it has none.
  virtual Result<ConnectKeyRecord> getConnectKey(const TenantScope& scope,
                                                 const std::string& org_id) = 0;

  // --- before a tenant is known (authentication), and system work over every provider.
  // Each is named for what it is; nothing else in the store crosses providers.
  virtual Result<std::vector<LoginCandidate>> findAdminsByEmail(const std::string& email) = 0;
  virtual Result<SessionRecord> findSession(const std::string& jti) = 0;
  // Unrevoked keys with this prefix, any provider: the caller checks each hash.
  virtual Result<std::vector<ApiKeyRecord>> findApiKeys(const std::string& prefix) = 0;
  // Marks an unused, unexpired token used and returns it; kNotFound otherwise.
  virtual Result<TokenRecord> consumeToken(const std::string& token_hash, TokenKind kind,
                                           UnixTime now) = 0;
  // The unrevoked connect key with this hash, any provider (agent enrollment).
  virtual Result<ConnectKeyRecord> findConnectKey(const std::string& key_hash) = 0;
  // The device whose key has this hash, any provider (agent check-in).
  virtual Result<DeviceRecord> findDeviceByKey(const std::string& device_key_hash) = 0;
  // The provider of an org, any provider (the user portal's sign-in names only the org);
  // kNotFound for an unknown org.
  virtual Result<std::string> findOrganizationProvider(const std::string& org_id) = 0;
  virtual Result<std::vector<ProviderRecord>> listProviders() = 0;
  // OS releases (global, the operator's): kConflict for an existing (family, version, build).
  virtual Result<std::string> addOsRelease(const OsReleaseRecord& record) = 0;
  // Released at or after `since`, newest first.
  virtual Result<Page<OsReleaseRecord>> listOsReleases(UnixTime since, int limit, int skip) = 0;
  virtual Result<std::vector<EmailRecord>> pendingEmails(int limit, int max_attempts) = 0;
  virtual Result<void> markEmailSent(const std::string& id, UnixTime at) = 0;
  virtual Result<void> markEmailFailed(const std::string& id, const std::string& error) = 0;
  virtual Result<std::int64_t> deleteExpiredSessions(UnixTime now) = 0;
};

struct StoreOptions {
  // sqlite:PATH  or  postgresql://user:pass@host:port/db[?param=value...]
  std::string url;
  std::size_t pool_size = 4;  // the number of worker threads
  std::chrono::milliseconds lease_timeout{5000};
  int connect_timeout_seconds = 5;     // PostgreSQL connect_timeout
  int statement_timeout_seconds = 30;  // PostgreSQL statement_timeout; 0: none
  std::function<UnixTime()> clock;    // empty: the system clock
};

class Store {
 public:
  // The newest schema version this binary knows.
  static int knownSchemaVersion();

  virtual ~Store() = default;
  virtual std::string_view backend() const = 0;  // "postgresql" or "sqlite3"

  // Applies the missing migrations in one transaction and returns the version now.
  // kFailedPrecondition "database schema N is newer than this binary (M)" if it is.
  virtual Result<int> migrate() = 0;
  // 0 for an empty database.
  virtual Result<int> schemaVersion() = 0;
  // OK only when the database has exactly knownSchemaVersion().
  Result<void> checkSchema();
  // A round trip to the database (readiness).
  virtual Result<void> ping() = 0;

  // Runs `fn` in a read transaction (a consistent snapshot on PostgreSQL). The result of
  // `fn` is returned; an error from it rolls back. `fn` may run twice (retry after a lost
  // connection): it must have no effect outside the Tx but its outputs.
  virtual Result<void> read(const std::function<Result<void>(Tx&)>& fn) = 0;
  // Runs `fn` in a write transaction: commit if it returns a value, roll back otherwise.
  virtual Result<void> write(const std::function<Result<void>(Tx&)>& fn) = 0;

  // The engine's directory input, every provider, in one snapshot.
  virtual Result<mtp::engine::DirectoryData> loadDirectory() = 0;

  // query(fn) / transact(fn): read()/write() for an fn returning any Result<T>.
  template <class F>
  std::invoke_result_t<F&, Tx&> query(F&& fn) {
    return run(true, fn);
  }
  template <class F>
  std::invoke_result_t<F&, Tx&> transact(F&& fn) {
    return run(false, fn);
  }

 private:
  template <class F>
  std::invoke_result_t<F&, Tx&> run(bool reading, F& fn) {
    using R = std::invoke_result_t<F&, Tx&>;
    std::optional<R> out;
    auto unit = [&](Tx& tx) -> Result<void> {
      out.emplace(fn(tx));
      if (!out->has_value()) return fail(out->error());
      return {};
    };
    Result<void> done = reading ? read(unit) : write(unit);
    if (!done) return fail(done.error());
    return std::move(*out);
  }
};

// Opens a store; connections are made lazily, so this succeeds while the database is down
// (calls then answer kUnavailable). kInvalidArgument for a malformed url.
Result<std::unique_ptr<Store>> openStore(const StoreOptions& options);

}  // namespace mtp::store
