// Saved commands of an org and their per-device results (schema 014): one aggregate of the
// store (soci_commands.cc). A result row carries the shell and script as they were when the
// command was run, so editing or deleting the saved command later does not change what an
// agent already has (deleting it removes its results).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

struct SavedCommandRecord {
  std::string id;  // empty on create: generated
  std::string provider_id;
  std::string org_id;
  std::string name;
  std::string target_os;  // windows|mac|linux
  std::string shell;
  std::string script;
  std::string created_by;  // the admin id
  UnixTime created = 0;    // 0 on create: now
  UnixTime updated = 0;
  std::int64_t version = 1;  // read-only: raised by every change of the row (ETag)
};

struct CommandResultRecord {
  std::string id;  // empty on create: generated
  std::string provider_id;
  std::string org_id;
  std::string command_id;  // the saved command
  std::string device_id;
  std::string shell;
  std::string script;
  std::string status = "pending";  // pending|sent|done|failed|timed_out|not_executed
  std::optional<std::int64_t> exit_code;
  std::string output;
  bool truncated = false;
  std::string created_by;
  UnixTime created = 0;
  std::optional<UnixTime> sent_at;
  std::optional<UnixTime> finished_at;
};

// What the agent reports for one command result.
struct CommandOutcome {
  std::string status;  // done|failed|timed_out|not_executed
  std::optional<std::int64_t> exit_code;
  std::string output;
  bool truncated = false;
};

class CommandStore {
 public:
  virtual ~CommandStore() = default;

  // The org must belong to the scope (else kNotFound).
  virtual Result<std::string> createSavedCommand(const TenantScope& scope,
                                                 const SavedCommandRecord& record) = 0;
  // A command of `org_id` only (any other answers kNotFound).
  virtual Result<SavedCommandRecord> getSavedCommand(const TenantScope& scope,
                                                     const std::string& org_id,
                                                     const std::string& id) = 0;
  // Fields: id name targetOS shell created updated.
  virtual Result<Page<SavedCommandRecord>> listSavedCommands(const TenantScope& scope,
                                                             const std::string& org_id,
                                                             const ListQuery& query) = 0;
  // Name, target OS, shell, script and updated of the record's (org, id).
  virtual Result<void> updateSavedCommand(const TenantScope& scope,
                                          const SavedCommandRecord& record) = 0;
  virtual Result<void> deleteSavedCommand(const TenantScope& scope, const std::string& org_id,
                                          const std::string& id) = 0;

  // The device must be of the record's org (else kNotFound).
  virtual Result<std::string> createCommandResult(const TenantScope& scope,
                                                  const CommandResultRecord& record) = 0;
  // Newest first, at most `limit`; `device_id` empty: every device.
  virtual Result<std::vector<CommandResultRecord>> listCommandResults(
      const TenantScope& scope, const std::string& org_id, const std::string& command_id,
      const std::string& device_id, int limit) = 0;
  // The device's result `id` (kNotFound for another device's).
  virtual Result<CommandResultRecord> getCommandResult(const TenantScope& scope,
                                                       const std::string& device_id,
                                                       const std::string& id) = 0;
  // The device's pending results, oldest first, now marked sent at `at`.
  virtual Result<std::vector<CommandResultRecord>> takePendingCommandResults(
      const TenantScope& scope, const std::string& device_id, UnixTime at) = 0;
  // kNotFound unless the result is the device's and not finished.
  virtual Result<void> finishCommandResult(const TenantScope& scope, const std::string& device_id,
                                           const std::string& id, const CommandOutcome& outcome,
                                           UnixTime at) = 0;
};

}  // namespace mtp::store
