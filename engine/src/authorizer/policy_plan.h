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

}  // namespace mtp::engine::detail
