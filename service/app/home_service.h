// Home: the widgets' counts and detail lists across the orgs a caller reaches, the bulk
// "require MFA" action on admins without MFA, Manage Home (each admin's choice of widgets and
// N values) and the orgs' MDM certificate and token expiry dates.
//
// No HTTP here. Which widgets a caller may see is the engine's answer, asked by the handler
// (each widget names the action it needs, homeWidgetAction); this layer is given, per widget,
// the org reach to count over and counts in SQL (store::Tx::countHomeUsers, ...).
//
// Definitions (times are the request's `now`):
// - total_users: every user of the orgs reached (users.read); total_organizations: the orgs
//   reached (orgs.read), listed by name with their user and device counts.
// - user_lockouts: locked; expired_passwords: forced or past the expiration date;
//   upcoming_password_expirations: expiring within N days (Manage Home, default 14);
//   new_users: created in the past 7 days; scheduled_suspensions / scheduled_activations:
//   scheduled within the next N days (default 7); users_with_sudo, ..._passwordless_sudo,
//   users_without_password, users_with_samba: the flags.
// - devices_inactive: no contact for 7 days, or never; devices_long_uptime: up more than N
//   days (default 30).
// - admins_without_mfa: admins of the provider whose own MFA requirement is off, none when
//   the provider requires MFA of every admin.
// - mdm_status: count = orgs with an item expired or expiring within 30 days; the list has
//   every item, most urgent first, each `expired`, `within_10_days`, `within_30_days` or
//   `later`.
// - reports_ready: reports that became ready in the past 24 hours.
// - recent_os_releases: the operator's releases of the past 14 days (every provider's).
// Thread-safety: stateless beyond the AppContext; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/admin_service.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "store/store.h"

namespace mtp::app {

// Every widget id, in display order (the closed set).
const std::vector<std::string>& homeWidgetIds();
bool isHomeWidget(std::string_view id);
// The action a widget needs beyond the route's home.read ("" for none): users.read,
// devices.read, orgs.read (org-scoped: counted over the orgs the caller reaches with it) or
// admins.read (provider-scoped).
std::string_view homeWidgetAction(std::string_view id);

inline constexpr int kHomeMinDays = 1;
inline constexpr int kHomeMaxDays = 365;

// One admin's Manage Home choice; `saved` is false for the defaults (every widget).
struct HomeSettings {
  std::vector<std::string> widgets;
  int upcoming_password_expiration_days = 14;
  int long_uptime_days = 30;
  int scheduled_days = 7;
  bool saved = false;
  std::int64_t version = 0;  // the saved row's version (ETag); 0 for the defaults
};

// A PUT /me/home: the widgets shown, and the N values to change (absent: kept as saved).
struct HomeSettingsChanges {
  std::vector<std::string> widgets;
  std::optional<int> upcoming_password_expiration_days;
  std::optional<int> long_uptime_days;
  std::optional<int> scheduled_days;
};

// A widget the caller may see and the orgs to count it over (ignored by the widgets that
// are not per org).
struct PermittedWidget {
  std::string id;
  model::OrgReach reach;
};

struct WidgetCount {
  std::string id;
  std::int64_t count = 0;
};

struct MdmStatusItem {
  model::OrgMdmItem item;
  std::string status;  // expired within_10_days within_30_days later
};

// One widget's detail page: exactly one of the vectors is filled (by the widget's kind).
struct HomeDetail {
  std::int64_t total_count = 0;
  std::vector<model::HomeUserItem> users;
  std::vector<model::HomeDeviceItem> devices;
  std::vector<model::AdminRecord> admins;
  std::vector<MdmStatusItem> mdm;
  std::vector<model::ReportRecord> reports;
  std::vector<model::OsReleaseRecord> os_releases;
  std::vector<model::OrganizationRecord> orgs;
};

struct MfaResult {
  std::string id;
  std::optional<Status> error;  // none: done (or already required)
};

// The three MDM items of an org; an absent one is not tracked.
struct OrgMdm {
  std::optional<std::int64_t> apns_certificate_expires_at;
  std::optional<std::int64_t> vpp_token_expires_at;
  std::optional<std::int64_t> ade_token_expires_at;
  std::int64_t version = 0;  // read-only (ETag): 0 until first set
};

class HomeService {
 public:
  explicit HomeService(AppContext& app) : app_(app) {}

  // The admin's saved choice, or every widget with the default N values.
  Result<HomeSettings> settings(const Actor& actor);
  // kInvalidArgument for an unknown or repeated widget id or an N outside 1..365. Saved at
  // once, with one `home_settings_update` event. With If-Match: 412 unless the saved
  // version (0: the defaults) is one it names, checked under the admin's row lock.
  Result<HomeSettings> saveSettings(Actor actor, const HomeSettingsChanges& settings,
                                       const IfMatch& if_match = {});

  // The counts of `widgets` (already filtered by the engine and the choice), in one read.
  Result<std::vector<WidgetCount>> counts(const Actor& actor,
                                             const std::vector<PermittedWidget>& widgets,
                                             const HomeSettings& settings);
  // REQUIRES: isHomeWidget(widget.id). Paged with limit (1..100) and skip; `limit` 0 with a
  // report export lists every row (up to kMaxExportRows).
  Result<HomeDetail> detail(const Actor& actor, const PermittedWidget& widget,
                               const HomeSettings& settings, int limit, int skip);

  // Requires MFA of each admin (their own flag), one admin_update event per admin changed,
  // each in its own transaction (AdminService::update, with its escalation check).
  std::vector<MfaResult> requireMfa(const Actor& actor, const std::vector<std::string>& ids,
                                    const Authorization& authz);

  Result<OrgMdm> getMdm(const Actor& actor, const std::string& org_id);
  // Replaces the org's dates, with one organization_update event when anything changed.
  // With If-Match: 412 unless the items' version is one it names (under the org's row lock).
  Result<OrgMdm> putMdm(Actor actor, const std::string& org_id, const OrgMdm& mdm,
                           const IfMatch& if_match = {});

 private:
  AppContext& app_;
};

inline constexpr int kMaxExportRows = 10000;

// The MDM status of an expiry date at `now`.
std::string mdmStatus(std::int64_t expires_at, std::int64_t now);

// reports_ready rows as CSV (header: id,organization,organizationName,name,format,created,readyAt).
std::string reportsCsv(const std::vector<model::ReportRecord>& reports);

}  // namespace mtp::app
