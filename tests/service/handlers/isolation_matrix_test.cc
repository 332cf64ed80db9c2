// The tenant isolation matrix, generated from the route table: every route that declares an
// engine action × every built-in role × {granted org, ungranted org, another provider's org,
// unknown id} (or, for provider routes, {own provider, another provider, unknown provider};
// for admin routes, {own provider's admin, another provider's admin, unknown admin}) → the
// status the spec says; and no row changes when a request is denied. Two providers in every
// run. A route added to the table is covered without touching this file.
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "handlers/routes.h"
#include "service_fixture.h"
#include "spec_roles.h"

namespace mtp::testing {
namespace {

enum class Target { kOwn, kUngranted, kOtherProvider, kUnknown };
const char* targetName(Target t) {
  switch (t) {
    case Target::kOwn: return "own";
    case Target::kUngranted: return "ungranted";
    case Target::kOtherProvider: return "other-provider";
    case Target::kUnknown: return "unknown";
  }
  return "?";
}

// What a path parameter names, from its name and the segment before it.
// kSystemUser: a user of the route's x-org-id org (`/api/systemusers/{id}`).
// kWidget: a Home widget id (`/home/{id}`), a name of the closed set, not a tenant's row.
// kIntegration: a PSA kind (`/integrations/{kind}`), a name of the closed set.
// kApplication: an application of the route's {id} org (`/organizations/{id}/applications/{appId}`).
// kSavedCommand: a saved command of the route's x-org-id org (`/api/commands/{id}`).
// kReport: a report of {pid} (a devices report of the caller's granted org: every role with
// orgs.read reads devices).
enum class ParamKind { kProvider, kOrg, kAdmin, kDevice, kSystemUser, kInvoice, kWidget, kIntegration, kApplication, kSavedCommand, kReport, kOther };
ParamKind kindOf(const std::string& pattern, const std::string& param) {
  if (param == "pid") return ParamKind::kProvider;
  if (param == "orgId") return ParamKind::kOrg;
  const auto at = pattern.find("{" + param + "}");
  const std::string before = pattern.substr(0, at);
  if (before.ends_with("/organizations/")) return ParamKind::kOrg;
  if (before.ends_with("/administrators/")) return ParamKind::kAdmin;
  if (before.ends_with("/administratorlinks/")) return ParamKind::kAdmin;  // an admin linked to {id}
  if (before.ends_with("/applications/")) return ParamKind::kApplication;
  if (before.ends_with("/invoices/")) return ParamKind::kInvoice;  // an invoice of {pid}
  if (before.ends_with("/api/systemusers/")) return ParamKind::kSystemUser;
  if (before.ends_with("/api/systems/")) return ParamKind::kDevice;  // a device of the x-org-id org
  if (before.ends_with("/home/")) return ParamKind::kWidget;
  if (before.ends_with("/integrations/")) return ParamKind::kIntegration;
  if (before.ends_with("/api/commands/")) return ParamKind::kSavedCommand;
  if (before.ends_with("/reports/")) return ParamKind::kReport;
  return ParamKind::kOther;
}

std::vector<std::string> paramsOf(const std::string& pattern) {
  std::vector<std::string> out;
  static const std::regex re("\\{([A-Za-z_]+)\\}");
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), re), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

// Query strings a route needs to be a well-formed request.
std::string queryFor(const std::string& key) {
  if (key == "GET /api/v2/administrators/{id}/explain") return "?action=users.read";
  return "";
}

class IsolationMatrixTest : public ServiceTest {
 protected:
  // A digest of every tenant row a request could change (not the activity log: a denial is
  // itself written there).
  std::string digest() {
    std::ostringstream out;
    for (const auto& p : {a_, b_}) {
      const model::TenantScope scope{p};
      auto st = app().store().query([&](store::Tx& tx) -> Result<std::string> {
        std::ostringstream d;
        auto prov = tx.getProvider(scope);
        if (prov) d << prov->name << prov->require_admin_mfa << prov->updated << ";";
        model::ListQuery q;
        q.limit = 100;
        auto orgs = tx.listOrganizations(scope, model::OrgReach::everything(), q);
        if (orgs)
          for (const auto& o : orgs->results) {
            d << o.id << o.name << o.remote_assist << o.updated << o.tags.size() << o.has_logo;
            auto saved = tx.listSavedCommands(scope, o.id, q);
            if (saved)
              for (const auto& c : saved->results) {
                d << "cmd" << c.id << c.name << c.script << c.updated;
                auto runs = tx.listCommandResults(scope, o.id, c.id, "", 100);
                if (runs) d << "runs" << runs->size();
              }
            auto policy = tx.getPasswordPolicy(scope, o.id);
            if (policy) d << "policy" << policy->lockout_after_failures << "/" << policy->password_expiration_days;
            auto apps = tx.listApplications(scope, o.id);
            if (apps)
              for (const auto& ap : *apps) d << "app" << ap.id << ap.name;
            d << ",";
          }
        auto admins = tx.listAdmins(scope, q);
        if (admins)
          for (const auto& a : admins->results) {
            d << a.id << a.email << a.role_name << static_cast<int>(a.status) << a.enable_multi_factor
              << a.api_key_allowed << a.all_organizations << a.updated << a.totp_enrolled << a.api_key_set;
            auto grants = tx.listGrants(scope, a.id);
            if (grants)
              for (const auto& g : *grants) d << "[" << g.org_id << g.role_name << g.expires_at.value_or(0) << "]";
            d << ",";
          }
        auto devices = tx.listDevices(scope, model::OrgReach::everything(), q);
        if (devices)
          for (const auto& v : devices->results) {
            d << v.id << v.org_id << v.display_name << v.active << v.remote_assist;
            auto cmds = tx.listCommands(scope, v.id, 100);
            if (cmds) d << "cmds" << cmds->size();
            d << ",";
          }
        auto users = tx.listSystemUsers(scope, model::OrgReach::everything(), q);
        if (users)
          for (const auto& u : users->results)
            d << u.id << u.username << u.email << static_cast<int>(u.state) << u.account_locked
              << u.password_expired << u.sudo << u.updated << u.password_expiration_date.value_or(0)
              << u.totp_enabled << u.scheduled_suspension_at.value_or(0) << u.scheduled_activation_at.value_or(0) << ",";
        auto mail = tx.listEmails(scope, false, 1000);
        if (mail) d << "mail" << mail->size();
        auto billing = tx.getBillingInformation(scope);
        if (billing) d << "billing" << billing->name << billing->city << billing->updated;
        auto integrations = tx.listIntegrations(scope);
        if (integrations)
          for (const auto& i : *integrations) {
            d << i.kind << i.site_url << i.updated << i.enabled;
            auto maps = tx.listPsaMappings(scope, i.kind);
            if (maps) d << "maps" << maps->size();
            auto runs = tx.listSyncRuns(scope, i.kind, 100);
            if (runs) d << "runs" << runs->size();
          }
        auto requests = tx.listIntegrationRequests(scope);
        if (requests) d << "requests" << requests->size();
        auto invoices = tx.listInvoices(scope);
        if (invoices)
          for (const auto& i : *invoices) d << i.id << i.paid_cents << static_cast<int>(i.status) << ",";
        return d.str();
      });
      out << (st ? *st : "error:" + st.error().message) << "|";
    }
    return out.str();
  }

