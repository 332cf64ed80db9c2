// The device agent protocol: Public routes (no admin), each with its own credential.
//   POST /api/agent/v1/register              {connectKey, hostname, os, osFamily, version, displayName?}
//                                            → 201 {id, deviceKey, organization} (the device key once)
//   POST /api/agent/v1/checkin               header x-device-key; {uptimeSeconds?, version?, hostname?,
//                                            os?, osFamily?, displayName?} → {commands:[{id, type}]}
//                                            (a saved command run on the device: {id, type: "script",
//                                            command, shell, script})
//   POST /api/agent/v1/commands/{id}/result  header x-device-key; {status: done|failed, output?}
//                                            → the command; for a script: {status: done|failed|
//                                            timed_out|not_executed, exitCode?, output? (64 KiB at
//                                            most: longer is cut, truncated), truncated?} → the result
// An unknown (or revoked) connect key or device key answers 401 unauthenticated; a command that
// is not the device's own (another device's, another org's, unknown, or already finished)
// answers 404. A device key reaches its own device only.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <variant>

#include "app/device_service.h"
#include "handlers/agent_protocol.h"
#include "http/errors.h"
#include "handlers/routes.h"
#include "http/json_body.h"

namespace mtp::handlers {

nlohmann::json commandJson(const model::DeviceCommandRecord& c);           // device_routes.cc
nlohmann::json commandResultJson(const app::ScriptResult& r);             // command_routes.cc

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

std::string deviceKey(const RequestContext& ctx) {
  auto k = ctx.header("x-device-key");
  return k ? std::string(*k) : std::string();
}

// The bodies are decoded by agent_protocol.h's pure functions (fuzzed on their own).
std::string_view contentType(const RequestContext& ctx) { return ctx.header("content-type").value_or(""); }
std::size_t maxBody(const RequestContext& ctx) { return std::min(http::kDefaultMaxBody, ctx.route().max_body); }

HandlerResult registerDevice(app::DeviceService& svc, RequestContext& ctx) {
  auto body = parseAgentRegister(contentType(ctx), ctx.body(), maxBody(ctx));
  if (!body) return std::unexpected(body.error());
  app::DeviceFacts f{body->hostname, body->os, body->os_family, body->version, body->display_name};
  auto reg = svc.registerDevice(body->connect_key, f, ctx.clientIp());
  if (!reg) return fail(reg.error());
  return Response::json(
      {{"id", reg->device_id}, {"deviceKey", reg->device_key}, {"organization", reg->org_id}}, 201);
}

HandlerResult checkin(app::DeviceService& svc, RequestContext& ctx) {
  auto body = parseAgentCheckin(contentType(ctx), ctx.body(), maxBody(ctx));
  if (!body) return std::unexpected(body.error());
  model::DeviceCheckin c;
  c.uptime_seconds = body->uptime_seconds;
  c.version = body->version;
  c.hostname = body->hostname;
  c.os = body->os;
  c.os_family = body->os_family;
  c.display_name = body->display_name;
  auto cmds = svc.checkin(deviceKey(ctx), c);
  if (!cmds) return fail(cmds.error());
  json out = json::array();
  for (const auto& cmd : cmds->commands) out.push_back({{"id", cmd.id}, {"type", cmd.type}});
  for (const auto& s : cmds->scripts) {
    out.push_back({{"id", s.id}, {"type", "script"}, {"command", s.command_id},
                   {"shell", s.shell}, {"script", s.script}});
  }
  return Response::json({{"commands", std::move(out)}});
}

HandlerResult commandResult(app::DeviceService& svc, RequestContext& ctx) {
  auto body = parseAgentCommandResult(contentType(ctx), ctx.body(), ctx.route().max_body);
  if (!body) return std::unexpected(body.error());
  app::AgentReport report{body->status, body->output, body->exit_code, body->truncated};
  auto c = svc.commandResult(deviceKey(ctx), std::string(ctx.param("id")), report, ctx.clientIp());
  if (!c) return fail(c.error());
  if (const auto* s = std::get_if<app::ScriptResult>(&*c)) {
    return Response::json(commandResultJson(*s));
  }
  return Response::json(commandJson(std::get<app::DeviceCommand>(*c)));
}

}  // namespace

void addAgentRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::DeviceService>(app);
  Route reg{"POST", "/api/agent/v1/register", Access::publicRoute(), OrgSource::none(),
            [svc](RequestContext& c) { return registerDevice(*svc, c); }};
  Route chk{"POST", "/api/agent/v1/checkin", Access::publicRoute(), OrgSource::none(),
            [svc](RequestContext& c) { return checkin(*svc, c); }};
  Route res{"POST", "/api/agent/v1/commands/{id}/result", Access::publicRoute(), OrgSource::none(),
            [svc](RequestContext& c) { return commandResult(*svc, c); }};
  reg.max_body = chk.max_body = kAgentMaxBody;
  // Idempotency-Key (docs/consistency.md): a command's result accepts it (scoped with the
  // device key), so a retried report gets its first answer rather than 404 "already
  // finished". Registration ignores it on purpose: its answer holds the device key, which is
  // never stored; check-in changes nothing a retry could duplicate.
  res.public_idempotency = true;
  res.max_body = kAgentMaxResultBody;
  for (Route* r : {&reg, &chk, &res}) out.push_back(std::move(*r));
}

}  // namespace mtp::handlers
