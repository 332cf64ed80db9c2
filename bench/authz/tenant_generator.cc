#include "tenant_generator.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <random>
#include <sstream>

namespace mtp::bench {

using namespace mtp::engine;

namespace {

const char* kRoles[] = {"admin_billing", "admin",     "manager",  "help_desk",
                        "command_runner", "command_runner_billing", "read_only", "billing_only"};
const char* kTags[] = {"change-freeze", "lab", "vip", "eu", "healthcare"};

std::string sourceDir() {
  if (const char* d = std::getenv("MTP_SOURCE_DIR")) return d;
  return MTP_SOURCE_DIR_DEFAULT;
}

std::string readFile(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Twenty policies of the kinds a security team writes: tags, roles, MFA, networks, regexes,
// time windows, permits that widen a role.
const char* kCustomPolicies = R"(
policies:
  - {id: freeze-shutdown, effect: forbid, actions: [devices.shutdown, devices.restart], when: 'org.tags contains "change-freeze"'}
  - {id: freeze-users, effect: forbid, actions: [users.delete, users.suspend], when: 'org.tags contains "change-freeze"'}
  - {id: billing-mfa, effect: forbid, actions: [billing.update], unless: 'request.mfa == true'}
  - {id: api-read-only, effect: forbid, actions: ["*"], when: 'request.authMethod == "api_key"', unless: 'action.verb == "read"'}
  - {id: help-desk-office, effect: forbid, actions: ["users.*", "devices.*"], when: 'principal.role == "help_desk"', unless: 'request.clientIp in ["10.0.0.0/8", "192.168.0.0/16"]'}
  - {id: admin-email-domain, effect: forbid, actions: [admins.create, admins.update], unless: 'target.email matches ".*@msp\\.example"'}
  - {id: lab-shutdown, effect: permit, actions: [devices.shutdown], when: ['org.tags contains "lab"', 'principal.role == "help_desk"']}
  - {id: vip-no-remote-assist, effect: forbid, actions: [devices.remote_assist], when: 'org.tags contains "vip"', unless: 'principal.role in ["admin_billing", "admin"]'}
  - {id: healthcare-mfa, effect: forbid, actions: ["users.*"], when: ['org.tags contains "healthcare"', 'request.mfa == false']}
  - {id: eu-business-hours, effect: forbid, actions: [users.delete], when: 'org.tags contains "eu"', unless: 'request.time between "07:00" and "19:00"'}
  - {id: no-weekend-deletes, effect: forbid, actions: [users.delete], when: 'request.weekday in ["sat", "sun"]'}
  - {id: commands-from-office, effect: forbid, actions: [commands.run], unless: 'request.clientIp in ["10.0.0.0/8"]'}
  - {id: read-only-export-mfa, effect: forbid, actions: [activity.export], when: 'request.mfa == false'}
  - {id: managers-lab-delete, effect: permit, actions: [users.delete], when: ['principal.role == "manager"', 'org.tags contains "lab"']}
  - {id: contractors, effect: forbid, actions: ["users.*"], when: 'principal.email matches ".*@contractor\\.example"'}
  - {id: api-no-orgs-launch, effect: forbid, actions: [orgs.launch], when: 'request.authMethod == "api_key"'}
  - {id: settings-mfa, effect: forbid, actions: [settings.update, integrations.update], unless: 'request.mfa == true'}
  - {id: vip-delete-owner-only, effect: forbid, actions: [users.delete], when: 'org.tags contains "vip"', unless: 'principal.role == "admin_billing"'}
  - {id: runners-no-vip, effect: forbid, actions: [commands.run], when: ['org.tags contains "vip"', 'principal.role in ["command_runner", "command_runner_billing"]']}
  - {id: grant-access-mfa, effect: forbid, actions: [admins.grant_access], unless: 'request.mfa == true'}
)";

}  // namespace

std::shared_ptr<const PolicySet> benchPolicies(bool with_policies) {
  std::vector<PolicySource> sources{
      {"policies/builtin/roles.yaml", readFile(sourceDir() + "/policies/builtin/roles.yaml")}};
  if (with_policies) sources.push_back({"bench/custom.yaml", kCustomPolicies});
  auto set = PolicySet::compile(sources);
  if (!set) {
    for (const auto& d : set.error()) std::cerr << d.str() << "\n";
    std::abort();
  }
  return *set;
}

Request toRequest(const StreamEntry& e) {
  static const IpAddress office = *parseIpAddress("10.20.30.40");
  static const IpAddress home = *parseIpAddress("203.0.113.9");
  Request r;
  r.admin = std::string_view(e.admin, e.admin_len);
  r.organization = std::string_view(e.org, e.org_len);
  r.action = e.action;
  r.auth_method = e.api_key ? AuthMethod::kApiKey : AuthMethod::kSession;
  r.mfa = e.mfa;
  r.client_ip = e.office_ip ? office : home;
  r.time = 1795334400;  // 2026-11-22T08:00:00Z, a Sunday
  return r;
}

std::unique_ptr<TenantWorld> makeTenantWorld(const TenantScale& s) {
  auto w = std::make_unique<TenantWorld>();
  std::mt19937_64 rng(s.seed);
  auto uni = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };

