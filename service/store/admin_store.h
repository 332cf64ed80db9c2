// Administrators (credentials, lock-out, TOTP) and their org grants: one aggregate of the
// store (soci_admins.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

// The outcome of AdminStore::recordFailedLogin.
struct FailedLogin {
  int count = 0;         // failed logins now on record
  bool counted = false;  // false: the account was already locked, nothing changed
  bool locked = false;   // this failure locked the account
};

class AdminStore {
 public:
  virtual ~AdminStore() = default;

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
  // Counts a failed login at `now` on the row read under its lock, so that concurrent failures
  // count once each and lock once (issue 11 item 6): an account locked past `now` is not
  // counted (nor locked longer); an expired lock starts a fresh count; when the count reaches
  // `lock_after` (> 0) the account is locked until `lock_until` and `locked` says that this
  // call locked it: the one state change that gets an admin_lockout event.
  virtual Result<FailedLogin> recordFailedLogin(const TenantScope& scope, const std::string& id,
                                                int lock_after, UnixTime now,
                                                UnixTime lock_until) = 0;
  // After a successful login or an unlock: count 0, no lock.
  virtual Result<void> clearFailedLogins(const TenantScope& scope, const std::string& id) = 0;

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

  // --- before a tenant is known, or over every provider (named for what they are)
  virtual Result<std::vector<LoginCandidate>> findAdminsByEmail(const std::string& email) = 0;
};

}  // namespace mtp::store
