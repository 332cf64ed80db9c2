// Users of managed orgs and their orgs' password policies: one aggregate of the store
// (soci_users.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class UserStore {
 public:
  virtual ~UserStore() = default;

  // --- users of managed orgs: every call names the org (a user of another org, even of the
  // same provider, answers kNotFound).
  // Returns the id. kConflict when the username (case-insensitively) exists in the org;
  // kNotFound when the org is not the scope's. A password hash sets password_set_at = now.
  virtual Result<std::string> createSystemUser(const TenantScope& scope,
                                               const SystemUserRecord& record,
                                               const std::optional<std::string>& password_hash) = 0;
  // The org's and the provider's user counts and caps, for a create that must stay within them.
  // In a write unit on PostgreSQL the provider's and the org's rows stay locked until the unit
  // ends, so two creates of one provider run one after the other and neither overshoots a cap
  // (SQLite's write units run one at a time anyway). kNotFound when the org is not the scope's.
  virtual Result<UserCapacity> holdUserCapacity(const TenantScope& scope,
                                                const std::string& org_id) = 0;
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
  // (account_locked, locked_at = now) until unlocked. Returns the new count; 0 when the
  // account was locked already (nothing is counted), so of many concurrent failures exactly
  // one returns the count that locked it.
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
  // A new password (the user portal: a change, or the activation): password_hash, set now,
  // password_expiration_date = now + expiration_days (0: none), not forced-expired, no failed
  // logins. A lock is not lifted here.
  virtual Result<void> setSystemUserPassword(const TenantScope& scope, const std::string& org_id,
                                             const std::string& id, const std::string& password_hash,
                                             int expiration_days) = 0;
  // Every provider's users with a scheduled suspension or activation at or before `at`, the
  // oldest first, at most `limit` (mtpd's schedule job; not scoped: it serves every tenant).
  virtual Result<std::vector<DueUserSchedule>> listDueUserSchedules(UnixTime at, int limit) = 0;
  // Activation tokens of org users (only the hash is stored; kind is always activation).
  virtual Result<void> createUserToken(const TenantScope& scope, const UserTokenRecord& record) = 0;
  // The token, if unused and not expired at `at`, marked used (good once, even under a race);
  // kNotFound otherwise. Not scoped: the token names its tenant.
  virtual Result<UserTokenRecord> consumeUserToken(const std::string& token_hash, UnixTime at) = 0;
  // The org's policy, or the defaults when it never set one; kNotFound for an unknown org.
  virtual Result<PasswordPolicyRecord> getPasswordPolicy(const TenantScope& scope,
                                                         const std::string& org_id) = 0;
  virtual Result<void> putPasswordPolicy(const TenantScope& scope,
                                         const PasswordPolicyRecord& policy) = 0;
};

}  // namespace mtp::store
