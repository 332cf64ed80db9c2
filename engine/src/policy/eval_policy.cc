#include "policy/compiled.h"

namespace mtp::engine::detail {

// A false `when` settles the outcome even if another `when` errored: the policy cannot
// apply whatever the missing attribute held. Likewise a true `unless`.
Tri evalPolicy(const CompiledPolicy& p, const EvalContext& ctx) {
  bool when_error = false;
  for (const auto& c : p.when) {
    Tri t = c->eval(ctx);
    if (t == Tri::kFalse) return Tri::kFalse;
    if (t == Tri::kError) when_error = true;
  }
  if (when_error) return Tri::kError;
  bool unless_error = false;
  for (const auto& c : p.unless) {
    Tri t = c->eval(ctx);
    if (t == Tri::kTrue) return Tri::kFalse;
    if (t == Tri::kError) unless_error = true;
  }
  return unless_error ? Tri::kError : Tri::kTrue;
}

}  // namespace mtp::engine::detail
