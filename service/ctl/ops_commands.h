// mtpctl's operator commands, on the database directly (no running mtpd needed):
//   mtpctl provider create --db URL --name NAME --owner-email E --owner-password P
//   mtpctl outbox list --db URL [--all] [--limit N]
// Exit codes: 0 done, 1 the database failed or refused (schema not current, unreachable),
// 2 bad input (password policy, existing email, malformed URL).
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `provider` and `outbox` subcommands to `app`; they set exitCode().
void addOpsCommands(CLI::App& app);

}  // namespace mtp::ctl
