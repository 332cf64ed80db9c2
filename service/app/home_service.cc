#include "app/home_service.h"

#include <algorithm>
#include <array>
#include <future>

#include "app/activity_service.h"

namespace mtp::app {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNewUserDays = 7;
constexpr std::int64_t kInactiveDays = 7;
constexpr std::int64_t kReportHours = 24;
constexpr std::int64_t kOsReleaseDays = 14;
constexpr std::int64_t kMdmWarnDays = 30;
constexpr std::int64_t kMdmUrgentDays = 10;

enum class Kind { kUser, kDevice, kAdmins, kMdm, kReports, kOsReleases, kOrgs };

struct WidgetDef {
  const char* id;
  Kind kind;
  const char* action;
  model::HomeUserWidget user = model::HomeUserWidget::kLockouts;
  model::HomeDeviceWidget device = model::HomeDeviceWidget::kInactive;
};

using UW = model::HomeUserWidget;
using DW = model::HomeDeviceWidget;

const std::array<WidgetDef, 18>& defs() {
  static const std::array<WidgetDef, 18> d = {{
      {"total_users", Kind::kUser, "users.read", UW::kAll},
      {"total_organizations", Kind::kOrgs, "orgs.read"},
      {"user_lockouts", Kind::kUser, "users.read", UW::kLockouts},
      {"expired_passwords", Kind::kUser, "users.read", UW::kExpiredPasswords},
      {"upcoming_password_expirations", Kind::kUser, "users.read", UW::kUpcomingExpirations},
      {"new_users", Kind::kUser, "users.read", UW::kNewUsers},
      {"devices_inactive", Kind::kDevice, "devices.read", UW::kLockouts, DW::kInactive},
      {"devices_long_uptime", Kind::kDevice, "devices.read", UW::kLockouts, DW::kLongUptime},
      {"scheduled_suspensions", Kind::kUser, "users.read", UW::kScheduledSuspensions},
      {"scheduled_activations", Kind::kUser, "users.read", UW::kScheduledActivations},
      {"admins_without_mfa", Kind::kAdmins, "admins.read"},
      {"users_with_sudo", Kind::kUser, "users.read", UW::kSudo},
      {"users_with_passwordless_sudo", Kind::kUser, "users.read", UW::kPasswordlessSudo},
      {"users_without_password", Kind::kUser, "users.read", UW::kWithoutPassword},
      {"users_with_samba", Kind::kUser, "users.read", UW::kSamba},
      {"mdm_status", Kind::kMdm, "orgs.read"},
      {"reports_ready", Kind::kReports, "orgs.read"},
      {"recent_os_releases", Kind::kOsReleases, ""},
  }};
  return d;
}

const WidgetDef* findDef(std::string_view id) {
  for (const WidgetDef& d : defs()) {
    if (id == d.id) return &d;
  }
  return nullptr;
}

model::HomeUserQuery userQuery(const WidgetDef& d, const HomeSettings& s, std::int64_t now) {
  model::HomeUserQuery q{d.user, now, 0};
  switch (d.user) {
    case UW::kUpcomingExpirations:
      q.days = s.upcoming_password_expiration_days;
      break;
    case UW::kNewUsers:
      q.days = kNewUserDays;
      break;
    case UW::kScheduledSuspensions:
    case UW::kScheduledActivations:
      q.days = s.scheduled_days;
      break;
    default:
      break;
  }
  return q;
}

model::HomeDeviceQuery deviceQuery(const WidgetDef& d, const HomeSettings& s, std::int64_t now) {
  return {d.device, now, d.device == DW::kInactive ? kInactiveDays : s.long_uptime_days};
}

// One widget's count or page inside a read transaction; limit 0: the count only.
Result<HomeDetail> widgetPage(store::Tx& tx, const model::TenantScope& scope,
                                     const WidgetDef& d, const model::OrgReach& reach,
                                     const HomeSettings& s, std::int64_t now, int limit,
                                     int skip) {
  HomeDetail out;
  switch (d.kind) {
    case Kind::kUser: {
      const auto q = userQuery(d, s, now);
      if (limit == 0) {
        auto n = tx.countHomeUsers(scope, reach, q);
        if (!n) return fail(n.error());
        out.total_count = *n;
        return out;
      }
      auto page = tx.listHomeUsers(scope, reach, q, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      out.users = std::move(page->results);
      return out;
    }
    case Kind::kDevice: {
      const auto q = deviceQuery(d, s, now);
      if (limit == 0) {
        auto n = tx.countHomeDevices(scope, reach, q);
        if (!n) return fail(n.error());
        out.total_count = *n;
        return out;
      }
      auto page = tx.listHomeDevices(scope, reach, q, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      out.devices = std::move(page->results);
      return out;
    }
    case Kind::kAdmins: {
      auto page = tx.listAdminsWithoutMfa(scope, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      out.admins = std::move(page->results);
      return out;
    }
    case Kind::kMdm: {
      if (limit == 0) {
        auto n = tx.countMdmOrgs(scope, reach, now + kMdmWarnDays * kDay);
        if (!n) return fail(n.error());
        out.total_count = *n;
        return out;
      }
      auto page = tx.listMdmItems(scope, reach, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      for (auto& item : page->results) {
        std::string status = mdmStatus(item.expires_at, now);
        out.mdm.push_back({std::move(item), std::move(status)});
      }
      return out;
    }
    case Kind::kReports: {
      auto page = tx.listReportsReady(scope, reach, now - kReportHours * 3600, now, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      out.reports = std::move(page->results);
      return out;
    }
    case Kind::kOrgs: {
      model::ListQuery q;
      q.limit = std::clamp(limit, 1, model::ListQuery::kMaxLimit);
      q.skip = skip;
      q.sort = {{"name", false}};
      auto page = tx.listOrganizations(scope, reach, q);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      if (limit > 0) out.orgs = std::move(page->results);
      return out;
    }
    case Kind::kOsReleases: {
      auto page = tx.listOsReleases(now - kOsReleaseDays * kDay, limit, skip);
      if (!page) return fail(page.error());
      out.total_count = page->total_count;
      out.os_releases = std::move(page->results);
      return out;
    }
  }
  return out;
}

std::string daysText(int d) { return std::to_string(d); }

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ",";
    out += id;
  }
  return out;
}

std::string optTimeText(const std::optional<std::int64_t>& t) {
  return t ? formatRfc3339(*t) : std::string();
}

constexpr const char* kApns = "apns_certificate";
constexpr const char* kVpp = "vpp_token";
constexpr const char* kAde = "ade_token";

OrgMdm fromItems(const std::vector<model::OrgMdmItem>& items) {
  OrgMdm out;
  for (const auto& i : items) {
    if (i.kind == kApns) out.apns_certificate_expires_at = i.expires_at;
    if (i.kind == kVpp) out.vpp_token_expires_at = i.expires_at;
    if (i.kind == kAde) out.ade_token_expires_at = i.expires_at;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& homeWidgetIds() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    for (const WidgetDef& d : defs()) v.emplace_back(d.id);
    return v;
  }();
  return ids;
}

bool isHomeWidget(std::string_view id) { return findDef(id) != nullptr; }

std::string_view homeWidgetAction(std::string_view id) {
  const WidgetDef* d = findDef(id);
  return d ? std::string_view(d->action) : std::string_view();
}

std::string mdmStatus(std::int64_t expires_at, std::int64_t now) {
  if (expires_at <= now) return "expired";
  if (expires_at <= now + kMdmUrgentDays * kDay) return "within_10_days";
  if (expires_at <= now + kMdmWarnDays * kDay) return "within_30_days";
  return "later";
}

std::string reportsCsv(const std::vector<model::ReportRecord>& reports) {
  std::string out = "id,organization,organizationName,name,format,created,readyAt\r\n";
  for (const auto& r : reports) {
    const std::string cells[] = {r.id,     r.org_id,          r.org_name,
                                 r.name,   r.format,          formatRfc3339(r.created),
                                 optTimeText(r.ready_at)};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out.push_back(',');
      first = false;
      out += csvCell(c);
    }
    out += "\r\n";
  }
  return out;
}

namespace {

// The admin's saved choice in `tx` (under the admin's row lock in a write unit), or the
// defaults.
Result<HomeSettings> settingsIn(store::Tx& tx, const Actor& actor) {
  HomeSettings s;
  auto saved = tx.getAdminHome(actor.scope(), actor.admin_id);
  if (!saved) {
    if (saved.error().isNotFound()) {
      s.widgets = homeWidgetIds();
      return s;
    }
    return fail(saved.error());
  }
  s.widgets = saved->widgets;
  s.upcoming_password_expiration_days = saved->upcoming_password_expiration_days;
  s.long_uptime_days = saved->long_uptime_days;
  s.scheduled_days = saved->scheduled_days;
  s.saved = true;
  s.version = saved->version;
  return s;
}

}  // namespace

Result<HomeSettings> HomeService::settings(const Actor& actor) {
  auto r = app_.store().query([&](store::Tx& tx) { return settingsIn(tx, actor); });
  if (!r) return fail(r.error());
  return std::move(*r);
}

Result<HomeSettings> HomeService::saveSettings(Actor actor, const HomeSettingsChanges& change,
                                                  const IfMatch& if_match) {
  const std::vector<std::string>& widgets = change.widgets;
  std::vector<std::string> seen;
  for (const auto& id : widgets) {
    if (!isHomeWidget(id)) return fail(Status::invalidArgument("unknown widget `" + id + "`"));
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
      return fail(Status::invalidArgument("widget `" + id + "` is listed twice"));
    }
    seen.push_back(id);
  }
  for (auto [name, v] : {std::pair{"upcomingPasswordExpirationDays", change.upcoming_password_expiration_days},
                         std::pair{"longUptimeDays", change.long_uptime_days},
                         std::pair{"scheduledDays", change.scheduled_days}}) {
    if (v && (*v < kHomeMinDays || *v > kHomeMaxDays)) {
      return fail(Status::invalidArgument(std::string(name) + " must be between 1 and 365"));
    }
  }
  HomeSettings out;
  // Read, compare and write in one write unit: the admin's row lock (getAdminHome) orders
  // concurrent saves, so none is lost and each event's `from` is the committed choice.
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto before = settingsIn(tx, actor);
    if (!before) return fail(before.error());
    if (auto ok = if_match.check(before->version, "the Home layout"); !ok) return ok;
    HomeSettings in = *before;  // the absent N values stay as saved
    in.widgets = widgets;
    if (change.upcoming_password_expiration_days) {
      in.upcoming_password_expiration_days = *change.upcoming_password_expiration_days;
    }
    if (change.long_uptime_days) in.long_uptime_days = *change.long_uptime_days;
    if (change.scheduled_days) in.scheduled_days = *change.scheduled_days;
    out = in;
    out.saved = true;
    std::vector<Change> changes;
    auto add = [&](const char* field, const std::string& from, const std::string& to) {
      if (from != to || !before->saved) changes.push_back({field, from, to});
    };
    add("widgets", joined(before->widgets), joined(in.widgets));
    add("upcomingPasswordExpirationDays", daysText(before->upcoming_password_expiration_days),
        daysText(in.upcoming_password_expiration_days));
    add("longUptimeDays", daysText(before->long_uptime_days), daysText(in.long_uptime_days));
    add("scheduledDays", daysText(before->scheduled_days), daysText(in.scheduled_days));
    out.version = before->version;
    if (before->saved && changes.empty()) return {};  // nothing changed: no write, no event
    model::AdminHomeRecord rec;
    rec.admin_id = actor.admin_id;
    rec.widgets = in.widgets;
    rec.upcoming_password_expiration_days = in.upcoming_password_expiration_days;
    rec.long_uptime_days = in.long_uptime_days;
    rec.scheduled_days = in.scheduled_days;
    if (auto ok = tx.putAdminHome(actor.scope(), rec); !ok) return ok;
    out.version = before->version + 1;  // the store's next version (1 for a new row)
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) actor.email = me->email;
    auto ev = activityEvent(actor, "home_settings_update", "admin", actor.admin_id, changes);
    if (auto id = tx.appendActivity(actor.scope(), ev); !id) return fail(id.error());
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<std::vector<WidgetCount>> HomeService::counts(const Actor& actor,
                                                        const std::vector<PermittedWidget>& widgets,
                                                        const HomeSettings& settings) {
  const std::int64_t now = app_.now();
  // The counts are independent COUNT(*)s: half of them (every other widget, so both halves
  // hold user and device counts) run on a second pooled connection at the same time. Each
  // half leases its own connection and releases it before anyone waits for the other, so two
  // requests can never hold one connection each while waiting for another.
  std::vector<WidgetCount> out(widgets.size());
  auto countOf = [&](std::size_t parity) -> Result<void> {
    auto r = app_.store().query([&](store::Tx& tx) -> Result<void> {
      for (std::size_t i = parity; i < widgets.size(); i += 2) {
        const WidgetDef* d = findDef(widgets[i].id);
        if (d == nullptr) continue;
        auto page = widgetPage(tx, actor.scope(), *d, widgets[i].reach, settings, now, 0, 0);
        if (!page) return fail(page.error());
        out[i] = {widgets[i].id, page->total_count};
      }
      return {};
    });
    if (!r) return fail(r.error());
    return {};
  };
  auto odd = std::async(std::launch::async, countOf, std::size_t{1});
  auto even = countOf(0);
  auto rest = odd.get();
  if (!even) return fail(even.error());
  if (!rest) return fail(rest.error());
  std::erase_if(out, [](const WidgetCount& c) { return c.id.empty(); });  // unknown ids
  return out;
}

Result<HomeDetail> HomeService::detail(const Actor& actor, const PermittedWidget& widget,
                                          const HomeSettings& settings, int limit, int skip) {
  const WidgetDef* d = findDef(widget.id);
  if (d == nullptr) return fail(Status::notFound("no such widget"));
  if (limit == 0) limit = kMaxExportRows;
  const std::int64_t now = app_.now();
  auto r = app_.store().query([&](store::Tx& tx) {
    return widgetPage(tx, actor.scope(), *d, widget.reach, settings, now, limit, skip);
  });
  if (!r) return fail(r.error());
  return std::move(*r);
}

std::vector<MfaResult> HomeService::requireMfa(const Actor& actor,
                                               const std::vector<std::string>& ids,
                                               const Authorization& authz) {
  AdminService admins(app_);
  AdminChanges change;
  change.enable_multi_factor = true;
  std::vector<MfaResult> out;
  for (const auto& id : ids) {
    auto r = admins.update(actor, id, change, authz);
    out.push_back({id, r ? std::nullopt : std::optional<Status>(r.error())});
  }
  return out;
}

Result<OrgMdm> HomeService::getMdm(const Actor& actor, const std::string& org_id) {
  auto r = app_.store().query([&](store::Tx& tx) -> Result<OrgMdm> {
    // The version first: a change committed between the two reads then shows newer items
    // under the older version (a later If-Match fails safe), never the reverse.
    auto version = tx.getOrgMdmVersion(actor.scope(), org_id);
    if (!version) return fail(version.error());
    auto items = tx.getOrgMdm(actor.scope(), org_id);
    if (!items) return fail(items.error());
    OrgMdm out = fromItems(*items);
    out.version = *version;
    return out;
  });
  if (!r) return fail(r.error());
  return std::move(*r);
}

Result<OrgMdm> HomeService::putMdm(Actor actor, const std::string& org_id, const OrgMdm& mdm,
                                      const IfMatch& if_match) {
  auto done = app_.store().transact([&](store::Tx& tx) -> Result<void> {
    auto version = tx.getOrgMdmVersion(actor.scope(), org_id);  // the org's row lock
    if (!version) return fail(version.error());
    if (auto ok = if_match.check(*version, "the MDM settings"); !ok) return ok;
    auto before = tx.getOrgMdm(actor.scope(), org_id);
    if (!before) return fail(before.error());
    const OrgMdm old = fromItems(*before);
    std::vector<Change> changes;
    std::vector<model::OrgMdmItem> items;
    for (auto [field, kind, from, to] :
         {std::tuple{"apnsCertificateExpiresAt", kApns, old.apns_certificate_expires_at,
                     mdm.apns_certificate_expires_at},
          std::tuple{"vppTokenExpiresAt", kVpp, old.vpp_token_expires_at, mdm.vpp_token_expires_at},
          std::tuple{"adeTokenExpiresAt", kAde, old.ade_token_expires_at, mdm.ade_token_expires_at}}) {
      if (from != to) changes.push_back({field, optTimeText(from), optTimeText(to)});
      if (to) items.push_back({org_id, "", kind, *to});
    }
    if (changes.empty()) return {};
    if (auto ok = tx.putOrgMdm(actor.scope(), org_id, items); !ok) return ok;
    if (auto me = tx.getAdmin(actor.scope(), actor.admin_id)) actor.email = me->email;
    auto ev = activityEvent(actor, "organization_update", "organization", org_id, changes, org_id);
    if (auto id = tx.appendActivity(actor.scope(), ev); !id) return fail(id.error());
    return {};
  });
  if (!done) return fail(done.error());
  return getMdm(actor, org_id);
}

}  // namespace mtp::app
