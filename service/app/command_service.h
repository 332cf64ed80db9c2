// Saved commands of an org (name, target OS, shell, script) and running one on chosen devices
// of the same org: one queued result per device, handed to the device's agent at its next
// check-in (DeviceService::checkin), finished by the agent's report (exit code, output capped
// at kMaxCommandOutput bytes, truncated flag). No HTTP here; the route's action (commands.read
// to read, commands.run to create, edit, delete and run: the spec names no other action for
// editing saved commands) is checked in the org before a use case runs.
//
// Validation: name 1..255 printable bytes; targetOS windows|mac|linux; shell bash|sh|zsh for
// linux and mac, powershell|cmd for windows; script 1..kMaxScript bytes with no NUL. A run
// names 1..100 distinct devices of the org, each of the command's OS family (linux; mac:
// darwin or mac; windows): any other device answers kNotFound (another org's, unknown) or
// kConflict (another OS), and nothing is queued.
//
// Events (each in the change's transaction): command_created, command_updated,
// command_deleted, command_run (one per run, the devices in its changes), and command_result
// (initiated by the device, written by DeviceService::commandResult).
// Thread-safety: safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "app/if_match.h"
#include "model/status.h"
#include "store/command_store.h"
#include "model/list_query.h"

namespace mtp::app {

// The rows as the handlers name them (the handlers see no store:: name).
using SavedCommand = store::SavedCommandRecord;
using CommandResult = store::CommandResultRecord;

inline constexpr std::size_t kMaxScript = 32 * 1024;
inline constexpr std::size_t kMaxCommandOutput = 64 * 1024;
inline constexpr std::size_t kMaxRunDevices = 100;

struct SavedCommandInput {
  std::optional<std::string> name, target_os, shell, script;  // absent: unchanged (update)
};

class CommandService {
 public:
  explicit CommandService(AppContext& app) : app_(app) {}

  Result<model::Page<store::SavedCommandRecord>> list(const Actor& actor,
                                                         const std::string& org_id,
                                                         const model::ListQuery& query);
  Result<store::SavedCommandRecord> get(const Actor& actor, const std::string& org_id,
                                           const std::string& id);
  // Every field required.
  Result<store::SavedCommandRecord> create(const Actor& actor, const std::string& org_id,
                                              const SavedCommandInput& in);
  // With If-Match (update and remove): 412 unless the command's version is one it names,
  // checked under the command's row lock.
  Result<store::SavedCommandRecord> update(const Actor& actor, const std::string& org_id,
                                              const std::string& id, const SavedCommandInput& in,
                                              const IfMatch& if_match = {});
  Result<void> remove(const Actor& actor, const std::string& org_id, const std::string& id,
                         const IfMatch& if_match = {});
  // One pending result per device, in the order given.
  Result<std::vector<store::CommandResultRecord>> run(const Actor& actor,
                                                         const std::string& org_id,
                                                         const std::string& id,
                                                         const std::vector<std::string>& devices);
  // Newest first; `device_id` empty: every device.
  Result<std::vector<store::CommandResultRecord>> results(const Actor& actor,
                                                             const std::string& org_id,
                                                             const std::string& id,
                                                             const std::string& device_id,
                                                             int limit);

 private:
  AppContext& app_;
};

// The agent's report checked and normalised: status done|failed|timed_out|not_executed, an
// exit code only with done or failed, output cut to kMaxCommandOutput bytes (on a UTF-8
// character boundary; truncated set when cut).
Result<store::CommandOutcome> checkCommandOutcome(store::CommandOutcome outcome);

// Whether a device's OS family (as its agent reports it) is the target OS.
bool osMatches(const std::string& target_os, const std::string& os_family);

}  // namespace mtp::app
