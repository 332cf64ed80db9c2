// libFuzzer target: the device agent protocol's bodies (register, checkin, command result),
// decoded by the same pure functions the agent routes use (handlers/agent_protocol.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "handlers/agent_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kJson = "application/json";
  (void)mtp::handlers::parseAgentRegister(kJson, body);
  (void)mtp::handlers::parseAgentCheckin(kJson, body);
  (void)mtp::handlers::parseAgentCommandResult(kJson, body);
  return 0;
}
