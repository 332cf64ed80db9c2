#include "main/demo.h"

#include <nlohmann/json.hpp>

#include <tuple>

#include "auth/random.h"
#include "main/bootstrap.h"

namespace mtp::service {
namespace {

struct DemoOrg {
  const char* name;
  std::vector<std::string> tags;
};

struct DemoAdmin {
  const char* role;
  const char* firstname;
  const char* lastname;
  bool mfa = false;
  bool granted = false;  // true: grants on the first two orgs; false: allOrganizations
};

const std::vector<DemoOrg>& demoOrgs() {
  static const std::vector<DemoOrg> orgs = {
      {"Acme Dental", {"healthcare"}},
      {"Birch Legal", {}},
      {"Cobalt Manufacturing", {"change-freeze"}},
      {"Dune Logistics", {}},
  };
  return orgs;
}

const std::vector<DemoAdmin>& demoAdmins() {
  static const std::vector<DemoAdmin> admins = {
      {"admin_billing", "Olivia", "Owner"},
      {"admin", "Adam", "Admin", true},
      {"manager", "Maya", "Manager", false, true},
      {"help_desk", "Hugo", "Helpdesk", false, true},
      {"command_runner", "Cara", "Runner"},
      {"command_runner_billing", "Colin", "Runner"},
      {"read_only", "Rita", "Reader"},
      {"billing_only", "Bill", "Payer"},
  };
  return admins;
}

model::ActivityRecord systemEvent(const std::string& provider, std::string type, std::string resource_type,
                                  std::string resource_id, const nlohmann::json& changes,
                                  std::string organization = {}) {
  model::ActivityRecord e;
  e.provider_id = provider;
  e.event_type = std::move(type);
  e.initiated_by_type = "system";
  e.resource_type = std::move(resource_type);
  e.resource_id = std::move(resource_id);
  e.changes_json = changes.dump();
  e.auth_method = "system";
  e.organization = std::move(organization);
  return e;
}

nlohmann::json change(const std::string& field, const std::string& to) {
  return {{"field", field}, {"from", ""}, {"to", to}};
}

}  // namespace

std::expected<DemoOutcome, std::string> seedDemo(store::Store& store, auth::PasswordHasher& passwords) {
  DemoOutcome out;
  auto providers = store.query([](store::Tx& tx) { return tx.listProviders(); });
  if (!providers) return std::unexpected("database: " + providers.error().text());
  if (!providers->empty()) {
    for (const auto& p : *providers)
      if (p.name == kDemoProviderName) {
        out.already_seeded = true;
        out.provider_id = p.id;
      }
    return out;
  }

  // Hash outside the transaction: 8 × ~100 ms must not hold a database transaction open.
  std::vector<std::string> hashes;
  for (const auto& a : demoAdmins()) {
    DemoLogin l;
    l.role = a.role;
    l.email = std::string(a.role) + "@demo.example";
    l.password = generatePassword();
    l.mfa_required = a.mfa;
    auto h = passwords.hash(l.password);
    if (!h) return std::unexpected("password hashing failed: " + std::string(auth::passwordStatusName(h.error())));
    hashes.push_back(*h);
    out.logins.push_back(std::move(l));
  }

  out.provider_id = auth::newId();
  const model::TenantScope scope{out.provider_id};
  auto done = store.transact([&](store::Tx& tx) -> Result<bool> {
    auto existing = tx.listProviders();
    if (!existing) return fail(existing.error());
    if (!existing->empty()) return false;
    model::ProviderRecord p;
    p.id = out.provider_id;
    p.name = kDemoProviderName;
    if (auto r = tx.createProvider(scope, p); !r) return fail(r.error());
    if (auto r = tx.appendActivity(scope, systemEvent(p.id, "provider_create", "provider", p.id,
                                                      nlohmann::json::array({change("name", p.name)})));
        !r)
      return fail(r.error());

    std::vector<std::string> org_ids;
    out.organizations.clear();
    for (const auto& o : demoOrgs()) {
      model::OrganizationRecord rec;
      rec.provider_id = p.id;
      rec.name = o.name;
      rec.tags = o.tags;
      auto id = tx.createOrganization(scope, rec);
      if (!id) return fail(id.error());
      auto changes = nlohmann::json::array({change("name", rec.name)});
      if (!o.tags.empty()) {
        std::string joined;
        for (const auto& t : o.tags) joined += (joined.empty() ? "" : ",") + t;
        changes.push_back(change("tags", joined));
      }
      if (auto r = tx.appendActivity(scope, systemEvent(p.id, "organization_create", "organization", *id, changes, *id)); !r)
        return fail(r.error());
      org_ids.push_back(*id);
      out.organizations.push_back(o.name);
    }
    // A few SSO applications, so that the org list's applicationCount shows real rows.
    for (const auto& [k, name, type] : {std::tuple{0, "Salesforce", "saml"}, std::tuple{0, "Slack", "oidc"},
                                        std::tuple{1, "Zoom", "saml"}}) {
      if (static_cast<std::size_t>(k) >= org_ids.size()) continue;
      model::ApplicationRecord app_rec;
      app_rec.org_id = org_ids[static_cast<std::size_t>(k)];
      app_rec.name = name;
      app_rec.type = type;
      auto id = tx.createApplication(scope, app_rec);
      if (!id) return fail(id.error());
      if (auto r = tx.appendActivity(scope, systemEvent(p.id, "application_create", "application", *id,
                                                        nlohmann::json::array({change("name", name), change("type", type)}),
                                                        app_rec.org_id));
          !r)
        return fail(r.error());
    }

    for (std::size_t i = 0; i < demoAdmins().size(); ++i) {
      const auto& spec = demoAdmins()[i];
      auto& login = out.logins[i];
      model::AdminRecord a;
      a.provider_id = p.id;
      a.email = login.email;
      a.firstname = spec.firstname;
      a.lastname = spec.lastname;
      a.role_name = spec.role;
      a.status = model::AdminStatus::kActive;
      a.enable_multi_factor = spec.mfa;
      a.all_organizations = !spec.granted;
      auto id = tx.createAdmin(scope, a, hashes[i]);
      if (!id) return fail(id.error());
      std::string granted;
      login.organizations.clear();
      if (spec.granted) {
        for (std::size_t k = 0; k < 2; ++k) {
          if (auto r = tx.putGrant(scope, model::GrantRecord{*id, org_ids[k], "", std::nullopt, 0}); !r)
            return fail(r.error());
          granted += (granted.empty() ? "" : ",") + org_ids[k];
          login.organizations.push_back(demoOrgs()[k].name);
        }
      }
      auto changes = nlohmann::json::array(
          {change("email", a.email), change("roleName", a.role_name), change("status", "active"),
           change("enableMultiFactor", spec.mfa ? "true" : "false"),
           change("allOrganizations", a.all_organizations ? "true" : "false")});
      if (!granted.empty()) changes.push_back(change("organizations", granted));
      if (auto r = tx.appendActivity(scope, systemEvent(p.id, "admin_create", "admin", *id, changes)); !r)
        return fail(r.error());
    }
    return true;
  });
  if (!done) return std::unexpected(done.error().text());
  if (!*done) {  // another process seeded something meanwhile
    DemoOutcome none;
    none.already_seeded = true;
    return none;
  }
  out.created = true;
  return out;
}

std::string demoBanner(const DemoOutcome& o, const std::string& url) {
  std::string s = "\nMTP demo on " + url + "\n";
  if (!o.created) {
    s += o.provider_id.empty() && !o.already_seeded
             ? "The database is not empty and holds no demo provider: nothing was seeded.\n"
             : "The demo was seeded by an earlier start. Its passwords are stored hashed only and\n"
               "were printed once, when they were created; to see new ones, start on a fresh\n"
               "database (remove mtp.db) or use the owner's account to reset them.\n";
    return s;
  }
  s += "Provider \"" + std::string(kDemoProviderName) + "\" (" + o.provider_id + "), organizations: ";
  for (std::size_t i = 0; i < o.organizations.size(); ++i)
    s += (i ? ", " : "") + o.organizations[i] + (o.organizations[i] == "Cobalt Manufacturing" ? " [change-freeze]" : "");
  s += "\n\nLogins (shown this once: the passwords are stored hashed only):\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-24s %-36s %-24s %s\n", "role", "email", "password", "organizations");
  s += line;
  for (const auto& l : o.logins) {
    std::string orgs = l.organizations.empty() ? "all" : "";
    for (std::size_t i = 0; i < l.organizations.size(); ++i) orgs += (i ? ", " : "") + l.organizations[i];
    if (l.mfa_required) orgs += "  (MFA required: login gives an enrollment-only token)";
    std::snprintf(line, sizeof line, "  %-24s %-36s %-24s %s\n", l.role.c_str(), l.email.c_str(),
                  l.password.c_str(), orgs.c_str());
    s += line;
  }
  const auto& owner = o.logins.front();
  s += "\nLog in:\n  curl -s -X POST " + url + "/api/v2/auth/login -H 'Content-Type: application/json' \\\n"
       "    -d '{\"email\":\"" + owner.email + "\",\"password\":\"" + owner.password + "\"}'\n"
       "then: curl -s " + url + "/api/v2/providers/" + o.provider_id +
       "/organizations -H \"Authorization: Bearer $TOKEN\"\n";
  return s;
}

}  // namespace mtp::service
