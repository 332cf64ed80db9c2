// mtpctl access-review: the access review of one provider (the same use case and rendering
// as GET /api/v2/providers/{pid}/access-review), from the database directly:
//   mtpctl access-review --db URL --provider PID [--format csv|json] [--policies DIR]
// The directory comes from the database, the policies from --policies (default
// policies/builtin, as mtpd). Exit codes: 0 printed, 1 the database or the policies failed,
// 2 bad input (an unknown provider, a bad format).
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `access-review` subcommand to `app`; it sets exitCode().
void addAccessReviewCommand(CLI::App& app);

}  // namespace mtp::ctl
