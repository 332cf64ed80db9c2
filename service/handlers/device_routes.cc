// Managed devices and the commands queued for their agents.
//   GET  /api/v2/providers/{pid}/devices                          devices.read (reach list)
//   GET  /api/systems/{id}                                        devices.read      (org: x-org-id)
//   POST /api/systems/{id}/command/builtin/lock                   devices.lock      (org: x-org-id) → 201
//   POST /api/systems/{id}/command/builtin/restart                devices.restart   (org: x-org-id) → 201
//   POST /api/systems/{id}/command/builtin/shutdown               devices.shutdown  (org: x-org-id) → 201
//   POST /api/systems/{id}/command/builtin/remote_assist          devices.remote_assist (x-org-id) → 201
//   GET  /api/systems/{id}/commands                               commands.read     (org: x-org-id)
//   GET  /api/v2/providers/{pid}/organizations/{id}/connectkey    devices.update    (org {id})
//   POST /api/v2/providers/{pid}/organizations/{id}/connectkey    devices.update    (org {id}) → 201
//
// Choices where the spec is silent:
// - The v1 device routes take the org from `x-org-id` (JumpCloud v1 style): the engine checks
//   the action in that org before the handler runs, and the device is looked up in that org
//   only, so a device of any other org (or provider) answers 404 like a missing one.
// - The device list filters with `filter=field:op:value` or the plain query parameters
//   `organization`, `active` (true/false) and `os` (equality), which mean the same.
// - The connect key is read and regenerated with devices.update (it lets anyone enroll
//   devices into the org; help desk and command runners, who hold devices.read only, cannot
//   see it). The first read creates the org's key (connectkey_regenerated event).
// - A remote assist command needs the org's remoteAssist on (else 412 precondition_failed).
// - A command answers {id, type, status, device, organization, output, createdBy, created,
//   sentAt, finishedAt}; the list of a device's commands is newest first, `limit` (≤ 100).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "app/activity_service.h"
#include "app/device_service.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/list_support.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"
#include "http/json_body.h"
#include "http/query.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

json deviceJson(const model::DeviceRecord& d) {
  return json{{"id", d.id},
              {"displayName", d.display_name},
              {"hostname", d.hostname},
              {"os", d.os},
              {"osFamily", d.os_family},
              {"version", d.version},
              {"active", d.active},
              {"lastContact", optTime(d.last_contact)},
              {"uptimeSeconds", d.uptime_seconds},
              {"remoteAssist", d.remote_assist},
              {"organization", d.org_id},
              {"created", app::formatRfc3339(d.created)}};
}

}  // namespace

// Shared with agent_routes.cc.
json commandJson(const model::DeviceCommandRecord& c) {
  return json{{"id", c.id},
              {"type", c.type},
              {"status", c.status},
              {"device", c.device_id},
              {"organization", c.org_id},
              {"output", c.output},
              {"createdBy", c.created_by},
              {"created", app::formatRfc3339(c.created)},
              {"sentAt", optTime(c.sent_at)},
              {"finishedAt", optTime(c.finished_at)}};
}

namespace {

const http::ListSpec& deviceListSpec() {
  static const http::ListSpec spec{
      {"id", "displayName", "hostname", "os", "osFamily", "version", "active", "lastContact",
       "uptimeSeconds", "remoteAssist", "organization", "created"},
      {"id", "displayName", "hostname", "os", "osFamily", "version", "active", "lastContact",
       "uptimeSeconds", "remoteAssist", "organization", "created"},
      {"organization", "active", "os"}};
  return spec;
}

HandlerResult listDevices(app::DeviceService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), deviceListSpec());
  if (!q) return std::unexpected(q.error());
  auto reach = orgReach(ctx, "devices.read");
  if (!reach) return std::unexpected(reach.error());
  auto sq = toStoreQuery(*q, "displayName");
  for (const char* name : {"organization", "active", "os"}) {
    if (auto v = ctx.queryParam(name)) {
      sq.filters.push_back(model::FilterTerm{name, model::FilterOp::kEq, std::string(*v)});
    }
  }
  auto page = svc.list(actorOf(ctx), *reach, sq);
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& d : page->results) results.push_back(deviceJson(d));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

HandlerResult getDevice(app::DeviceService& svc, RequestContext& ctx) {
  auto d = svc.get(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")));
  if (!d) return fail(d.error());
  return Response::json(deviceJson(*d));
}

HandlerResult queueCommand(app::DeviceService& svc, RequestContext& ctx, const std::string& type) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto c = svc.queueCommand(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), type);
  if (!c) return fail(c.error());
  return Response::json(commandJson(*c), 201);
}

HandlerResult listCommands(app::DeviceService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), http::ListSpec{});
  if (!q) return std::unexpected(q.error());
  auto cs = svc.commands(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), q->limit);
  if (!cs) return fail(cs.error());
  json results = json::array();
  for (const auto& c : *cs) results.push_back(commandJson(c));
  const auto total = static_cast<std::int64_t>(cs->size());
  return Response::json({{"results", std::move(results)}, {"totalCount", total}});
}

json connectKeyJson(const app::ConnectKey& k) {
  return json{{"connectKey", k.key},
              {"connectKeyPrefix", k.prefix},
              {"created", app::formatRfc3339(k.created)}};
}

HandlerResult getConnectKey(app::DeviceService& svc, RequestContext& ctx) {
  auto k = svc.connectKey(actorOf(ctx), ctx.organization());
  if (!k) return fail(k.error());
  return Response::json(connectKeyJson(*k));
}

HandlerResult regenerateConnectKey(app::DeviceService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto k = svc.regenerateConnectKey(actorOf(ctx), ctx.organization());
  if (!k) return fail(k.error());
  return Response::json(connectKeyJson(*k), 201);
}

}  // namespace

void addDeviceRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::DeviceService>(app);
  out.push_back(Route{"GET", "/api/v2/providers/{pid}/devices", Access::action("devices.read"),
                      OrgSource::reach(),
                      [svc](RequestContext& c) { return listDevices(*svc, c); }});
  out.push_back(Route{"GET", "/api/systems/{id}", Access::action("devices.read"), OrgSource::header(),
                      [svc](RequestContext& c) { return getDevice(*svc, c); }});
  for (const char* type : {"lock", "restart", "shutdown", "remote_assist"}) {
    const std::string t(type);
    out.push_back(Route{"POST", "/api/systems/{id}/command/builtin/" + t,
                        Access::action("devices." + t), OrgSource::header(),
                        [svc, t](RequestContext& c) { return queueCommand(*svc, c, t); }});
  }
  out.push_back(Route{"GET", "/api/systems/{id}/commands", Access::action("commands.read"),
                      OrgSource::header(),
                      [svc](RequestContext& c) { return listCommands(*svc, c); }});
  const std::string key = "/api/v2/providers/{pid}/organizations/{id}/connectkey";
  out.push_back(Route{"GET", key, Access::action("devices.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return getConnectKey(*svc, c); }});
  out.push_back(Route{"POST", key, Access::action("devices.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return regenerateConnectKey(*svc, c); }});
}

}  // namespace mtp::handlers
