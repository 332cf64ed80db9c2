#include "main/demo_fleet.h"

#include <array>

#include "app/actor.h"
#include "app/billing_service.h"
#include "app/device_service.h"

namespace mtp::service {
namespace {

constexpr std::int64_t kDay = 86400;

struct DemoUser {
  const char* username;
  const char* firstname;
  const char* lastname;
  model::UserState state;
  bool password;
  bool sudo = false, passwordless_sudo = false, samba = false, totp = false;
  int locked_by_failures = 0;  // failed sign-ins recorded (5 locks under the default policy)
  bool forced_reset = false;
  std::int64_t expires_in_days = 0;  // 0: no expiry date; negative: already expired
  std::int64_t created_days_ago = 30;
  std::int64_t suspend_in_days = 0, activate_in_days = 0;
};

const std::array<DemoUser, 8>& demoUsers() {
  static const std::array<DemoUser, 8> users = {{
      {"jdoe", "Jane", "Doe", model::UserState::kActivated, true, true, false, false, true},
      {"bsmith", "Bob", "Smith", model::UserState::kActivated, true, false, false, false, false, 5},
      {"kpatel", "Kiran", "Patel", model::UserState::kActivated, true, false, false, true, false, 0,
       true},
      {"lchen", "Li", "Chen", model::UserState::kActivated, true, false, true, false, false, 0,
       false, 5},
      {"mgarcia", "Maria", "Garcia", model::UserState::kActivated, true, false, false, false, true,
       0, false, -3},
      {"newhire", "Noah", "Hire", model::UserState::kStaged, false, false, false, false, false, 0,
       false, 0, 2, 0, 3},
      {"contractor", "Cleo", "Tractor", model::UserState::kActivated, true, false, false, false,
       false, 0, false, 0, 20, 5},
      {"formerstaff", "Fred", "Former", model::UserState::kSuspended, true},
  }};
  return users;
}

struct DemoDevice {
  const char* suffix;
  const char* os;
  const char* family;
  std::int64_t last_contact_days_ago;
  std::int64_t uptime_days;
};

const std::array<DemoDevice, 3>& demoDevices() {
  static const std::array<DemoDevice, 3> devices = {{
      {"lnx", "Ubuntu 24.04", "linux", 0, 3},
      {"win", "Windows 11 23H2", "windows", 12, 2},
      {"mac", "macOS 15.1", "darwin", 0, 45},
  }};
  return devices;
}

std::string err(const Status& s) { return s.text(); }

// A ConnectWise Manage integration against nothing real (demo: true; its syncs contact no
// PSA), with the first two orgs mapped, as the Integrations tab shows one configured.
std::expected<void, std::string> seedDemoIntegration(app::AppContext& app, const app::Actor& actor,
                                                     const std::vector<model::OrganizationRecord>& orgs) {
  if (app.secrets() == nullptr) return {};
  store::IntegrationRecord r;
  r.kind = "connectwise";
  r.site_url = "https://demo.invalid";
  r.company_id = "demo_msp";
  r.integration_code = "demo-client-id";
  r.username = "demoPublicKey";
  r.secret_sealed = app.secrets()->seal("demo private key: no real PSA");
  r.price_per_user_cents = 350;
  r.ticket_alert_kinds = "user_locked";
  r.demo = true;
  std::vector<store::PsaMappingRecord> maps;
  for (std::size_t i = 0; i < orgs.size() && i < 2; ++i) {
    maps.push_back(store::PsaMappingRecord{orgs[i].id, orgs[i].name, std::to_string(101 + i), orgs[i].name + " (PSA)",
                                           std::to_string(3001 + i), std::to_string(25 + i)});
  }
  auto done = app.store().transact([&](store::Tx& tx) -> Result<void> {
    if (auto p = tx.putIntegration(actor.scope(), r); !p) return p;
    if (auto m = tx.replacePsaMappings(actor.scope(), r.kind, maps); !m) return m;
    store::SyncRunRecord run;
    run.kind = r.kind;
    run.queued_at = run.next_attempt_at = app.now();
    if (auto q = tx.queueSyncRun(actor.scope(), run); !q) return fail(q.error());
    auto ev = app::systemEvent(actor.scope(), "integration_update", "integration", r.kind,
                               {app::Change{"demo", "", "true"}}, {}, "system");
    if (auto a = tx.appendActivity(actor.scope(), ev); !a) return fail(a.error());
    return {};
  });
  if (!done) return std::unexpected(err(done.error()));
  return {};
}

}  // namespace

std::expected<DemoFleet, std::string> seedDemoFleet(app::AppContext& app, const DemoOutcome& demo) {
  DemoFleet out;
  const model::TenantScope scope{demo.provider_id};
  auto& store = app.store();
  auto owner = store.query([&](store::Tx& tx) { return tx.findAdminsByEmail("admin_billing@demo.example"); });
  if (!owner || owner->empty()) return std::unexpected("demo owner not found");
  app::Actor actor;
  actor.admin_id = owner->front().admin_id;
  actor.provider_id = demo.provider_id;
  actor.email = "admin_billing@demo.example";
  actor.auth_method = engine::AuthMethod::kSession;

  auto orgs = store.query([&](store::Tx& tx) {
    model::ListQuery q;
    q.limit = model::ListQuery::kMaxLimit;
    q.sort.push_back(model::SortKey{"name", false});
    return tx.listOrganizations(scope, model::OrgReach::everything(), q);
  });
  if (!orgs) return std::unexpected(err(orgs.error()));

  // One hash for every demo user: they are sign-in material for the user portal only.
  auto hash = app.passwords().hash("Demo-User-Password-1");
  if (!hash) return std::unexpected("password hashing failed");
  const std::int64_t now = app.now();

  app::DeviceService devices(app);
  for (std::size_t oi = 0; oi < orgs->results.size(); ++oi) {
    const auto& org = orgs->results[oi];
    auto done = store.transact([&](store::Tx& tx) -> Result<void> {
      for (const auto& u : demoUsers()) {
        model::SystemUserRecord r;
        r.provider_id = demo.provider_id;
        r.org_id = org.id;
        r.username = u.username;
        r.email = std::string(u.username) + "@org" + std::to_string(oi + 1) + ".example";
        r.firstname = u.firstname;
        r.lastname = u.lastname;
        r.state = u.state;
        r.sudo = u.sudo;
        r.passwordless_sudo = u.passwordless_sudo;
        r.samba_service_user = u.samba;
        r.totp_enabled = u.totp;
        r.created = now - u.created_days_ago * kDay;
        if (u.expires_in_days != 0) r.password_expiration_date = now + u.expires_in_days * kDay;
        if (u.suspend_in_days) r.scheduled_suspension_at = now + u.suspend_in_days * kDay;
        if (u.activate_in_days) r.scheduled_activation_at = now + u.activate_in_days * kDay;
        auto id = tx.createSystemUser(scope, r, u.password ? std::optional(*hash) : std::nullopt);
        if (!id) return fail(id.error());
        for (int i = 0; i < u.locked_by_failures; ++i) {
          if (auto f = tx.recordSystemUserFailedLogin(scope, org.id, *id, 5); !f) return fail(f.error());
        }
        if (u.forced_reset) {
          if (auto f = tx.expireSystemUserPassword(scope, org.id, *id); !f) return fail(f.error());
        }
        auto ev = app::systemEvent(scope, "user_create", "user", *id,
                                   {{"username", "", r.username}, {"state", "", std::string(model::userStateText(r.state))}},
                                   org.id);
        if (auto e = tx.appendActivity(scope, ev); !e) return fail(e.error());
        ++out.users;
      }
      // MDM: one org's APNs certificate expired, others expiring within 10 / 30 days, later.
      const std::array<std::int64_t, 4> mdm_days = {-2, 6, 21, 200};
      std::vector<model::OrgMdmItem> mdm = {
          {org.id, "", "apns_certificate", now + mdm_days[oi % 4] * kDay},
          {org.id, "", "vpp_token", now + (mdm_days[(oi + 1) % 4] + 1) * kDay},
          {org.id, "", "ade_token", now + 365 * kDay}};
      if (auto m = tx.putOrgMdm(scope, org.id, mdm); !m) return fail(m.error());
      // A users report of the org, requested 3 hours ago: mtpd's report job builds it.
      store::ReportRequestRecord report;
      report.org_id = org.id;
      report.kind = "users";
      report.format = oi % 2 ? "json" : "csv";
      report.requested_by = actor.admin_id;
      report.created = now - 3 * 3600;
      report.org_ids = {org.id};
      if (auto rp = tx.createReportRequest(scope, report); !rp) return fail(rp.error());
      // 35 days of usage (the snapshot job records today's real counts at start).
      for (std::int64_t d = 35; d >= 1; --d) {
        const auto users = static_cast<std::int64_t>(demoUsers().size()) - (d % 4);
        if (auto s = tx.recordUsageSnapshot(scope, org.id, app::epochDayOf(now - d * kDay), users,
                                            static_cast<std::int64_t>(demoDevices().size()));
            !s)
          return fail(s.error());
      }
      return {};
    });
    if (!done) return std::unexpected(err(done.error()));

    auto key = devices.connectKey(actor, org.id);
    if (!key) return std::unexpected(err(key.error()));
    if (oi == 0) {
      out.organization = org.name;
      out.connect_key = key->key;
    }
    for (const auto& d : demoDevices()) {
      app::DeviceFacts f;
      f.hostname = "org" + std::to_string(oi + 1) + "-" + d.suffix + "-01";
      f.os = d.os;
      f.os_family = d.family;
      f.version = "1.0.0";
      auto reg = devices.registerDevice(key->key, f, "127.0.0.1");
      if (!reg) return std::unexpected(err(reg.error()));
      auto facts = store.transact([&](store::Tx& tx) -> Result<void> {
        model::DeviceCheckin c;
        c.uptime_seconds = d.uptime_days * kDay;
        c.at = now - d.last_contact_days_ago * kDay;
        return tx.recordCheckin(scope, reg->device_id, c);
      });
      if (!facts) return std::unexpected(err(facts.error()));
      ++out.devices;
    }
  }
  // The operator's table of OS releases (global; the demo database has no other provider).
  const std::array<model::OsReleaseRecord, 3> releases = {{
      {"", "darwin", "macOS 15.1.1", "24B91", now - 4 * kDay, 0},
      {"", "windows", "Windows 11 23H2", "22631.4541", now - 9 * kDay, 0},
      {"", "linux", "Ubuntu 24.04.1", "24.04.1", now - 40 * kDay, 0},
  }};
  for (const auto& r : releases) {
    auto added = store.transact([&](store::Tx& tx) { return tx.addOsRelease(r); });
    if (!added) return std::unexpected(err(added.error()));
  }
  auto price = app::setBillingPrice(store, scope, 350, std::nullopt);
  if (!price) return std::unexpected(err(price.error()));
  if (auto psa = seedDemoIntegration(app, actor, orgs->results); !psa) return std::unexpected(psa.error());
  out.psa_integration = "ConnectWise Manage";
  return out;
}

std::string demoFleetBanner(const DemoFleet& fleet, const std::string& url) {
  std::string s = "\nManaged: " + std::to_string(fleet.users) + " users (some locked out, expired, "
                  "new, with sudo...) and " + std::to_string(fleet.devices) + " devices.\n";
  s += "Enroll a device agent in " + fleet.organization + " and let it check in every 5 s:\n";
  s += "  mtpctl agent --server " + url + " --connect-key " + fleet.connect_key +
       " --state /tmp/mtp-agent.json --every 5\n";
  s += "then restart it as an admin: POST /api/systems/{id}/command/builtin/restart (x-org-id).\n";
  if (!fleet.psa_integration.empty()) {
    s += "Integrations: a demo " + fleet.psa_integration +
         " integration is configured against nothing real (demo: true; its syncs contact no PSA).\n";
  }
  return s;
}

}  // namespace mtp::service
