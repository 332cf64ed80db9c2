// Reads one policy file's YAML into RawRole/RawPolicy blocks: the structural checks (known
// keys, required keys, value shapes). The only place that touches yaml-cpp; its exceptions
// stop here.
#pragma once

#include <string>
#include <string_view>

#include "policy/diagnostic_sink.h"
#include "policy/raw.h"

namespace mtp::engine::detail {

// Limits on one policy file, checked before (size) and while (the rest) yaml-cpp reads it, so
// no file can make the reader work long: yaml-cpp recurses per nesting level, and an alias
// shares its anchor's node, which a reader walking the tree would visit once per alias.
inline constexpr std::size_t kMaxPolicyFileBytes = 1 << 20;
inline constexpr int kMaxPolicyYamlDepth = 16;             // nested maps and lists
inline constexpr std::size_t kMaxPolicyYamlNodes = 100000;  // scalars, maps and lists
// Anchors (`&a`) and aliases (`*a`) are rejected: a policy file never needs them.

// Appends the file's blocks to `out`; problems go to `sink`.
void readPolicyYaml(const std::string& file, std::string_view text, RawSet& out,
                    DiagnosticSink& sink);

}  // namespace mtp::engine::detail
