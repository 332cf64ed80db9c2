// mtpctl's billing commands, on the database directly (no running mtpd needed):
//   mtpctl billing set-price   --db URL --provider ID --cents N [--user-cap N]
//   mtpctl billing close-month --db URL [--provider ID] [--month YYYY-MM]
//   mtpctl billing snapshot    --db URL [--provider ID --org ID --users N --devices N]
// close-month bills each provider's high-water mark of the month (default: the previous
// month, UTC) at its price per user as one invoice; a second run for the same month does
// nothing. Exit codes: 0 done, 1 the database failed or refused, 2 bad input.
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `billing` subcommand to `app`; its commands set exitCode().
void addBillingCommands(CLI::App& app);

}  // namespace mtp::ctl