  // A device of `org` (enrolled straight into the store).
  std::string seedDevice(const std::string& provider, const std::string& org) {
    model::DeviceRecord v;
    v.org_id = org;
    v.hostname = v.display_name = "host" + std::to_string(++devices_);
    v.os = "Ubuntu 24.04";
    v.os_family = "linux";
    v.version = "1.0";
    auto id = app().store().transact([&](store::Tx& tx) {
      return tx.createDevice(model::TenantScope{provider}, v, "matrixhash" + std::to_string(devices_));
    });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }

  // A fresh saved command of `org`.
  std::string seedSavedCommand(const std::string& provider, const std::string& org) {
    store::SavedCommandRecord c;
    c.org_id = org;
    c.name = "cmd" + std::to_string(++commands_);
    c.target_os = "linux";
    c.shell = "sh";
    c.script = "true";
    c.created_by = "matrix";
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createSavedCommand(model::TenantScope{provider}, c); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }

  // A devices report of `org`.
  std::string seedReport(const std::string& provider, const std::string& org) {
    store::ReportRequestRecord r;
    r.kind = "devices";
    r.format = "csv";
    r.requested_by = "matrix";
    r.org_ids = {org};
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createReportRequest(model::TenantScope{provider}, r); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }

  // A fresh user of `org` (so that one allowed request does not change what the next see).
  std::string seedUser(const std::string& provider, const std::string& org) {
    model::SystemUserRecord u;
    u.org_id = org;
    u.username = "user" + std::to_string(++users_);
    u.email = u.username + "@client.example";
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createSystemUser(model::TenantScope{provider}, u, std::nullopt); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }

  // An application of `org` (straight into the store).
  std::string seedApplication(const std::string& provider, const std::string& org) {
    model::ApplicationRecord a;
    a.org_id = org;
    a.name = "app" + std::to_string(++apps_);
    a.type = "saml";
    auto id = app().store().transact(
        [&](store::Tx& tx) { return tx.createApplication(model::TenantScope{provider}, a); });
    EXPECT_TRUE(id.has_value());
    return id ? *id : "";
  }

