// `mtpctl policy check|test` and `mtpctl authorize`: the engine's commands.
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `policy` and `authorize` subcommands to `app`.
void addPolicyCommands(CLI::App& app);

// The exit code the command that ran asked for (0 if none ran).
int& exitCode();

}  // namespace mtp::ctl
