// The device agent protocol's request bodies, decoded without a request or a service: pure
// functions of a content type and a body (strict JSON, known fields only, typed), shared by
// agent_routes.cc and the fuzz target tests/fuzz/fuzz_agent_protocol.cc.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "http/errors.h"

namespace mtp::handlers {

inline constexpr std::size_t kAgentMaxBody = 32 * 1024;
// A command result carries up to 64 KiB of output, which JSON may escape up to six times.
inline constexpr std::size_t kAgentMaxResultBody = 512 * 1024;

// POST /api/agent/v1/register {connectKey, hostname, os, osFamily, version, displayName?}
struct AgentRegisterBody {
  std::string connect_key;
  std::string hostname, os, os_family, version;
  std::string display_name;  // empty when absent
};
std::expected<AgentRegisterBody, Status> parseAgentRegister(std::string_view content_type,
                                                                 std::string_view body,
                                                                 std::size_t max_bytes = kAgentMaxBody);

// POST /api/agent/v1/checkin {uptimeSeconds?, version?, hostname?, os?, osFamily?, displayName?}
// (an empty body is no facts).
struct AgentCheckinBody {
  std::int64_t uptime_seconds = 0;
  std::string version, hostname, os, os_family, display_name;
};
std::expected<AgentCheckinBody, Status> parseAgentCheckin(std::string_view content_type,
                                                               std::string_view body,
                                                               std::size_t max_bytes = kAgentMaxBody);

// POST /api/agent/v1/commands/{id}/result {status, output?, exitCode?, truncated?}
// (exitCode and truncated: a saved command's result).
struct AgentCommandResultBody {
  std::string status;
  std::string output;
  std::optional<std::int64_t> exit_code;
  bool truncated = false;
};
std::expected<AgentCommandResultBody, Status> parseAgentCommandResult(
    std::string_view content_type, std::string_view body,
    std::size_t max_bytes = kAgentMaxResultBody);

}  // namespace mtp::handlers
