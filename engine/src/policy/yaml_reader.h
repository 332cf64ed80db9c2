// Reads one policy file's YAML into RawRole/RawPolicy blocks: the structural checks (known
// keys, required keys, value shapes). The only place that touches yaml-cpp; its exceptions
// stop here.
#pragma once

#include <string>
#include <string_view>

#include "policy/diagnostic_sink.h"
#include "policy/raw.h"

namespace mtp::engine::detail {

inline constexpr std::size_t kMaxPolicyFileBytes = 1 << 20;

// Appends the file's blocks to `out`; problems go to `sink`.
void readPolicyYaml(const std::string& file, std::string_view text, RawSet& out,
                    DiagnosticSink& sink);

}  // namespace mtp::engine::detail
