// Plain rows as the store hands them over and takes them in. No SOCI types; times are Unix
// seconds UTC (the HTTP layer renders RFC 3339). Secrets (password hash, TOTP secret, API key
// hash) live only in AdminCredentials and ApiKeyRecord, which no list query returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mtp/engine/directory.h"
#include "model/scope.h"

namespace mtp::model {

using UnixTime = std::int64_t;
using AdminStatus = mtp::engine::AdminStatus;

struct ProviderRecord {
  std::string id;
  std::string name;
  bool require_admin_mfa = false;
  UnixTime created = 0;
  UnixTime updated = 0;
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag of settings)
};

struct OrganizationRecord {
  std::string id;  // empty on create: the store generates one
  std::string provider_id;
  std::string name;
  std::optional<std::int64_t> max_system_users;
  bool remote_assist = false;
  std::vector<std::string> tags;  // sorted, unique
  bool has_logo = false;          // read-only
  std::int64_t user_count = 0;    // read-only: its system users now
  std::int64_t device_count = 0;  // read-only: its devices now
  std::int64_t application_count = 0;  // read-only: its SAML/OIDC applications now
  UnixTime created = 0;           // 0 on create: now
  UnixTime updated = 0;
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag)
};

// A SAML or OIDC application of an org (the org list's applicationCount).
struct ApplicationRecord {
  std::string id;  // empty on create: the store generates one
  std::string org_id;
  std::string name;  // unique per org, case-insensitively
  std::string type;  // saml or oidc
  UnixTime created = 0;  // 0 on create: now
};

struct LogoRecord {
  std::string content_type;  // image/png or image/jpeg (checked by the caller)
  std::string data;          // raw bytes
};

struct AdminRecord {
  std::string id;  // empty on create: the store generates one
  std::string provider_id;
  std::string email;  // unique per provider, case-insensitively
  std::string firstname;
  std::string lastname;
  std::string role_name;
  AdminStatus status = AdminStatus::kPending;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  bool all_organizations = false;
  // Read-only, derived when read:
  bool totp_enrolled = false;
  bool password_set = false;
  bool api_key_set = false;                  // an unrevoked API key exists
  std::optional<std::string> api_key_prefix;  // that key's display prefix (never the key)
  std::optional<UnixTime> api_key_created;    // and when it was generated
  std::int64_t organization_access_total = 0;  // all orgs when all_organizations, else grants
  int failed_logins = 0;
  std::optional<UnixTime> locked_until;
  UnixTime created = 0;
  UnixTime updated = 0;
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag)
};

// What login and MFA need; never part of a list.
struct AdminCredentials {
  std::string admin_id;
  std::string provider_id;
  AdminStatus status = AdminStatus::kPending;
  std::optional<std::string> password_hash;
  std::optional<std::string> totp_secret;  // as the caller stored it (encrypt before storing)
  bool totp_enrolled = false;
  std::optional<std::int64_t> totp_last_step;
  int failed_logins = 0;
  std::optional<UnixTime> locked_until;
};

struct GrantRecord {
  std::string admin_id;
  std::string org_id;
  std::string role_name;  // empty: the admin's default role
  std::optional<UnixTime> expires_at;
  UnixTime created = 0;
};

enum class SessionKind { kFull, kMfaEnroll, kOrgLaunch };

struct SessionRecord {
  std::string jti;
  std::string provider_id;
  std::string admin_id;
  SessionKind kind = SessionKind::kFull;
  std::string org_id;  // kOrgLaunch only; empty otherwise
  bool mfa = false;
  UnixTime created = 0;
  UnixTime expires_at = 0;
  std::optional<UnixTime> revoked_at;
};

struct ApiKeyRecord {
  std::string id;
  std::string provider_id;
  std::string admin_id;
  std::string prefix;    // the key's first 4 characters
  std::string key_hash;  // never the key
  UnixTime created = 0;
  std::optional<UnixTime> revoked_at;
};

enum class TokenKind { kActivation, kPasswordReset, kTotpReset };

// Activation, password-reset and TOTP-reset tokens, by hash only.
struct TokenRecord {
  std::string token_hash;
  std::string provider_id;
  std::string admin_id;
  TokenKind kind = TokenKind::kActivation;
  UnixTime created = 0;
  UnixTime expires_at = 0;
  std::optional<UnixTime> used_at;
};

struct EmailRecord {
  std::string id;  // empty on enqueue: generated
  std::string provider_id;
  std::string to_address;
  std::string subject;
  std::string body;
  UnixTime created = 0;
  std::optional<UnixTime> sent_at;
  int attempts = 0;
  std::string last_error;
};

struct ActivityRecord {
  std::string id;  // empty on append: generated
  std::string provider_id;
  UnixTime timestamp = 0;  // 0 on append: now
  std::string event_type;
  std::string initiated_by_id;
  std::string initiated_by_type;  // admin, api_key, system
  std::string initiated_by_email;
  std::string organization;  // empty: none
  std::string resource_type;
  std::string resource_id;
  std::string changes_json = "[]";  // [{field, from, to}], serialized by the caller
  std::string client_ip;
  std::string auth_method;  // session, api_key, password, ...
  bool success = true;
};

