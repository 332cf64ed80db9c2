// Runs one received script for `mtpctl agent --execute`: fork/exec `shell -c script` in a
// process group of its own, stdin /dev/null, stdout and stderr together in one pipe, of which
// the first `output_cap` bytes are kept (the rest is read and dropped: truncated). When the
// script has not finished after `timeout_seconds`, the whole group is killed (SIGKILL).
// Shells: bash, sh and zsh (looked up in PATH); any other (powershell, cmd) is not run here.
// Thread-safety: none needed (one call at a time; it forks).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace mtp::ctl {

struct ScriptOutcome {
  std::string status;                // done | failed | timed_out
  std::optional<int> exit_code;      // done: the exit status; failed: 128 + signal, or 127
  std::string output;                // at most output_cap bytes
  bool truncated = false;
};

ScriptOutcome runScript(const std::string& shell, const std::string& script, int timeout_seconds,
                        std::size_t output_cap);

}  // namespace mtp::ctl
