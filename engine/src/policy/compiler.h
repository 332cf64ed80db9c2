// Validates the raw blocks of every file of a set and builds the compiled model: ids, role
// expansion (grants, includes, except), action patterns, and each condition type-checked and
// compiled. Every problem goes to the sink; the result is only meaningful if none was added.
#pragma once

#include <memory>

#include "policy/compiled.h"
#include "policy/diagnostic_sink.h"
#include "policy/raw.h"

namespace mtp::engine::detail {

std::unique_ptr<CompiledPolicies> compileRawSet(const RawSet& raw, DiagnosticSink& sink);

}  // namespace mtp::engine::detail
