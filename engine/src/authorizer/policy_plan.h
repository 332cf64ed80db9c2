// Policies as one snapshot evaluates them. A condition that reads only the principal's own
// attributes (id, email, provider, default role, its flags) or only the org's (id, name, tags)
// has the same value for every request of that admin or in that org: the snapshot evaluates it
// once per admin or per org at build time and keeps the results as bits in the admin's or the
// org's hot slot. A decision then evaluates only what depends on the request (MFA, method,
// address, time, effective role, action, target) and reads no names, emails or tags.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/compiled.h"

namespace mtp::engine::detail {

struct CondRef {
  enum Kind : std::uint8_t { kEval, kPrincipalBit, kOrgBit };
  const Condition* cond = nullptr;
  Kind kind = kEval;
  std::uint8_t bit = 0;
};

struct PolicyPlan {
  std::vector<CondRef> when, unless;
  // The same split for evalPlanWithOrg: the precomputed conditions as masks of their bits, the
  // others (evaluated per request) in order.
  std::uint64_t when_principal = 0, when_org = 0, unless_principal = 0, unless_org = 0;
  std::vector<CondRef> when_eval, unless_eval;
  void split() {
    for (const CondRef& c : when) {
      if (c.kind == CondRef::kPrincipalBit) when_principal |= std::uint64_t{1} << c.bit;
      else if (c.kind == CondRef::kOrgBit) when_org |= std::uint64_t{1} << c.bit;
      else when_eval.push_back(c);
    }
    for (const CondRef& c : unless) {
      if (c.kind == CondRef::kPrincipalBit) unless_principal |= std::uint64_t{1} << c.bit;
      else if (c.kind == CondRef::kOrgBit) unless_org |= std::uint64_t{1} << c.bit;
      else unless_eval.push_back(c);
    }
  }
};

struct PolicyPlans {
  std::vector<PolicyPlan> by_policy;  // by policy index
  // Some condition evaluated per request reads names (more than 64 static conditions, or one
  // whose static value errored): the context then carries ids, emails, names and tags.
  bool needs_names = false;
};

// The value of one condition: a precomputed bit, or evaluated.
inline Tri condValue(const CondRef& c, const EvalContext& ctx, std::uint64_t principal_bits,
                     std::uint64_t org_bits) {
  switch (c.kind) {
    case CondRef::kPrincipalBit: return ((principal_bits >> c.bit) & 1u) ? Tri::kTrue : Tri::kFalse;
    case CondRef::kOrgBit:
      if (ctx.org == nullptr) return Tri::kError;  // as the condition itself answers without an org
      return ((org_bits >> c.bit) & 1u) ? Tri::kTrue : Tri::kFalse;
    default: return c.cond->eval(ctx);
  }
}

// evalPolicy over a plan: the same three-valued outcome.
inline Tri evalPlan(const PolicyPlan& p, const EvalContext& ctx, std::uint64_t principal_bits,
                    std::uint64_t org_bits) {
  bool when_error = false;
  for (const CondRef& c : p.when) {
    const Tri t = condValue(c, ctx, principal_bits, org_bits);
    if (t == Tri::kFalse) return Tri::kFalse;
    if (t == Tri::kError) when_error = true;
  }
  if (when_error) return Tri::kError;
  bool unless_error = false;
  for (const CondRef& c : p.unless) {
    const Tri t = condValue(c, ctx, principal_bits, org_bits);
    if (t == Tri::kTrue) return Tri::kFalse;
    if (t == Tri::kError) unless_error = true;
  }
  return unless_error ? Tri::kError : Tri::kTrue;
}

// evalPlan for a request on an org (the context has one, so no org condition errors), with
// the precomputed conditions tested first as masks and `context()` (the EvalContext) asked for
// only when a condition is evaluated. The same outcome as evalPlan: a policy's value does not
// depend on the order its conditions are evaluated in (any false `when` is false, else any
// error is an error; then any true `unless` is false, else any error is an error).
template <class Context>
inline Tri evalPlanWithOrg(const PolicyPlan& p, const Context& context, std::uint64_t principal_bits,
                           std::uint64_t org_bits) {
  if ((principal_bits & p.when_principal) != p.when_principal || (org_bits & p.when_org) != p.when_org)
    return Tri::kFalse;
  bool when_error = false;
  for (const CondRef& c : p.when_eval) {
    const Tri t = c.cond->eval(context());
    if (t == Tri::kFalse) return Tri::kFalse;
    if (t == Tri::kError) when_error = true;
  }
  if (when_error) return Tri::kError;
  if ((principal_bits & p.unless_principal) != 0 || (org_bits & p.unless_org) != 0) return Tri::kFalse;
  bool unless_error = false;
  for (const CondRef& c : p.unless_eval) {
    const Tri t = c.cond->eval(context());
    if (t == Tri::kTrue) return Tri::kFalse;
    if (t == Tri::kError) unless_error = true;
  }
  return unless_error ? Tri::kError : Tri::kTrue;
}

}  // namespace mtp::engine::detail