// Filters of GET .../activity. Newest first: (timestamp, id) descending.
struct ActivityQuery {
  std::optional<UnixTime> start_time;  // inclusive
  std::optional<UnixTime> end_time;    // exclusive
  std::string event_type;
  std::string initiated_by;  // an admin id
  std::string organization;
  int limit = 100;
  // search_after: the (timestamp, id) of the last event of the previous page.
  std::optional<UnixTime> after_timestamp;
  std::string after_id;
  // What the reader may see (issue 10 item 7): events of the orgs it reaches, and events of no
  // org (the provider's own) only if provider_level.
  OrgReach reach = OrgReach::everything();
  bool provider_level = true;
};

// A managed device, enrolled by its agent with the org's connect key. The device key is kept
// as a hash (device_key_hash) that no read returns.
struct DeviceRecord {
  std::string id;  // empty on create: generated
  std::string provider_id;
  std::string org_id;
  std::string display_name;
  std::string hostname;
  std::string os;         // e.g. "Ubuntu 24.04"
  std::string os_family;  // linux, windows, darwin
  std::string version;    // the agent's version
  bool active = false;
  std::optional<UnixTime> last_contact;
  std::int64_t uptime_seconds = 0;
  bool remote_assist = false;
  UnixTime created = 0;  // 0 on create: now
};

// The facts a check-in reports (empty strings: unchanged).
struct DeviceCheckin {
  std::int64_t uptime_seconds = 0;
  std::string version;
  std::string hostname;
  std::string os;
  std::string os_family;
  std::string display_name;
  UnixTime at = 0;
};

// A command queued for a device's agent: type lock|restart|shutdown|remote_assist,
// status pending → sent (handed to the agent at check-in) → done|failed.
struct DeviceCommandRecord {
  std::string id;  // empty on create: generated
  std::string provider_id;
  std::string org_id;
  std::string device_id;
  std::string type;
  std::string status = "pending";
  std::string output;
  std::string created_by;  // the admin id
  UnixTime created = 0;    // 0 on create: now
  std::optional<UnixTime> sent_at;
  std::optional<UnixTime> finished_at;
};

// An org's agent enrollment key: only its hash and salt are kept (the key is derived from the
// salt with the server's pepper, so the database alone cannot produce it).
struct ConnectKeyRecord {
  std::string id;
  std::string provider_id;
  std::string org_id;
  std::string prefix;
  std::string salt;
  std::string key_hash;
  UnixTime created = 0;
  std::optional<UnixTime> revoked_at;
};

// An admin that a login email names (one per provider that has the email).
struct LoginCandidate {
  std::string provider_id;
  std::string admin_id;
};

// --- users of managed orgs (JumpCloud's systemusers)

enum class UserState { kStaged, kActivated, kSuspended };

struct SystemUserRecord {
  std::string id;  // empty on create: the store generates one
  std::string provider_id;
  std::string org_id;
  std::string username;  // unique per org, case-insensitively
  std::string email;
  std::string firstname;
  std::string lastname;
  UserState state = UserState::kStaged;
  bool totp_enabled = false;
  bool sudo = false;
  bool passwordless_sudo = false;
  bool samba_service_user = false;
  std::optional<UnixTime> password_expiration_date;
  std::optional<UnixTime> scheduled_suspension_at;
  std::optional<UnixTime> scheduled_activation_at;
  // Read-only, kept by the store's account calls:
  bool account_locked = false;
  int failed_logins = 0;
  std::optional<UnixTime> locked_at;
  std::optional<UnixTime> password_set_at;
  bool password_expired = false;  // forced (expire) or password_expiration_date <= now
  bool password_set = false;      // a password hash is on file
  UnixTime created = 0;           // 0 on create: now
  UnixTime updated = 0;
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag)
};

// A user whose scheduled suspension or activation is due (UserStore::listDueUserSchedules).
struct DueUserSchedule {
  std::string provider_id;
  std::string org_id;
  std::string user_id;
};

// How many users an org and its provider hold against their caps (UserStore::holdUserCapacity).
struct UserCapacity {
  std::int64_t org_users = 0;
  std::optional<std::int64_t> org_cap;       // the org's max_system_users; nullopt: none
  std::int64_t provider_users = 0;
  std::optional<std::int64_t> provider_cap;  // the provider's billing user cap; nullopt: none
};

// A user as the user portal's sign-in needs it: the record and the stored hash.
struct SystemUserLogin {
  SystemUserRecord user;
  std::optional<std::string> password_hash;  // nullopt: no password on file
};

// A one-time token of an org user (the activation link of the user portal), by hash only.
struct UserTokenRecord {
  std::string token_hash;
  std::string provider_id;
  std::string org_id;
  std::string user_id;
  UnixTime created = 0;
  UnixTime expires_at = 0;
};

// An org's password policy; an org that never set one has the defaults.
struct PasswordPolicyRecord {
  std::string org_id;
  int lockout_after_failures = 5;    // 0: never lock
  int password_expiration_days = 0;  // 0: never expires
  std::int64_t version = 0;          // read-only: 0 until set, raised by every change (ETag)
};

std::string_view userStateText(UserState s);
// "STAGED", "ACTIVATED", "SUSPENDED"; nullopt for anything else.
std::optional<UserState> parseUserState(std::string_view s);

template <class T>
struct Page {
  std::vector<T> results;
  std::int64_t total_count = 0;
};

std::string_view adminStatusText(AdminStatus s);
std::string_view sessionKindText(SessionKind k);
std::string_view tokenKindText(TokenKind k);

}  // namespace mtp::model