  ProviderData p{"msp-1", false, {}};
  p.organizations.reserve(s.orgs);
  for (int o = 0; o < s.orgs; ++o) {
    OrgData od{"org-" + std::to_string(o), "Org " + std::to_string(o), {}};
    for (const char* t : kTags)
      if (coin(0.05)) od.tags.push_back(t);
    p.organizations.push_back(std::move(od));
  }
  w->directory.providers.push_back(std::move(p));
  // A second provider, so that cross-tenant requests exist in the stream.
  w->directory.providers.push_back(ProviderData{"msp-2", false, {OrgData{"other-org", "Other", {}}}});

  auto& admins = w->directory.admins;
  admins.reserve(s.admins + 1);
  for (int a = 0; a < s.admins; ++a) {
    AdminData ad;
    ad.id = "admin-" + std::to_string(a);
    ad.provider = "msp-1";
    ad.email = ad.id + (a % 50 == 0 ? "@contractor.example" : "@msp.example");
    ad.role = kRoles[a % 8];
    ad.status = a % 40 == 0 ? AdminStatus::kSuspended : AdminStatus::kActive;
    ad.enable_multi_factor = a % 3 == 0;
    ad.api_key_allowed = a % 4 == 0;
    ad.all_organizations = coin(s.all_orgs_share);
    if (!ad.all_organizations) {
      const int n = s.grants_per_admin / 2 + uni(s.grants_per_admin + 1);  // 10..30, mean 20
      for (int g = 0; g < n; ++g) {
        GrantData gd{"org-" + std::to_string((a * 37 + g * 101) % s.orgs), "", std::nullopt};
        if (coin(s.per_org_role_share)) gd.role = kRoles[uni(8)];
        if (coin(0.05)) gd.expires_at = 1700000000 + uni(2) * 400000000;  // some expired
        ad.organizations.push_back(std::move(gd));
      }
    }
    admins.push_back(std::move(ad));
  }
  for (const auto& a : admins) {
    if (a.status != AdminStatus::kActive || a.enable_multi_factor) continue;
    if (w->all_orgs_admin.empty() && a.all_organizations && a.role == "admin_billing")
      w->all_orgs_admin = a.id;
    bool plain = a.organizations.size() == 20 && a.role == "admin";
    for (const auto& g : a.organizations) plain = plain && g.role.empty() && !g.expires_at;
    if (w->twenty_org_admin.empty() && plain) w->twenty_org_admin = a.id;
  }
  admins.push_back(AdminData{"other-admin", "msp-2", "x@other.example", "admin_billing",
                             AdminStatus::kActive, false, false, true, {}});

  // Half the requests ask for an action the admin's default role holds, so that about half
  // the stream is allowed; the rest ask for anything.
  const auto roles = benchPolicies(false);
  const auto actions = allActions();
  std::vector<ActionId> ids;
  for (std::size_t i = 0; i < actions.size(); ++i)
    if (actions[i].scope != Scope::kSelf) ids.push_back(static_cast<ActionId>(i));
  w->requests.reserve(s.requests);
  for (int i = 0; i < s.requests; ++i) {
    const AdminData& a = admins[uni(s.admins)];
    Request r;
    r.action = ids[uni(static_cast<int>(ids.size()))];
    if (coin(0.6)) {
      const ActionSet held = roles->role(*roles->findRole(a.role)).actions;
      std::vector<ActionId> mine;
      for (ActionId id : ids)
        if (held.has(id)) mine.push_back(id);
      if (!mine.empty()) r.action = mine[uni(static_cast<int>(mine.size()))];
    }
    if (actionInfo(r.action).scope == Scope::kOrg) {
      if (!a.organizations.empty() && coin(0.8)) r.organization = a.organizations[uni(static_cast<int>(a.organizations.size()))].organization;
      else r.organization = w->directory.providers[0].organizations[uni(s.orgs)].id;
    }
    StreamEntry e{};
    auto put = [](char* dst, std::uint8_t& len, std::string_view id) {
      len = static_cast<std::uint8_t>(std::min<std::size_t>(id.size(), 15));
      std::copy_n(id.data(), len, dst);
    };
    put(e.admin, e.admin_len, a.id);
    put(e.org, e.org_len, r.organization);
    e.action = r.action;
    e.api_key = coin(0.1);
    e.mfa = coin(0.9);
    e.office_ip = coin(0.8);
    w->requests.push_back(e);
  }
  return w;
}

}  // namespace mtp::bench
