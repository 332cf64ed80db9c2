// `mtpctl policy impact`: replays logged decisions through the current and a candidate
// policy set on the same directory and reports what would flip (decisions/impact.h).
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds `impact` under the `policy` subcommand.
void addPolicyImpactCommand(CLI::App& policy);

}  // namespace mtp::ctl
