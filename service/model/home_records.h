// Plain rows of Home (schema 005_home.sql): what each widget counts and lists, the per-org MDM
// expiry dates, reports ready for download, the operator's OS releases and each admin's
// Manage Home choice. Times are Unix seconds UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/records.h"

namespace mtp::model {

// The user widgets. Each is one SQL predicate over system_users with its own index.
enum class HomeUserWidget {
  kLockouts,              // account_locked
  kExpiredPasswords,      // forced, or password_expiration_date <= now
  kUpcomingExpirations,   // now < password_expiration_date <= now + days (not forced)
  kNewUsers,              // created >= now - days
  kScheduledSuspensions,  // now <= scheduled_suspension_at <= now + days
  kScheduledActivations,  // now <= scheduled_activation_at <= now + days
  kSudo,
  kPasswordlessSudo,
  kWithoutPassword,  // no password on file
  kSamba,
  kAll,  // every user (Home's Total Users)
};

struct HomeUserQuery {
  HomeUserWidget widget = HomeUserWidget::kLockouts;
  UnixTime now = 0;
  std::int64_t days = 0;  // the window of the widgets that have one
};

// One user of a widget's detail list, with its org's name.
struct HomeUserItem {
  std::string id;
  std::string org_id;
  std::string org_name;
  std::string username;
  std::string email;
  std::string firstname;
  std::string lastname;
  std::string state;  // STAGED ACTIVATED SUSPENDED
  bool account_locked = false;
  bool password_expired = false;  // derived as the users list does
  bool password_set = false;
  bool sudo = false;
  bool passwordless_sudo = false;
  bool samba_service_user = false;
  std::optional<UnixTime> locked_at;
  std::optional<UnixTime> password_expiration_date;
  std::optional<UnixTime> scheduled_suspension_at;
  std::optional<UnixTime> scheduled_activation_at;
  UnixTime created = 0;
};

enum class HomeDeviceWidget {
  kInactive,    // last_contact < now - days, or never
  kLongUptime,  // uptime_seconds > days * 86400
};

struct HomeDeviceQuery {
  HomeDeviceWidget widget = HomeDeviceWidget::kInactive;
  UnixTime now = 0;
  std::int64_t days = 0;
};

struct HomeDeviceItem {
  std::string id;
  std::string org_id;
  std::string org_name;
  std::string display_name;
  std::string hostname;
  std::string os;
  std::string os_family;
  std::string version;
  bool active = false;
  std::optional<UnixTime> last_contact;
  std::int64_t uptime_seconds = 0;
};

// An org's MDM certificate or token and when it expires. kind: apns_certificate, vpp_token,
// ade_token.
struct OrgMdmItem {
  std::string org_id;
  std::string org_name;  // read-only
  std::string kind;
  UnixTime expires_at = 0;
};

struct ReportRecord {
  std::string id;  // empty on create: the store generates one
  std::string org_id;
  std::string org_name;  // read-only
  std::string name;
  std::string format;  // csv or json
  UnixTime created = 0;  // 0 on create: now
  std::optional<UnixTime> ready_at;
};

// Global: filled by the operator, the same for every provider.
struct OsReleaseRecord {
  std::string id;  // empty on create: the store generates one
  std::string os_family;
  std::string version;
  std::string build;
  UnixTime released_at = 0;
  UnixTime created = 0;  // 0 on create: now
};

// One admin's Manage Home choice.
struct AdminHomeRecord {
  std::string admin_id;
  std::vector<std::string> widgets;  // the ids shown
  int upcoming_password_expiration_days = 14;
  int long_uptime_days = 30;
  int scheduled_days = 7;
  UnixTime updated = 0;  // read-only
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag)
};

}  // namespace mtp::model
