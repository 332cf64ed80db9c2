// mtpctl's OS release commands, on the database directly (no running mtpd needed): the
// operator's table behind Home's "Recent OS Releases" widget (the same for every provider).
//   mtpctl os-release add  --db URL --os macOS --version 15.2 [--build 24C101] --released 2026-11-20
//   mtpctl os-release list --db URL [--days N]
// --released takes a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 time. list prints one
// release a line (released, os, version, build), newest first; --days limits it to the past
// N days. Exit codes: 0 done, 1 the database failed or refused (an existing release), 2 bad
// input.
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `os-release` subcommand to `app`; its commands set exitCode().
void addOsReleaseCommands(CLI::App& app);

}  // namespace mtp::ctl
