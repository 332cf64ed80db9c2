// The decision procedure of spec/authorization.md, written once and instantiated twice: with a
// tracer that records nothing (authorize: no allocation, no string compare beyond the id
// lookups) and with one that records every check and policy consulted (explain).
#pragma once

#include <string>

#include "authorizer/directory_index.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"
#include "policy/compiled.h"

namespace mtp::engine::detail {

struct NoTrace {
  static constexpr bool kOn = false;
  void step(std::string_view, std::string_view, bool, std::string_view = {}) {}
};

struct RecordTrace {
  static constexpr bool kOn = true;
  std::vector<TraceStep>* out;
  void step(std::string_view check, std::string_view subject, bool passed,
            std::string_view detail = {}) {
    out->push_back(TraceStep{std::string(check), std::string(subject), passed, std::string(detail)});
  }
};

enum class Reach : std::uint8_t { kOk, kNotGranted, kExpired };

// Whether admin `a` reaches org `o` at `now`, and the effective role there.
inline Reach reachOrg(const DirectoryIndex& ix, std::uint32_t a, std::uint32_t o, UnixTime now,
                      RoleId& effective) {
  const AdminRec& admin = ix.admins[a];
  const GrantRec* grant = admin.grant_count ? ix.findGrant(admin, o) : nullptr;
  const bool live = grant && !(grant->expires && grant->expires_at <= now);
  if (admin.all_organizations) {
    effective = live && grant->role != kNoRole ? grant->role : admin.role;
    return Reach::kOk;
  }
  if (!grant) return Reach::kNotGranted;
  if (!live) return Reach::kExpired;
  effective = grant->role != kNoRole ? grant->role : admin.role;
  return Reach::kOk;
}

inline ActionId selfApiKeyAction() {
  static const ActionId id = *findAction("self.apikey");
  return id;
}

inline Decision deny(Reason r, std::string_view by) { return Decision{false, r, by}; }

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

template <class Tracer>
Decision decide(const PolicySet& ps, const DirectoryIndex& ix, const Request& r, Tracer& t) {
  const auto& cp = ps.compiled();
  // 1. unknown_action
  if (r.action >= allActions().size()) {
    t.step("unknown_action", "action", false);
    return deny(Reason::kUnknownAction, "check:unknown_action");
  }
  const ActionInfo& info = actionInfo(r.action);
  if constexpr (Tracer::kOn) t.step("unknown_action", info.name, true);

  // 2. unknown_admin, provider_mismatch
  const std::uint32_t a = ix.findAdmin(r.admin);
  if (a == kNotFound) {
    t.step("unknown_admin", r.admin, false);
    return deny(Reason::kUnknownAdmin, "check:unknown_admin");
  }
  const AdminRec& admin = ix.admins[a];
  const ProviderRec& provider = ix.providers[admin.provider];
  std::uint32_t o = kNotFound;
  if (info.scope == Scope::kOrg && !r.organization.empty()) o = ix.findOrg(r.organization);
  const bool other_provider =
      (!r.provider.empty() && r.provider != std::string_view(provider.id)) ||
      (o != kNotFound && ix.orgs[o].provider != admin.provider);
  if (other_provider) {
    t.step("provider_mismatch", r.provider.empty() ? r.organization : r.provider, false);
    return deny(Reason::kProviderMismatch, "check:provider_mismatch");
  }
  if constexpr (Tracer::kOn) t.step("provider_mismatch", provider.id, true);

  // 3. admin_not_active
  if (admin.status != AdminStatus::kActive) {
    t.step("admin_not_active", adminStatusName(admin.status), false);
    return deny(Reason::kAdminNotActive, "check:admin_not_active");
  }
  if constexpr (Tracer::kOn) t.step("admin_not_active", "active", true);

  // 4. api_access_disabled: an API key without apiKeyAllowed, or generating one without it.
  const bool self_apikey = r.action == selfApiKeyAction();
  if (!admin.api_key_allowed && (r.auth_method == AuthMethod::kApiKey || self_apikey)) {
    t.step("api_access_disabled", "apiKeyAllowed", false);
    return deny(Reason::kApiAccessDisabled, "check:api_access_disabled");
  }
  if constexpr (Tracer::kOn) t.step("api_access_disabled", "apiKeyAllowed", true);

  // 5. mfa_required: an API key is its own credential, except for generating a key.
  const bool mfa_required = admin.enable_multi_factor || provider.require_admin_mfa;
  if (mfa_required && !r.mfa && !mfaExemptActions().has(r.action) &&
      (r.auth_method == AuthMethod::kSession || self_apikey)) {
    t.step("mfa_required", provider.require_admin_mfa ? "requireAdminMFA" : "enableMultiFactor", false);
    return deny(Reason::kMfaRequired, "check:mfa_required");
  }
  if constexpr (Tracer::kOn) t.step("mfa_required", mfa_required ? "verified" : "not required", true);

  // A list over every org the admin reaches: some role the admin holds must have the action.
  if (info.scope == Scope::kOrg && r.any_organization) {
    const auto& roles = cp.roles;
    if (roles[admin.role].info.actions.has(r.action)) {
      if constexpr (Tracer::kOn) t.step("role_lacks_action", roles[admin.role].info.id, true, "any org");
      return Decision{true, Reason::kAllowed, roles[admin.role].info.id};
    }
    for (std::uint32_t g = admin.first_grant; g < admin.first_grant + admin.grant_count; ++g) {
      const GrantRec& gr = ix.grants[g];
      if (gr.role == kNoRole || (gr.expires && gr.expires_at <= r.time)) continue;
      if (roles[gr.role].info.actions.has(r.action)) {
        if constexpr (Tracer::kOn) t.step("role_lacks_action", roles[gr.role].info.id, true, "any org");
        return Decision{true, Reason::kAllowed, roles[gr.role].info.id};
      }
    }
    t.step("role_lacks_action", roles[admin.role].info.id, false, "no role the admin holds has it");
    return deny(Reason::kRoleLacksAction, roles[admin.role].info.id);
  }

  // 6. org_unknown, org_not_granted, grant_expired
  RoleId role = admin.role;
  if (info.scope == Scope::kOrg) {
    if (o == kNotFound) {
      t.step("org_unknown", r.organization, false);
      return deny(Reason::kOrgUnknown, "check:org_unknown");
    }
    switch (reachOrg(ix, a, o, r.time, role)) {
      case Reach::kNotGranted:
        t.step("org_not_granted", r.organization, false);
        return deny(Reason::kOrgNotGranted, "check:org_not_granted");
      case Reach::kExpired:
        t.step("grant_expired", r.organization, false);
        return deny(Reason::kGrantExpired, "check:grant_expired");
      case Reach::kOk:
        break;
    }
    if constexpr (Tracer::kOn)
      t.step("org_not_granted", ix.orgs[o].id, true, admin.all_organizations ? "allOrganizations" : "granted");
  }

  // What policies see; built only when a policy is consulted (the role-only path reads no
  // names, tags or emails).
  OrgView org_view;
  EvalContext ctx;
  bool ctx_built = false;
  auto context = [&]() -> const EvalContext& {
    if (ctx_built) return ctx;
    ctx_built = true;
    ctx.request = &r;
    ctx.action = r.action;
    ctx.principal = PrincipalView{admin.id,   ix.admin_emails[a], provider.id,
                                  admin.role, role,               mfa_required,
                                  admin.api_key_allowed, admin.all_organizations};
    if (info.scope == Scope::kOrg) {
      org_view = OrgView{ix.orgs[o].id, ix.org_names[o], ix.org_tags[o]};
      ctx.org = &org_view;
    }
    ctx.target = TargetView{r.target.present ? &r.target : nullptr, kNoRole};
    if (r.target.present && !r.target.role.empty()) {
      if (auto tr = ps.findRole(r.target.role)) ctx.target.role = *tr;
    }
    return ctx;
  };

  // 7. role_lacks_action: the effective role, or else a custom permit.
  const std::string_view role_id = cp.roles[role].info.id;
  std::string_view granted_by;
  if (info.scope == Scope::kSelf) {
    granted_by = "builtin:self";
  } else if (cp.roles[role].info.actions.has(r.action)) {
    granted_by = role_id;
  } else {
    for (std::uint16_t pi : cp.permits_by_action[r.action]) {
      const CompiledPolicy& p = cp.policies[pi];
      const Tri v = evalPolicy(p, context());
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
  if (r.target.present && escalationActions().has(r.action) && escalates(ps, ix, a, r, t))
    return deny(Reason::kEscalation, "check:escalation");

  // 9. forbidden_by_policy: any matching (or erroring) forbid denies.
  for (std::uint16_t pi : cp.forbids_by_action[r.action]) {
    const CompiledPolicy& p = cp.policies[pi];
    const Tri v = evalPolicy(p, context());
    if constexpr (Tracer::kOn)
      t.step("policy", p.info.id, v == Tri::kFalse,
             v == Tri::kError ? "forbid errored: denies" : (v == Tri::kTrue ? "forbid matched" : "forbid did not match"));
    if (v != Tri::kFalse) return deny(Reason::kForbiddenByPolicy, p.info.id);
  }
  return Decision{true, Reason::kAllowed, granted_by};
}

}  // namespace mtp::engine::detail
