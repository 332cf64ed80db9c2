// The decision procedure of spec/authorization.md, written once and instantiated twice: with a
// tracer that records nothing (authorize: no allocation, no string compare beyond the id
// lookups) and with one that records every check and policy consulted (explain).
#pragma once

#include <new>
#include <string>
#include <type_traits>

#include "authorizer/directory_index.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"
#include "authorizer/policy_plan.h"
#include "mtp/engine/coverage.h"
#include "policy/compiled.h"

namespace mtp::engine::detail {

struct NoTrace {
  static constexpr bool kOn = false;
  static constexpr bool kCover = false;
  void step(std::string_view, std::string_view, bool, std::string_view = {}) {}
  void role(RoleId, bool) {}
};

struct RecordTrace {
  static constexpr bool kOn = true;
  static constexpr bool kCover = false;
  void role(RoleId, bool) {}
  std::vector<TraceStep>* out;
  void step(std::string_view check, std::string_view subject, bool passed,
            std::string_view detail = {}) {
    out->push_back(TraceStep{std::string(check), std::string(subject), passed, std::string(detail)});
  }
};

// Records coverage (Snapshot::authorize with a PolicyCoverage): the roles check 7 asked and
// every condition evaluated, with its outcome. Evaluates plans exactly as evalPlan does.
struct CoverTrace {
  static constexpr bool kOn = false;
  static constexpr bool kCover = true;
  PolicyCoverage* cov;
  void step(std::string_view, std::string_view, bool, std::string_view = {}) {}
  void role(RoleId id, bool granted) {
    if (id >= cov->role_consulted.size()) return;
    ++cov->role_consulted[id];
    if (granted) ++cov->role_granted[id];
  }
  static void count(ConditionCoverage& c, Tri t) {
    ++c.evaluated;
    if (t == Tri::kTrue) ++c.true_count;
    else if (t == Tri::kFalse) ++c.false_count;
    else ++c.error_count;
  }
  Tri eval(std::uint16_t pi, const PolicyPlan& p, const EvalContext& ctx, std::uint64_t principal_bits,
           std::uint64_t org_bits, bool forbid) {
    if (pi >= cov->policies.size()) return evalPlan(p, ctx, principal_bits, org_bits);  // another set's
    PolicyCoverageEntry& e = cov->policies[pi];
    ++e.evaluated;
    const Tri v = [&] {
      bool when_error = false;
      for (std::size_t i = 0; i < p.when.size(); ++i) {
        const Tri t = condValue(p.when[i], ctx, principal_bits, org_bits);
        count(e.when[i], t);
        if (t == Tri::kFalse) return Tri::kFalse;
        if (t == Tri::kError) when_error = true;
      }
      if (when_error) return Tri::kError;
      bool unless_error = false;
      for (std::size_t i = 0; i < p.unless.size(); ++i) {
        const Tri t = condValue(p.unless[i], ctx, principal_bits, org_bits);
        count(e.unless[i], t);
        if (t == Tri::kTrue) return Tri::kFalse;
        if (t == Tri::kError) unless_error = true;
      }
      return unless_error ? Tri::kError : Tri::kTrue;
    }();
    // A permit applies when it matched; a forbid denies when it matched or errored.
    if (v == Tri::kTrue || (forbid && v == Tri::kError)) ++e.applied;
    return v;
  }
};

// One policy's plan, counted when the tracer records coverage.
template <class Tracer>
inline Tri evalTraced(Tracer& t, std::uint16_t pi, const PolicyPlan& p, const EvalContext& ctx,
                      std::uint64_t principal_bits, std::uint64_t org_bits, bool forbid) {
  if constexpr (Tracer::kCover) return t.eval(pi, p, ctx, principal_bits, org_bits, forbid);
  else return evalPlan(p, ctx, principal_bits, org_bits);
}

// The same for a request on an org: the context is built only if a condition needs it
// (coverage counts every condition evaluated, in order, so it takes evalTraced).
template <class Tracer, class Context>
inline Tri evalOnOrg(Tracer& t, std::uint16_t pi, const PolicyPlan& p, const Context& context,
                     std::uint64_t principal_bits, std::uint64_t org_bits, bool forbid) {
  if constexpr (Tracer::kCover) return t.eval(pi, p, context(), principal_bits, org_bits, forbid);
  else return evalPlanWithOrg(p, context, principal_bits, org_bits);
}

enum class Reach : std::uint8_t { kOk, kNotGranted, kExpired };

// Whether an admin (allOrganizations, default role) with `grant` (its grant on the org, or
// null) reaches the org at `now`, and the effective role there.
inline Reach reachWith(const DirectoryIndex& ix, const GrantSlot* grant, bool all_organizations,
                       RoleId default_role, UnixTime now, RoleId& effective) {
  const bool live = grant && !ix.expired(*grant, now);
  if (all_organizations) {
    effective = live && grant->role != kNoRole ? grant->role : default_role;
    return Reach::kOk;
  }
  if (!grant) return Reach::kNotGranted;
  if (!live) return Reach::kExpired;
  effective = grant->role != kNoRole ? grant->role : default_role;
  return Reach::kOk;
}

// The same from dense indices (the escalation check).
inline Reach reachOrg(const DirectoryIndex& ix, std::uint32_t a, std::uint32_t o, UnixTime now, RoleId& effective) {
  const AdminRec& admin = ix.admins[a];
  const GrantSlot* grant = admin.grant_count ? ix.findGrant(admin.hash, ix.orgs[o].hash, a, o) : nullptr;
  return reachWith(ix, grant, admin.all_organizations, admin.role, now, effective);
}

inline Decision deny(Reason r, std::string_view by) { return Decision{false, r, by}; }

// Check 5's `session_scope`: does the credential's scope cover `action` on `org` (the org the
// request is decided on)? An enrollment-only session reaches its own MFA enrollment and
// logout; an org launch session org-scoped actions on its launch org, and logout.
inline bool sessionCovers(const Request& r, const ActionInfo& info, std::string_view org) {
  switch (r.session_scope) {
    case SessionScope::kFull:
      return true;
    case SessionScope::kEnrollmentOnly:
      return mfaExemptActions().has(r.action);
    case SessionScope::kOrgLaunch:
      if (info.scope == Scope::kOrg) return !r.launch_org.empty() && org == r.launch_org;
      return info.name == "self.logout";
  }
  return false;
}

// The escalation check: does the target get a role or org beyond the acting admin's own?
template <class Tracer>
bool escalates(const PolicySet& ps, const DirectoryIndex& ix, std::uint32_t a,
               const Request& r, Tracer& t) {
  const Target& target = r.target;
  const AdminRec& actor = ix.admins[a];
  const auto& roles = ps.compiled().roles;
  const ActionSet own = roles[actor.role].info.actions;
  if (!target.role.empty()) {
    const auto rid = ps.findRole(target.role);
    if (!rid || !own.containsAll(roles[*rid].info.actions)) {
      if constexpr (Tracer::kOn)
        t.step("escalation", target.role, false,
               rid ? "the role holds actions the acting admin's role lacks" : "unknown role");
      return true;
    }
  }
  if (target.all_organizations && !actor.all_organizations) {
    if constexpr (Tracer::kOn)
      t.step("escalation", "allOrganizations", false, "the acting admin does not reach every org");
    return true;
  }
  for (const TargetGrant& g : target.organizations) {
    const auto o = ix.findOrg(g.organization);
    RoleId there = kNoRole;
    if (o == kNotFound || ix.orgs[o].provider != actor.provider ||
        reachOrg(ix, a, o, r.time, there) != Reach::kOk) {
      if constexpr (Tracer::kOn)
        t.step("escalation", g.organization, false, "the acting admin cannot reach this org");
      return true;
    }
    // The target's role there: its per-org role, else its default role.
    const std::string_view role_there = g.role.empty() ? target.role : g.role;
    if (!role_there.empty()) {
      const auto rid = ps.findRole(role_there);
      if (!rid || !roles[there].info.actions.containsAll(roles[*rid].info.actions)) {
        if constexpr (Tracer::kOn)
          t.step("escalation", g.organization, false,
                 "the target's role there holds actions the acting admin lacks in this org");
        return true;
      }
    }
  }
  if constexpr (Tracer::kOn) t.step("escalation", "target", true);
  return false;
}

// What conditions see: the request, the principal, the org and the target, resolved once.
struct PolicyContext {
  OrgView org;
  EvalContext ctx;
};

// The context conditions evaluated per request see. Ids, emails, org names and tags are
// filled only when such a condition is evaluated per request (PolicyPlans::needs_names):
// usually their values are precomputed bits, and a decision touches no record but the slots.
[[gnu::noinline]] inline void buildPolicyContext(PolicyContext& pc, const PolicySet& ps, const DirectoryIndex& ix,
                                                 const Request& r, const AdminSlot& admin, RoleId role,
                                                 Scope scope, std::uint32_t o) {
  EvalContext& ctx = pc.ctx;
  const bool names = ix.plans.needs_names;
  ctx.request = &r;
  ctx.action = r.action;
  ctx.principal = PrincipalView{};
  if (names) {
    ctx.principal.id = ix.admins[admin.index].id;
    ctx.principal.email = ix.admin_emails[admin.index];
    ctx.principal.provider = ix.providers[ix.admin_provider[admin.index]].id;
  }
  ctx.principal.default_role = admin.role;
  ctx.principal.role = role;
  ctx.principal.mfa_required = admin.mfaRequired();
  ctx.principal.api_key_allowed = admin.apiKeyAllowed();
  ctx.principal.all_organizations = admin.allOrganizations();
  if (scope == Scope::kOrg) {
    pc.org = names ? OrgView{ix.orgs[o].id, ix.org_names[o], ix.org_tags[o]} : OrgView{};
    ctx.org = &pc.org;
  }
  ctx.target = TargetView{r.target.present ? &r.target : nullptr, kNoRole};
  if (r.target.present && !r.target.role.empty()) {
    if (auto tr = ps.findRole(r.target.role)) ctx.target.role = *tr;
  }
}

// A list over every org the admin reaches: some role the admin holds must have the action.
template <class Tracer>
[[gnu::noinline]] Decision decideAnyOrg(const CompiledPolicies& cp, const DirectoryIndex& ix, const Request& r,
                                        Tracer& t, std::uint32_t a) {
  const auto& roles = cp.roles;
  const AdminRec& rec = ix.admins[a];
  if (roles[rec.role].info.actions.has(r.action)) {
    if constexpr (Tracer::kOn) t.step("role_lacks_action", roles[rec.role].info.id, true, "any org");
    return Decision{true, Reason::kAllowed, roles[rec.role].info.id};
  }
  for (std::uint32_t g = rec.first_grant; g < rec.first_grant + rec.grant_count; ++g) {
    const GrantRec& gr = ix.grants[g];
    if (gr.role == kNoRole || (gr.expires && gr.expires_at <= r.time)) continue;
    if (roles[gr.role].info.actions.has(r.action)) {
      if constexpr (Tracer::kOn) t.step("role_lacks_action", roles[gr.role].info.id, true, "any org");
      return Decision{true, Reason::kAllowed, roles[gr.role].info.id};
    }
  }
  t.step("role_lacks_action", roles[rec.role].info.id, false, "no role the admin holds has it");
  return deny(Reason::kRoleLacksAction, roles[rec.role].info.id);
}

// Checks 7-9 with the effective role known: the role or a custom permit, escalation, forbids.
template <class Tracer>
[[gnu::noinline]] Decision decidePolicies(const PolicySet& ps, const DirectoryIndex& ix, const Request& r,
                                          Tracer& t, const AdminSlot* admin, std::uint32_t a, RoleId role,
                                          Scope scope, const OrgSlot* org, std::uint32_t o) {
  const auto& cp = ps.compiled();
  const ActionMeta& actions = ix.actions;

  // What policies see; built only when a policy is consulted (the role-only path reads no
  // names, tags or emails, and does not even zero the context).
  // Raw storage, not std::optional: GCC zeroes an optional of this size on every decision.
  static_assert(std::is_trivially_destructible_v<PolicyContext>);
  alignas(PolicyContext) unsigned char policy_storage[sizeof(PolicyContext)];
  const PolicyContext* policy_ctx = nullptr;
  auto context = [&]() -> const EvalContext& {
    if (policy_ctx == nullptr) {
      auto* pc = ::new (static_cast<void*>(policy_storage)) PolicyContext;
      buildPolicyContext(*pc, ps, ix, r, *admin, role, scope, o);
      policy_ctx = pc;
    }
    return policy_ctx->ctx;
  };

  // The org's static policy conditions, read when a policy is evaluated.
  auto orgBits = [&]() -> std::uint64_t { return org != nullptr ? ix.org_bits[o] : 0; };

  // 7. role_lacks_action: the effective role, or else a custom permit.
  const std::string_view role_id = cp.roles[role].info.id;
  std::string_view granted_by;
  if (scope == Scope::kSelf) {
    granted_by = "builtin:self";
  } else if (cp.roles[role].info.actions.has(r.action)) {
    if constexpr (Tracer::kCover) t.role(role, true);
    granted_by = role_id;
  } else {
    if constexpr (Tracer::kCover) t.role(role, false);
    for (std::uint16_t pi : cp.permits_by_action[r.action]) {
      const CompiledPolicy& p = cp.policies[pi];
      const Tri v = org != nullptr
                        ? evalOnOrg(t, pi, ix.plans.by_policy[pi], context, ix.admin_bits[a], ix.org_bits[o], false)
                        : evalTraced(t, pi, ix.plans.by_policy[pi], context(), ix.admin_bits[a], orgBits(), false);
      if constexpr (Tracer::kOn)
        t.step("policy", p.info.id, v == Tri::kTrue,
               v == Tri::kError ? "permit errored: skipped" : (v == Tri::kTrue ? "permit matched" : "permit did not match"));
      if (v == Tri::kTrue) {
        granted_by = p.info.id;
        break;
      }
    }
  }
  if (granted_by.empty()) {
    t.step("role_lacks_action", role_id, false);
    return deny(Reason::kRoleLacksAction, role_id);
  }
  if constexpr (Tracer::kOn) t.step("role_lacks_action", granted_by, true);

  // 8. escalation
  if (r.target.present && actions.escalation.has(r.action) && escalates(ps, ix, a, r, t))
    return deny(Reason::kEscalation, "check:escalation");

  // 9. forbidden_by_policy: any matching (or erroring) forbid denies.
  for (std::uint16_t pi : cp.forbids_by_action[r.action]) {
    const CompiledPolicy& p = cp.policies[pi];
    const Tri v = org != nullptr
                      ? evalOnOrg(t, pi, ix.plans.by_policy[pi], context, ix.admin_bits[a], ix.org_bits[o], true)
                      : evalTraced(t, pi, ix.plans.by_policy[pi], context(), ix.admin_bits[a], orgBits(), true);
    if constexpr (Tracer::kOn)
      t.step("policy", p.info.id, v == Tri::kFalse,
             v == Tri::kError ? "forbid errored: denies" : (v == Tri::kTrue ? "forbid matched" : "forbid did not match"));
    if (v != Tri::kFalse) return deny(Reason::kForbiddenByPolicy, p.info.id);
  }
  return Decision{true, Reason::kAllowed, granted_by};
}

template <class Tracer>
Decision decide(const PolicySet& ps, const DirectoryIndex& ix, const Request& r, Tracer& t) {
  const auto& cp = ps.compiled();
  const ActionMeta& actions = ix.actions;
  // 1. unknown_action
  if (r.action >= actions.count) {
    t.step("unknown_action", "action", false);
    return deny(Reason::kUnknownAction, "check:unknown_action");
  }
  const Scope scope = actions.scope[r.action];
  if constexpr (Tracer::kOn) t.step("unknown_action", actionInfo(r.action).name, true);
  // An org launch session asking about any org is asked about its one org.
  const bool launch_any = r.any_organization && r.session_scope == SessionScope::kOrgLaunch;
  const std::string_view org_id = launch_any ? r.launch_org : r.organization;
  const bool any_org = r.any_organization && !launch_any;

  // Each id is read and hashed once. The admin's slot, the org's slot and the grant slot of
  // the pair are addressed by those hashes alone: their cache lines are fetched together.
  const bool names_org = scope == Scope::kOrg && !org_id.empty();
  const IdKey ka = idKey(r.admin);
  const IdKey ko = names_org ? idKey(org_id) : IdKey{};
  ix.admin_table.prefetch(ka.hash);
  if (names_org) {
    ix.org_table.prefetch(ko.hash);
    ix.grant_table.prefetch(pairHash(ka.hash, ko.hash));
  }

  // 2. unknown_admin, provider_mismatch
  const AdminSlot* admin = ix.findAdminSlot(r.admin, ka);
  if (admin == nullptr) {
    t.step("unknown_admin", r.admin, false);
    return deny(Reason::kUnknownAdmin, "check:unknown_admin");
  }
  const std::uint32_t a = admin->index;
  const OrgSlot* org = names_org ? ix.findOrgSlot(org_id, ko) : nullptr;
  const std::uint32_t o = org != nullptr ? org->index : kNotFound;
  // The admin's grant on the org (check 6 reads it); one implies the org is the admin's
  // provider's, so the org's provider is read only without one.
  const GrantSlot* grant = org != nullptr && admin->hasGrants() ? ix.findGrant(ka.hash, ko.hash, a, o) : nullptr;
  const bool other_provider =
      (!r.provider.empty() && r.provider != std::string_view(ix.providers[ix.admin_provider[a]].id)) ||
      (org != nullptr && grant == nullptr && ix.org_provider[o] != ix.admin_provider[a]);
  if (other_provider) {
    t.step("provider_mismatch", r.provider.empty() ? org_id : r.provider, false);
    return deny(Reason::kProviderMismatch, "check:provider_mismatch");
  }
  if constexpr (Tracer::kOn) t.step("provider_mismatch", ix.providers[ix.admin_provider[a]].id, true);

  // Checks 3-5 pass at once when the request's own bits meet none of the admin's flags (not
  // active; no API key allowed, for an API key; MFA required, without verified MFA), the
  // credential is a full one and the action is not generating an API key. Otherwise, or when
  // tracing, they are made one by one, in order.
  const bool self_apikey = r.action == actions.self_apikey;
  const unsigned request_bits = AdminSlot::kNotActive |
                                (r.auth_method == AuthMethod::kApiKey ? AdminSlot::kNoApiKey : 0u) |
                                (r.mfa ? 0u : AdminSlot::kMfaRequired);
  if (Tracer::kOn || (admin->flags & request_bits) != 0 || r.session_scope != SessionScope::kFull || self_apikey) {
    // 3. admin_not_active
    if (!admin->active()) {
      if constexpr (Tracer::kOn) t.step("admin_not_active", adminStatusName(ix.admins[a].status), false);
      return deny(Reason::kAdminNotActive, "check:admin_not_active");
    }
    if constexpr (Tracer::kOn) t.step("admin_not_active", "active", true);

    // 4. api_access_disabled: an API key without apiKeyAllowed. (Generating one without it is
    // refused after check 5, so an unverified or enrollment-only session hears mfa_required.)
    if (!admin->apiKeyAllowed() && r.auth_method == AuthMethod::kApiKey) {
      t.step("api_access_disabled", "apiKeyAllowed", false);
      return deny(Reason::kApiAccessDisabled, "check:api_access_disabled");
    }
    if constexpr (Tracer::kOn) t.step("api_access_disabled", "apiKeyAllowed", true);

    // 5. mfa_required: an API key is its own credential, except for generating a key.
    const bool mfa_required = admin->mfaRequired();  // enableMultiFactor or requireAdminMFA
    if (mfa_required && !r.mfa && !actions.mfa_exempt.has(r.action) &&
        (r.auth_method == AuthMethod::kSession || self_apikey)) {
      if constexpr (Tracer::kOn)
        t.step("mfa_required",
               ix.providers[ix.admin_provider[a]].require_admin_mfa ? "requireAdminMFA" : "enableMultiFactor", false);
      return deny(Reason::kMfaRequired, "check:mfa_required");
    }
    if constexpr (Tracer::kOn) t.step("mfa_required", mfa_required ? "verified" : "not required", true);

    // 5, session_scope: the credential's scope covers the request.
    if (r.session_scope != SessionScope::kFull && !sessionCovers(r, actionInfo(r.action), org_id)) {
      t.step("session_scope", r.session_scope == SessionScope::kOrgLaunch ? r.launch_org : "enrollment", false);
      return deny(Reason::kSessionScope, "check:session_scope");
    }
    if constexpr (Tracer::kOn) t.step("session_scope", "covered", true);
    if (self_apikey && !admin->apiKeyAllowed()) {
      t.step("api_access_disabled", "apiKeyAllowed", false);
      return deny(Reason::kApiAccessDisabled, "check:api_access_disabled");
    }
  }

  if (scope == Scope::kOrg && any_org) return decideAnyOrg(cp, ix, r, t, a);


  // 6. org_unknown, org_not_granted, grant_expired
  RoleId role = admin->role;
  if (scope == Scope::kOrg) {
    if (org == nullptr) {
      t.step("org_unknown", org_id, false);
      return deny(Reason::kOrgUnknown, "check:org_unknown");
    }
    switch (reachWith(ix, grant, admin->allOrganizations(), admin->role, r.time, role)) {
      case Reach::kNotGranted:
        t.step("org_not_granted", org_id, false);
        return deny(Reason::kOrgNotGranted, "check:org_not_granted");
      case Reach::kExpired:
        t.step("grant_expired", org_id, false);
        return deny(Reason::kGrantExpired, "check:grant_expired");
      case Reach::kOk:
        break;
    }
    if constexpr (Tracer::kOn)
      t.step("org_not_granted", ix.orgs[o].id, true, admin->allOrganizations() ? "allOrganizations" : "granted");
  }

  // 7-9 for the usual request (no custom policy on the action, no target): the effective role
  // decides. Otherwise, and when tracing or counting coverage, decidePolicies.
  if constexpr (!Tracer::kOn && !Tracer::kCover) {
    if (!actions.policed.has(r.action) && !r.target.present) [[likely]] {
      if (scope == Scope::kSelf) return Decision{true, Reason::kAllowed, "builtin:self"};
      const auto& info = cp.roles[role].info;
      if (info.actions.has(r.action)) return Decision{true, Reason::kAllowed, info.id};
      return deny(Reason::kRoleLacksAction, info.id);
    }
  }
  return decidePolicies(ps, ix, r, t, admin, a, role, scope, org, o);
}

}  // namespace mtp::engine::detail
