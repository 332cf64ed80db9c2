// A differential property test: a plain, obviously-correct reference evaluator, written here
// from spec/authorization.md with linear scans and no indexes, compared with the engine on
// random directories, policies and requests. Also checks properties that must hold whatever
// the data: allow implies some grant matched, any matching forbid denies, rule order does not
// matter, and changing org B's grants never changes a decision in org A.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "test_support.h"

namespace mtp::engine {
namespace {

using namespace testing;

const std::vector<std::string> kRoles = {"admin_billing", "admin",   "manager",
                                         "help_desk",     "command_runner",
                                         "command_runner_billing", "read_only", "billing_only"};
const std::vector<std::string> kTags = {"t1", "t2", "change-freeze"};

// ---- the random world -------------------------------------------------------------------

enum class CondKind { kOrgTag, kRole, kMfa, kAuthApiKey, kClientIpOffice, kVerbRead };
struct Cond {
  CondKind kind;
  std::string value;  // tag or role
  bool flag = true;   // for kMfa: the compared value
};
struct Policy {
  std::string id;
  bool forbid = true;
  std::vector<std::string> actions;  // exact names
  std::vector<Cond> when, unless;
};

struct World {
  DirectoryData dir;
  std::vector<Policy> policies;
};

std::string condText(const Cond& c) {
  switch (c.kind) {
    case CondKind::kOrgTag: return "org.tags contains \"" + c.value + "\"";
    case CondKind::kRole: return "principal.role == \"" + c.value + "\"";
    case CondKind::kMfa: return std::string("request.mfa == ") + (c.flag ? "true" : "false");
    case CondKind::kAuthApiKey: return "request.authMethod == \"api_key\"";
    case CondKind::kClientIpOffice: return "request.clientIp in [\"10.0.0.0/8\"]";
    case CondKind::kVerbRead: return "action.verb == \"read\"";
  }
  return "";
}

std::string policyYaml(const std::vector<Policy>& ps) {
  if (ps.empty()) return "";
  std::ostringstream y;
  y << "policies:\n";
  for (const auto& p : ps) {
    y << "  - id: " << p.id << "\n    effect: " << (p.forbid ? "forbid" : "permit") << "\n    actions: [";
    for (std::size_t i = 0; i < p.actions.size(); ++i) y << (i ? ", " : "") << p.actions[i];
    y << "]\n";
    auto list = [&](const char* key, const std::vector<Cond>& cs) {
      if (cs.empty()) return;
      y << "    " << key << ":\n";
      for (const auto& c : cs) y << "      - '" << condText(c) << "'\n";
    };
    list("when", p.when);
    list("unless", p.unless);
  }
  return y.str();
}

World randomWorld(std::mt19937_64& rng) {
  auto coin = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
  auto pick = [&](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  World w;
  for (int p = 0; p < 2; ++p) {
    ProviderData pd{"p" + std::to_string(p), coin(0.2), {}};
    for (int o = 0; o < 4; ++o) {
      OrgData od{"p" + std::to_string(p) + "o" + std::to_string(o), "org", {}};
      for (const auto& t : kTags)
        if (coin(0.3)) od.tags.push_back(t);
      pd.organizations.push_back(od);
    }
    w.dir.providers.push_back(pd);
  }
  for (int a = 0; a < 8; ++a) {
    const int p = a % 2;
    AdminData ad = admin("a" + std::to_string(a), "p" + std::to_string(p), pick(kRoles), coin(0.2));
    ad.status = coin(0.85) ? AdminStatus::kActive : (coin(0.5) ? AdminStatus::kPending : AdminStatus::kSuspended);
    ad.enable_multi_factor = coin(0.3);
    ad.api_key_allowed = coin(0.5);
    for (const auto& o : w.dir.providers[p].organizations) {
      if (!coin(0.5)) continue;
      GrantData g{o.id, coin(0.3) ? pick(kRoles) : "", std::nullopt};
      if (coin(0.3)) g.expires_at = kNow + (coin(0.5) ? -100 : 100);
      ad.organizations.push_back(g);
    }
    w.dir.admins.push_back(ad);
  }
  const int n = std::uniform_int_distribution<>(0, 4)(rng);
  const auto actions = allActions();
  for (int i = 0; i < n; ++i) {
    Policy p;
    p.id = "pol" + std::to_string(i);
    p.forbid = coin(0.6);
    const int k = std::uniform_int_distribution<>(1, 3)(rng);
    for (int j = 0; j < k; ++j) {
      auto name = std::string(actions[std::uniform_int_distribution<std::size_t>(0, actions.size() - 1)(rng)].name);
      if (std::find(p.actions.begin(), p.actions.end(), name) == p.actions.end()) p.actions.push_back(name);
    }
    const bool all_org = std::all_of(p.actions.begin(), p.actions.end(),
                                     [](const std::string& a) { return actionInfo(*findAction(a)).scope == Scope::kOrg; });
    auto randomCond = [&]() {
      for (;;) {
        Cond c{static_cast<CondKind>(std::uniform_int_distribution<>(0, 5)(rng)), "", coin(0.5)};
        if (c.kind == CondKind::kOrgTag) {
          if (!all_org) continue;
          c.value = pick(kTags);
        }
        if (c.kind == CondKind::kRole) c.value = pick(kRoles);
        return c;
      }
    };
    const int nw = std::uniform_int_distribution<>(0, 2)(rng);
    for (int j = 0; j < nw; ++j) p.when.push_back(randomCond());
    if (coin(0.3)) p.unless.push_back(randomCond());
    w.policies.push_back(p);
  }
  return w;
}

// A request with owned storage, so that the engine's view can point into it.
struct OwnedRequest {
  std::string admin, org, provider, target_role, launch_org;
  std::vector<std::string> target_org_ids, target_org_roles;
  std::vector<TargetGrant> target_grants;
  Request r;
  void bind() {
    r.admin = admin;
    r.organization = org;
    r.provider = provider;
    r.launch_org = launch_org;
    r.target.role = target_role;
    target_grants.clear();
    for (std::size_t i = 0; i < target_org_ids.size(); ++i)
      target_grants.push_back(TargetGrant{target_org_ids[i], target_org_roles[i]});
    r.target.organizations = target_grants;
  }
};

OwnedRequest randomRequest(std::mt19937_64& rng, const World& w) {
  auto coin = [&](double p) { return std::uniform_real_distribution<>(0, 1)(rng) < p; };
  auto pick = [&](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::vector<std::string> orgs;
  for (const auto& p : w.dir.providers)
    for (const auto& o : p.organizations) orgs.push_back(o.id);
  OwnedRequest q;
  q.admin = coin(0.05) ? "ghost" : pick(w.dir.admins).id;
  const auto actions = allActions();
  q.r.action = coin(0.02) ? kNoAction
                          : static_cast<ActionId>(std::uniform_int_distribution<std::size_t>(0, actions.size() - 1)(rng));
  q.org = coin(0.05) ? "unknown-org" : (coin(0.1) ? "" : pick(orgs));
  if (coin(0.1)) q.provider = coin(0.5) ? "p0" : "p1";
  q.r.auth_method = coin(0.3) ? AuthMethod::kApiKey : AuthMethod::kSession;
  q.r.mfa = coin(0.7);
  if (coin(0.7)) q.r.client_ip = parseIpAddress(coin(0.5) ? "10.1.2.3" : "192.0.2.7");
  q.r.time = kNow;
  if (q.r.action != kNoAction && escalationActions().has(q.r.action) && coin(0.7)) {
    q.r.target.present = true;
    if (coin(0.8)) q.target_role = pick(kRoles);
    q.r.target.all_organizations = coin(0.2);
    const int n = std::uniform_int_distribution<>(0, 2)(rng);
    for (int i = 0; i < n; ++i) {
      q.target_org_ids.push_back(coin(0.1) ? "unknown-org" : pick(orgs));
      q.target_org_roles.push_back(coin(0.3) ? pick(kRoles) : "");
    }
  }
  // A scoped credential now and then: enrollment only, or an org launch (mostly on the
  // request's own org, so that both outcomes of the scope check are seen).
  if (coin(0.15)) {
    if (coin(0.3)) {
      q.r.session_scope = SessionScope::kEnrollmentOnly;
    } else {
      q.r.session_scope = SessionScope::kOrgLaunch;
      q.launch_org = coin(0.6) ? q.org : (coin(0.8) ? pick(orgs) : "");
    }
  }
  q.bind();
  return q;
}

// ---- the reference evaluator ------------------------------------------------------------

struct Ref {
  const World& w;
  const PolicySet& roles;  // only for role action sets, taken from the shipped roles file

  const AdminData* findAdmin(std::string_view id) const {
    for (const auto& a : w.dir.admins)
      if (a.id == id) return &a;
    return nullptr;
  }
  const OrgData* findOrg(std::string_view id, std::string* provider) const {
    for (const auto& p : w.dir.providers)
      for (const auto& o : p.organizations)
        if (o.id == id) {
          *provider = p.id;
          return &o;
        }
    return nullptr;
  }
  const ProviderData& providerOf(const AdminData& a) const {
    for (const auto& p : w.dir.providers)
      if (p.id == a.provider) return p;
    std::abort();
  }
  bool roleHas(const std::string& role, ActionId action) const {
    return roles.role(*roles.findRole(role)).actions.has(action);
  }
  // std::nullopt: not reachable; else the effective role. `expired` tells why.
  std::optional<std::string> effectiveRole(const AdminData& a, const std::string& org, UnixTime now,
                                           bool* expired) const {
    const GrantData* grant = nullptr;
    for (const auto& g : a.organizations)
      if (g.organization == org) grant = &g;
    const bool live = grant && !(grant->expires_at && *grant->expires_at <= now);
    *expired = grant && !live;
    if (a.all_organizations) return live && !grant->role.empty() ? grant->role : a.role;
    if (!live) return std::nullopt;
    return grant->role.empty() ? a.role : grant->role;
  }
  // 1 true, 0 false, -1 error
  int cond(const Cond& c, const Request& r, const std::string& role, const OrgData* org) const {
    switch (c.kind) {
      case CondKind::kOrgTag:
        if (!org) return -1;
        return std::find(org->tags.begin(), org->tags.end(), c.value) != org->tags.end();
      case CondKind::kRole: return role == c.value;
      case CondKind::kMfa: return r.mfa == c.flag;
      case CondKind::kAuthApiKey: return r.auth_method == AuthMethod::kApiKey;
      case CondKind::kClientIpOffice:
        if (!r.client_ip) return -1;
        return parseIpNetwork("10.0.0.0/8")->contains(*r.client_ip);
      case CondKind::kVerbRead: return actionInfo(r.action).verb == "read";
    }
    return -1;
  }
  int policy(const Policy& p, const Request& r, const std::string& role, const OrgData* org) const {
    bool err = false;
    for (const auto& c : p.when) {
      int v = cond(c, r, role, org);
      if (v == 0) return 0;
      if (v < 0) err = true;
    }
    if (err) return -1;
    for (const auto& c : p.unless) {
      int v = cond(c, r, role, org);
      if (v == 1) return 0;
      if (v < 0) err = true;
    }
    return err ? -1 : 1;
  }
  bool names(const Policy& p, ActionId a) const {
    return std::find(p.actions.begin(), p.actions.end(), std::string(actionInfo(a).name)) != p.actions.end();
  }

  Decision decide(const Request& r) const {
    if (r.action >= allActions().size()) return {false, Reason::kUnknownAction, {}};
    const auto& info = actionInfo(r.action);
    const AdminData* a = findAdmin(r.admin);
    if (!a) return {false, Reason::kUnknownAdmin, {}};
    std::string org_provider;
    const OrgData* org = nullptr;
    if (info.scope == Scope::kOrg && !r.organization.empty()) org = findOrg(r.organization, &org_provider);
    if ((!r.provider.empty() && r.provider != a->provider) || (org && org_provider != a->provider))
      return {false, Reason::kProviderMismatch, {}};
    if (a->status != AdminStatus::kActive) return {false, Reason::kAdminNotActive, {}};
    const bool self_key = info.name == "self.apikey";
    if (!a->api_key_allowed && r.auth_method == AuthMethod::kApiKey) return {false, Reason::kApiAccessDisabled, {}};
    const bool mfa_req = a->enable_multi_factor || providerOf(*a).require_admin_mfa;
    const bool exempt = info.name == "self.mfa" || info.name == "self.logout";
    if (mfa_req && !r.mfa && !exempt && (r.auth_method == AuthMethod::kSession || self_key))
      return {false, Reason::kMfaRequired, {}};
    // The credential's scope (part of check 5).
    if (r.session_scope == SessionScope::kEnrollmentOnly && !exempt)
      return {false, Reason::kSessionScope, {}};
    if (r.session_scope == SessionScope::kOrgLaunch) {
      const bool covered = info.scope == Scope::kOrg
                               ? !r.launch_org.empty() && r.organization == r.launch_org
                               : info.name == "self.logout";
      if (!covered) return {false, Reason::kSessionScope, {}};
    }
    // Generating a key without API access: after MFA and the session's scope.
    if (self_key && !a->api_key_allowed) return {false, Reason::kApiAccessDisabled, {}};
    std::string role = a->role;
    if (info.scope == Scope::kOrg) {
      if (!org) return {false, Reason::kOrgUnknown, {}};
      bool expired = false;
      auto eff = effectiveRole(*a, org->id, r.time, &expired);
      if (!eff) return {false, expired ? Reason::kGrantExpired : Reason::kOrgNotGranted, {}};
      role = *eff;
    }
    std::string granted_by;
    if (info.scope == Scope::kSelf) granted_by = "builtin:self";
    else if (roleHas(role, r.action)) granted_by = role;
    else
      for (const auto& p : w.policies)
        if (!p.forbid && names(p, r.action) && policy(p, r, role, org) == 1) {
          granted_by = p.id;
          break;
        }
    if (granted_by.empty()) return {false, Reason::kRoleLacksAction, {}};
    // Every action on an admin (issue 10 item 2).
    static const std::set<std::string_view> kOnAdmins = {
        "admins.create", "admins.update",         "admins.grant_access", "admins.suspend",
        "admins.restore", "admins.delete",        "admins.reset_password", "admins.reset_mfa"};
    if (r.target.present && kOnAdmins.contains(info.name)) {
      if (escalates(*a, r)) return {false, Reason::kEscalation, {}};
    }
    for (const auto& p : w.policies)
      if (p.forbid && names(p, r.action) && policy(p, r, role, org) != 0)
        return {false, Reason::kForbiddenByPolicy, {}};
    return {true, Reason::kAllowed, {}};
  }

  bool escalates(const AdminData& a, const Request& r) const {
    auto actionsOf = [&](const std::string& role) { return roles.role(*roles.findRole(role)).actions; };
    if (!r.target.role.empty() && !actionsOf(a.role).containsAll(actionsOf(std::string(r.target.role))))
      return true;
    if (r.target.all_organizations && !a.all_organizations) return true;
    for (const auto& g : r.target.organizations) {
      std::string prov;
      const OrgData* o = findOrg(g.organization, &prov);
      if (!o || prov != a.provider) return true;
      bool expired = false;
      auto mine = effectiveRole(a, o->id, r.time, &expired);
      if (!mine) return true;
      const std::string role_there(g.role.empty() ? r.target.role : g.role);
      if (!role_there.empty() && !actionsOf(*mine).containsAll(actionsOf(role_there))) return true;
    }
    return false;
  }
};

std::shared_ptr<const PolicySet> compilePolicies(const std::vector<Policy>& ps) {
  return compileWith(policyYaml(ps));
}

TEST(Differential, EngineAgreesWithTheReferenceOnRandomWorlds) {
  std::mt19937_64 rng(20261122);
  constexpr int kWorlds = 500;
  constexpr int kRequestsPerWorld = 200;  // 100,000 decisions in all
  long compared = 0, allowed = 0, forbids_seen = 0, scope_denials = 0;
  for (int wi = 0; wi < kWorlds; ++wi) {
    World w = randomWorld(rng);
    auto set = compilePolicies(w.policies);
    ASSERT_TRUE(set) << policyYaml(w.policies);
    auto snap = snapshotOf(set, w.dir);
    ASSERT_TRUE(snap);
    // Same rules, other order.
    auto reversed = w.policies;
    std::reverse(reversed.begin(), reversed.end());
    auto snap_rev = snapshotOf(compilePolicies(reversed), w.dir);
    ASSERT_TRUE(snap_rev);
    Ref ref{w, *set};
    for (int qi = 0; qi < kRequestsPerWorld; ++qi) {
      OwnedRequest q = randomRequest(rng, w);
      const Decision got = snap->authorize(q.r);
      const Decision want = ref.decide(q.r);
      ASSERT_EQ(got.allowed, want.allowed) << "world " << wi << " request " << qi << " " << q.admin << " "
                                           << (q.r.action < allActions().size() ? actionInfo(q.r.action).name : "?")
                                           << " org=" << q.org << "\n" << policyYaml(w.policies);
      ASSERT_EQ(got.reason, want.reason) << "world " << wi << " request " << qi << " got "
                                         << reasonName(got.reason) << " want " << reasonName(want.reason);
      ++compared;
      // Allow implies some grant matched: the effective role holds the action, or a permit.
      if (got.allowed) {
        ++allowed;
        bool explained = got.decided_by == "builtin:self";
        if (auto role = set->findRole(got.decided_by)) explained = set->role(*role).actions.has(q.r.action);
        for (const auto& p : w.policies)
          if (!p.forbid && p.id == got.decided_by) explained = true;
        EXPECT_TRUE(explained) << got.decided_by;
      }
      if (got.reason == Reason::kForbiddenByPolicy) ++forbids_seen;
      if (got.reason == Reason::kSessionScope) ++scope_denials;
      // Reordering rules changes nothing.
      const Decision rev = snap_rev->authorize(q.r);
      ASSERT_EQ(rev.allowed, got.allowed);
      ASSERT_EQ(rev.reason, got.reason);
    }
  }
  EXPECT_EQ(compared, kWorlds * kRequestsPerWorld);
  // The generator must exercise both outcomes and the policies.
  EXPECT_GT(allowed, compared / 20);
  EXPECT_LT(allowed, compared);
  EXPECT_GT(forbids_seen, 100);
  EXPECT_GT(scope_denials, 1000);
}

TEST(Differential, AnyMatchingForbidDenies) {
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int wi = 0; wi < 200; ++wi) {
    World w = randomWorld(rng);
    // One unconditional forbid on a random action.
    const auto actions = allActions();
    Policy f{"always", true, {std::string(actions[wi % actions.size()].name)}, {}, {}};
    w.policies.push_back(f);
    auto snap = snapshotOf(compilePolicies(w.policies), w.dir);
    ASSERT_TRUE(snap);
    for (int qi = 0; qi < 100; ++qi) {
      OwnedRequest q = randomRequest(rng, w);
      q.r.action = static_cast<ActionId>(wi % actions.size());
      q.bind();
      EXPECT_FALSE(snap->authorize(q.r).allowed);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20000);
}

TEST(Differential, ChangingOrgBGrantsNeverChangesDecisionsInOrgA) {
  std::mt19937_64 rng(99);
  long compared = 0;
  for (int wi = 0; wi < 300; ++wi) {
    World w = randomWorld(rng);
    auto set = compilePolicies(w.policies);
    auto snap = snapshotOf(set, w.dir);
    ASSERT_TRUE(snap);
    // Org B: rewrite every admin's grant on it (add, drop, change role or expiry).
    const std::string b = w.dir.providers[wi % 2].organizations[wi % 4].id;
    World changed = w;
    for (auto& a : changed.dir.admins) {
      auto it = std::find_if(a.organizations.begin(), a.organizations.end(),
                             [&](const GrantData& g) { return g.organization == b; });
      if (a.provider != w.dir.providers[wi % 2].id) continue;
      if (it == a.organizations.end()) a.organizations.push_back(GrantData{b, kRoles[wi % kRoles.size()], std::nullopt});
      else if (wi % 3 == 0) a.organizations.erase(it);
      else {
        it->role = kRoles[(wi + 3) % kRoles.size()];
        it->expires_at = kNow - 1;
      }
    }
    auto snap_b = snapshotOf(set, changed.dir);
    ASSERT_TRUE(snap_b);
    for (int qi = 0; qi < 200; ++qi) {
      OwnedRequest q = randomRequest(rng, w);
      if (q.org == b || q.org.empty()) continue;
      if (q.r.action == kNoAction || actionInfo(q.r.action).scope != Scope::kOrg) continue;
      const Decision x = snap->authorize(q.r), y = snap_b->authorize(q.r);
      ASSERT_EQ(x.allowed, y.allowed);
      ASSERT_EQ(x.reason, y.reason);
      ++compared;
    }
  }
  EXPECT_GT(compared, 10000);
}

}  // namespace
}  // namespace mtp::engine
