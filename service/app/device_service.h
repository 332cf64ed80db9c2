// Managed devices, the commands queued for their agents, the orgs' connect keys and the
// device agent protocol. No HTTP here. Which orgs a caller reaches is the engine's answer,
// passed in (model::OrgReach) or already checked by the route's action.
//
// Keys:
// - A connect key (`ck_` + 40 hex) enrolls devices into one org. It is never stored: the
//   store keeps a random salt, its display prefix and a hash; the key is derived again from
//   the salt with the server's pepper (auth::ApiKeyHasher), so an admin can read it again
//   while the database alone cannot produce it. Regenerating revokes the old one at once.
// - A device key (`dk_` + 64 hex, 256 random bits) is shown to the agent once at
//   registration; the store keeps only its BLAKE2b hash (app/one_time_token.h).
// A device key only ever reaches its own device (and so its own org and provider).
//
// Events: device_command_queued, connectkey_regenerated (admin), device_registered,
// device_command_result and command_result (a saved command's result: initiated by the device). A check-in (facts, last contact, handing
// out pending commands) is telemetry and writes no event.
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/actor.h"
#include "app/app_context.h"
#include "model/status.h"
#include "store/command_store.h"
#include "model/list_query.h"
#include "model/records.h"
#include "model/scope.h"

namespace mtp::app {

struct ConnectKey {
  std::string key;
  std::string prefix;
  std::int64_t created = 0;
};

struct DeviceFacts {
  std::string hostname;
  std::string os;
  std::string os_family;
  std::string version;
  std::string display_name;  // empty: the hostname
};

struct Registration {
  std::string device_id;
  std::string device_key;  // shown once
  std::string org_id;
};

// A built-in command's row and a saved command's result, as the handlers name them.
using DeviceCommand = model::DeviceCommandRecord;
using ScriptResult = store::CommandResultRecord;

// What a check-in hands the agent: the built-in commands (lock, restart, ...) and the saved
// commands run on this device (app/command_service.h), each now marked sent.
struct AgentWork {
  std::vector<model::DeviceCommandRecord> commands;
  std::vector<store::CommandResultRecord> scripts;
};

// The agent's report of one command: status, output; for a saved command's result also the
// exit code and whether the agent cut the output (store::CommandOutcome).
struct AgentReport {
  std::string status;
  std::string output;
  std::optional<std::int64_t> exit_code;
  bool truncated = false;
};

class DeviceService {
 public:
  explicit DeviceService(AppContext& app) : app_(app) {}

  Result<model::Page<model::DeviceRecord>> list(const Actor& actor,
                                                   const model::OrgReach& reach,
                                                   const model::ListQuery& query);
  // A device of `org_id` (kNotFound for any other).
  Result<model::DeviceRecord> get(const Actor& actor, const std::string& org_id,
                                     const std::string& device_id);
  // type: lock|restart|shutdown|remote_assist (remote_assist needs the org's remoteAssist on:
  // else kPreconditionFailed).
  Result<model::DeviceCommandRecord> queueCommand(const Actor& actor, const std::string& org_id,
                                                     const std::string& device_id,
                                                     const std::string& type);
  Result<std::vector<model::DeviceCommandRecord>> commands(const Actor& actor,
                                                              const std::string& org_id,
                                                              const std::string& device_id,
                                                              int limit);
  // The org's current connect key; the first read creates one (with its event).
  Result<ConnectKey> connectKey(const Actor& actor, const std::string& org_id);
  Result<ConnectKey> regenerateConnectKey(const Actor& actor, const std::string& org_id);

  // --- the agent (no admin: the connect key or the device key is the credential)
  // kUnauthenticated for an unknown or revoked connect key.
  Result<Registration> registerDevice(const std::string& connect_key, const DeviceFacts& facts,
                                         const std::string& client_ip);
  // kUnauthenticated for an unknown device key. Returns the commands now marked sent.
  Result<AgentWork> checkin(const std::string& device_key, const model::DeviceCheckin& facts);
  // kNotFound unless the command (a built-in command or a saved command's result) is this
  // device's own and not finished yet. A built-in command takes done|failed and output up to
  // 16 KiB; a saved command's result is checked by app::checkCommandOutcome.
  Result<std::variant<model::DeviceCommandRecord, store::CommandResultRecord>> commandResult(
      const std::string& device_key, const std::string& command_id, const AgentReport& report,
      const std::string& client_ip);

 private:
  std::string deriveConnectKey(const model::ConnectKeyRecord& k) const;
  Result<model::DeviceRecord> deviceOfKey(const std::string& device_key);
  AppContext& app_;
};

}  // namespace mtp::app
