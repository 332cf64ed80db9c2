// mtpctl's policy commands on the database (issue 16 item 2), for a cluster whose mtpd run with
// --policies-from-db (files stay the way to run one node):
//   mtpctl policy push     --db URL DIR [--by NAME]  compiles DIR as `policy check` does (its
//       diagnostics and exit 1 when it does not compile), then stores it as a new version and
//       makes it active; prints the version. Every replica swaps it in within a second.
//   mtpctl policy versions --db URL   one version a line, newest first:
//       version, created (RFC 3339), by, content hash, and `active` on the active one.
//   mtpctl policy rollback --db URL VERSION [--by NAME]  makes an older version active again
//       by moving the active pointer (versions are immutable; no new version is written).
// Exit codes: 0 done, 1 the policies do not compile or the database failed or refused (an
// unknown version), 2 bad input.
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds push, versions and rollback to the `policy` subcommand; they set exitCode().
void addPolicyStoreCommands(CLI::App& policy);

}  // namespace mtp::ctl
