// mtpctl agent: a reference device agent for the agent protocol (docs/openapi.yaml, agent/v1).
//   mtpctl agent --server URL --connect-key KEY [--state FILE] [--every N] [--times N]
//                [--execute [--command-timeout S] [--output-cap BYTES]]
// Registers once with the org's connect key and keeps the device id and key in the state file
// (0600; the key is never printed), then checks in once, or every N seconds (--times bounds
// the number of check-ins; 0: until stopped). Every built-in command it receives is answered
// "done" WITHOUT acting on the host: it locks, restarts and shuts down nothing. A saved
// command's script is answered "not_executed" unless --execute is given: then it runs it
// (ctl/script_runner.h: killed after --command-timeout seconds, output capped at --output-cap
// bytes) and reports the exit code and output.
// Exit codes: 0 done, 1 the server failed or refused, 2 bad input.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace mtp::ctl {

struct AgentOptions {
  std::string server;       // http://127.0.0.1:8080
  std::string connect_key;  // needed only until the device is registered
  std::string state_file = "mtp-agent.json";
  int every_seconds = 0;    // 0: check in once
  int times = 0;            // with every_seconds: how many check-ins (0: no bound)
  std::string hostname;     // empty: gethostname()
  bool execute = false;     // run received scripts (off: answer not_executed)
  int command_timeout_seconds = 60;
  std::size_t output_cap = 64 * 1024;
};

// Runs the agent; returns the exit code. Writes one line per command handled to stdout.
int runAgent(const AgentOptions& options);

// Adds the `agent` subcommand to `app`; it sets exitCode().
void addAgentCommands(CLI::App& app);

}  // namespace mtp::ctl