  std::string a_, b_, a1_, a2_, b1_;
  int apps_ = 0;
  int devices_ = 0;
  int users_ = 0;
  int commands_ = 0;
  std::map<std::string, SeededAdmin> by_role_;
  SeededAdmin victim_b_;
  std::string invoice_a_, invoice_b_;
};

TEST_P(IsolationMatrixTest, EveryRouteEveryRoleEveryTarget) {
  a_ = createProvider("Provider A");
  b_ = createProvider("Provider B");
  a1_ = createOrg(a_, "A granted");
  a2_ = createOrg(a_, "A ungranted");
  b1_ = createOrg(b_, "B org");
  for (const auto& [role, _] : spec::roleActions())
    by_role_[role] = createAdmin(a_, SeedAdmin{role, false, {SeedGrant{a1_, "", std::nullopt}}});
  victim_b_ = createAdmin(b_, SeedAdmin{"read_only", false, {SeedGrant{b1_, "", std::nullopt}}});
  for (auto [p, out] : {std::pair{a_, &invoice_a_}, std::pair{b_, &invoice_b_}}) {
    model::InvoiceRecord inv;
    inv.number = "INV-2026-01";
    inv.period = "2026-01";
    inv.due_date = now() + 86400;
    inv.billed_cents = 1000000;
    auto id = app().store().transact([&](store::Tx& tx) { return tx.createInvoice(model::TenantScope{p}, inv); });
    ASSERT_TRUE(id.has_value());
    *out = *id;
  }

  const auto routes = handlers::allRoutes(app());
  int checked = 0, routes_covered = 0;
  std::set<std::string> skipped;
  for (const auto& route : routes) {
    if (route.access.kind() != http::Access::Kind::kAction) continue;
    const std::string action = route.access.actionName();
    // Self routes have no tenant target (the session tests cover them), and logging out or
    // changing the password would end the very sessions this matrix uses.
    if (engine::actionInfo(*engine::findAction(action)).scope == engine::Scope::kSelf) continue;
    const auto params = paramsOf(route.pattern);
    bool known = true;
    bool has_org = false, has_admin = false;
    for (const auto& p : params) {
      const auto k = kindOf(route.pattern, p);
      known = known && k != ParamKind::kOther;
      has_org = has_org || k == ParamKind::kOrg;
      has_admin = has_admin || k == ParamKind::kAdmin;
    }
    const bool header_org = route.org.kind == http::OrgSource::Kind::kHeader;
    // The engine checks the org (checks 2 and 6, before the role) only when the route names
    // it as the target org; any other org parameter is the handler's to look up.
    const bool engine_org = header_org || route.org.kind == http::OrgSource::Kind::kPathParam;
    if (!known) {
      skipped.insert(route.method + " " + route.pattern);
      continue;
    }
    ++routes_covered;
    for (const auto& [role, who] : by_role_) {
      // The route's action and every `also` action it declares: the role must hold them all.
      bool role_has = spec::roleHas(role, action);
      for (const auto& a : route.access.alsoActions()) role_has = role_has && spec::roleHas(role, a);
      for (Target t : {Target::kOwn, Target::kUngranted, Target::kOtherProvider, Target::kUnknown}) {
        if (t == Target::kUngranted && !has_org && !header_org) continue;  // provider-level target
        // A provider-scoped route with no target at all (`/api/v2/me/home`: the caller's own
        // provider): only the caller's own case exists.
        if (params.empty() && !header_org && t != Target::kOwn) continue;
        // A fresh victim for the allowed case of admin routes, and a fresh org for deletes,
        // so that one allowed request does not change what the next ones see.
        std::string own_admin, own_org = a1_;
        if ((has_org || header_org) && t == Target::kOwn && route.method == "DELETE") {
          own_org = createOrg(a_, "disposable");
          auto g = app().store().transact([&](store::Tx& tx) {
            return tx.putGrant(model::TenantScope{a_}, model::GrantRecord{who.id, own_org, "", std::nullopt, 0});
          });
          ASSERT_TRUE(g.has_value());
          refresh();
        }
        if (has_admin && t == Target::kOwn)
          own_admin = createAdmin(a_, SeedAdmin{"read_only", false, {SeedGrant{own_org, "", std::nullopt}}}).id;
        std::string path = route.pattern;
        Headers headers;
        auto put = [&](const std::string& name, const std::string& value) {
          const std::string key = "{" + name + "}";
          path.replace(path.find(key), key.size(), value);
        };
        for (const auto& p : params) {
          switch (kindOf(route.pattern, p)) {
            case ParamKind::kProvider:
              put(p, t == Target::kOtherProvider ? b_ : t == Target::kUnknown && !has_org && !has_admin ? "0000nosuchprovider00000" : a_);
              break;
            case ParamKind::kOrg:
              put(p, t == Target::kOwn ? own_org : t == Target::kUngranted ? a2_ : t == Target::kOtherProvider ? b1_ : "0000nosuchorg00000000000");
              break;
            case ParamKind::kAdmin:
              put(p, t == Target::kOwn ? own_admin : t == Target::kOtherProvider ? victim_b_.id : "0000nosuchadmin000000000");
              break;
            case ParamKind::kDevice:
              put(p, t == Target::kOwn ? seedDevice(a_, own_org)
                     : t == Target::kUngranted ? seedDevice(a_, a2_)
                     : t == Target::kOtherProvider ? seedDevice(b_, b1_)
                     : "0000nosuchdevice00000000");
              break;
            case ParamKind::kSystemUser:
              put(p, t == Target::kOwn ? seedUser(a_, own_org)
                     : t == Target::kUngranted ? seedUser(a_, a2_)
                     : t == Target::kOtherProvider ? seedUser(b_, b1_)
                     : "0000nosuchuser0000000000");
              break;
            case ParamKind::kInvoice:
              put(p, t == Target::kOwn ? invoice_a_ : t == Target::kOtherProvider ? invoice_b_ : "0000nosuchinvoice0000000");
              break;
            case ParamKind::kApplication:
              put(p, t == Target::kOwn ? seedApplication(a_, own_org)
                     : t == Target::kUngranted ? seedApplication(a_, a2_)
                     : t == Target::kOtherProvider ? seedApplication(b_, b1_)
                     : "0000nosuchapplication000");
              break;
            case ParamKind::kSavedCommand:
              put(p, t == Target::kOwn ? seedSavedCommand(a_, own_org)
                     : t == Target::kUngranted ? seedSavedCommand(a_, a2_)
                     : t == Target::kOtherProvider ? seedSavedCommand(b_, b1_)
                     : "0000nosuchcommand0000000");
              break;
            case ParamKind::kReport:
              put(p, t == Target::kOwn ? seedReport(a_, own_org)
                     : t == Target::kOtherProvider ? seedReport(b_, b1_)
                     : "0000nosuchreport00000000");
              break;
            case ParamKind::kWidget:
              put(p, "recent_os_releases");  // needs nothing beyond the route's home.read
              break;
            case ParamKind::kIntegration:
              put(p, "connectwise");
              break;
            case ParamKind::kOther: break;
          }
        }
        if (header_org)
          headers.emplace_back("x-org-id", t == Target::kOwn ? own_org : t == Target::kUngranted ? a2_ : t == Target::kOtherProvider ? b1_ : "0000nosuchorg00000000000");
        // The status the spec says. Org and provider checks (2, 6) come before the role (7);
        // an admin of another provider is found only after the role check, by the store.
        int want = 0;  // 0: allowed (anything but 401/403/404-by-authorization)
        if (route.pattern.find("{pid}") != std::string::npos && t == Target::kOtherProvider)
          want = 404;  // provider_mismatch (check 2)
        else if (t == Target::kOwn)
          want = role_has ? 0 : 403;  // role_lacks_action (check 7)
        else if (engine_org)
          want = 404;  // org_unknown / org_not_granted / provider_mismatch (checks 2, 6)
        else if (has_admin || has_org)
          want = role_has ? 404 : 403;  // the handler finds no such admin or org of the caller's
        else
          want = 404;  // an unknown provider
        const std::string before = want ? digest() : "";
        const std::string body = route.method == "POST" || route.method == "PUT" ? "{}" : "";
        auto r = call(route.method, path + queryFor(route.method + " " + route.pattern), who.token, body, headers);
        const std::string what = route.method + " " + route.pattern + " as " + role + " on " + targetName(t) + " (" + path + ")";
        if (want == 0) {
          EXPECT_NE(r.status, 401) << what << "\n" << r.body;
          EXPECT_NE(r.status, 403) << what << "\n" << r.body;
          if (!route.pattern.ends_with("/logo")) {
            EXPECT_NE(r.status, 404) << what << "\n" << r.body;
          }
          EXPECT_LT(r.status, 500) << what << "\n" << r.body;
        } else if (want == 404 && !engine_org && !body.empty() && r.status == 400) {
          // The handler validated the (empty) body before looking the target up: the same
          // answer as for its own admins, so nothing is revealed.
          EXPECT_EQ(digest(), before) << what << ": a refused request changed a row";
        } else {
          EXPECT_EQ(r.status, want) << what << "\n" << r.body;
          EXPECT_EQ(digest(), before) << what << ": a denied request changed a row";
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(routes_covered, 10);
  for (const auto& s : skipped) ADD_FAILURE() << "route with a path parameter the matrix does not know: " << s;
  std::cout << "isolation matrix: " << checked << " requests over " << routes_covered << " routes\n";
}

MTP_SERVICE_BACKENDS(IsolationMatrixTest);

}  // namespace
}  // namespace mtp::testing
