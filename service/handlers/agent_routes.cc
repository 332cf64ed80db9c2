// The device agent protocol: Public routes (no admin), each with its own credential.
//   POST /api/agent/v1/register              {connectKey, hostname, os, osFamily, version, displayName?}
//                                            → 201 {id, deviceKey, organization} (the device key once)
//   POST /api/agent/v1/checkin               header x-device-key; {uptimeSeconds?, version?, hostname?,
//                                            os?, osFamily?, displayName?} → {commands:[{id, type}]}
//   POST /api/agent/v1/commands/{id}/result  header x-device-key; {status: done|failed, output?}
//                                            → the command
// An unknown (or revoked) connect key or device key answers 401 unauthenticated; a command that
// is not the device's own (another device's, another org's, unknown, or already finished)
// answers 404. A device key reaches its own device only.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/device_service.h"
#include "handlers/app_errors.h"
#include "handlers/routes.h"
#include "http/json_body.h"

namespace mtp::handlers {

nlohmann::json commandJson(const store::DeviceCommandRecord& c);  // device_routes.cc

namespace {

using http::Error;
using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::size_t kAgentMaxBody = 32 * 1024;

std::string deviceKey(const RequestContext& ctx) {
  auto k = ctx.header("x-device-key");
  return k ? std::string(*k) : std::string();
}

HandlerResult registerDevice(app::DeviceService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(
      ctx, {"connectKey", "hostname", "os", "osFamily", "version", "displayName"});
  if (!body) return std::unexpected(body.error());
  auto key = body->requiredString("connectKey");
  if (!key) return std::unexpected(key.error());
  app::DeviceFacts f;
  for (auto [name, out] : {std::pair{"hostname", &f.hostname}, std::pair{"os", &f.os},
                           std::pair{"osFamily", &f.os_family}, std::pair{"version", &f.version}}) {
    auto v = body->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *out = *v;
  }
  auto dn = body->optionalString("displayName");
  if (!dn) return std::unexpected(dn.error());
  f.display_name = dn->value_or("");
  auto reg = svc.registerDevice(*key, f, ctx.clientIp());
  if (!reg) return fail(reg.error());
  return Response::json(
      {{"id", reg->device_id}, {"deviceKey", reg->device_key}, {"organization", reg->org_id}}, 201);
}

HandlerResult checkin(app::DeviceService& svc, RequestContext& ctx) {
  store::DeviceCheckin c;
  if (!ctx.body().empty()) {
    auto body = http::JsonBody::parse(
        ctx, {"uptimeSeconds", "version", "hostname", "os", "osFamily", "displayName"});
    if (!body) return std::unexpected(body.error());
    auto up = body->optionalInt("uptimeSeconds", 0, INT64_MAX / 2);
    if (!up) return std::unexpected(up.error());
    c.uptime_seconds = up->value_or(0);
    for (auto [name, out] :
         {std::pair{"version", &c.version}, std::pair{"hostname", &c.hostname},
          std::pair{"os", &c.os}, std::pair{"osFamily", &c.os_family},
          std::pair{"displayName", &c.display_name}}) {
      auto v = body->optionalString(name);
      if (!v) return std::unexpected(v.error());
      *out = v->value_or("");
    }
  }
  auto cmds = svc.checkin(deviceKey(ctx), c);
  if (!cmds) return fail(cmds.error());
  json out = json::array();
  for (const auto& cmd : *cmds) out.push_back({{"id", cmd.id}, {"type", cmd.type}});
  return Response::json({{"commands", std::move(out)}});
}

HandlerResult commandResult(app::DeviceService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"status", "output"});
  if (!body) return std::unexpected(body.error());
  auto status = body->requiredString("status");
  if (!status) return std::unexpected(status.error());
  auto output = body->optionalString("output");
  if (!output) return std::unexpected(output.error());
  auto c = svc.commandResult(deviceKey(ctx), std::string(ctx.param("id")), *status,
                             output->value_or(""), ctx.clientIp());
  if (!c) return fail(c.error());
  return Response::json(commandJson(*c));
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
  for (Route* r : {&reg, &chk, &res}) {
    r->max_body = kAgentMaxBody;
    out.push_back(std::move(*r));
  }
}

}  // namespace mtp::handlers
