#include "handlers/agent_protocol.h"

#include <utility>

#include "http/json_body.h"

namespace mtp::handlers {

std::expected<AgentRegisterBody, Status> parseAgentRegister(std::string_view content_type,
                                                                 std::string_view body,
                                                                 std::size_t max_bytes) {
  auto b = http::JsonBody::parse(content_type, body,
                                 {"connectKey", "hostname", "os", "osFamily", "version", "displayName"}, max_bytes);
  if (!b) return std::unexpected(b.error());
  AgentRegisterBody out;
  for (auto [name, dest] : {std::pair{"connectKey", &out.connect_key}, std::pair{"hostname", &out.hostname},
                            std::pair{"os", &out.os}, std::pair{"osFamily", &out.os_family},
                            std::pair{"version", &out.version}}) {
    auto v = b->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *dest = std::move(*v);
  }
  auto dn = b->optionalString("displayName");
  if (!dn) return std::unexpected(dn.error());
  out.display_name = dn->value_or("");
  return out;
}

std::expected<AgentCheckinBody, Status> parseAgentCheckin(std::string_view content_type,
                                                               std::string_view body,
                                                               std::size_t max_bytes) {
  AgentCheckinBody out;
  if (body.empty()) return out;
  auto b = http::JsonBody::parse(content_type, body,
                                 {"uptimeSeconds", "version", "hostname", "os", "osFamily", "displayName"}, max_bytes);
  if (!b) return std::unexpected(b.error());
  auto up = b->optionalInt("uptimeSeconds", 0, INT64_MAX / 2);
  if (!up) return std::unexpected(up.error());
  out.uptime_seconds = up->value_or(0);
  for (auto [name, dest] : {std::pair{"version", &out.version}, std::pair{"hostname", &out.hostname},
                            std::pair{"os", &out.os}, std::pair{"osFamily", &out.os_family},
                            std::pair{"displayName", &out.display_name}}) {
    auto v = b->optionalString(name);
    if (!v) return std::unexpected(v.error());
    *dest = v->value_or("");
  }
  return out;
}

std::expected<AgentCommandResultBody, Status> parseAgentCommandResult(std::string_view content_type,
                                                                           std::string_view body,
                                                                           std::size_t max_bytes) {
  auto b = http::JsonBody::parse(content_type, body, {"status", "output", "exitCode", "truncated"},
                                 max_bytes);
  if (!b) return std::unexpected(b.error());
  auto status = b->requiredString("status");
  if (!status) return std::unexpected(status.error());
  auto output = b->optionalString("output");
  if (!output) return std::unexpected(output.error());
  auto exit_code = b->optionalInt("exitCode", INT32_MIN, INT32_MAX);
  if (!exit_code) return std::unexpected(exit_code.error());
  auto truncated = b->optionalBool("truncated");
  if (!truncated) return std::unexpected(truncated.error());
  return AgentCommandResultBody{std::move(*status), output->value_or(""), *exit_code,
                                truncated->value_or(false)};
}

}  // namespace mtp::handlers
