// Saved commands of an org and their per-device results (JumpCloud v1 style: the org in
// `x-org-id`, checked by the engine before the handler runs).
//   GET    /api/commands                   commands.read  → {results, totalCount} (list query)
//   POST   /api/commands                   commands.run   {name, targetOS, shell, script} → 201
//   GET    /api/commands/{id}              commands.read
//   PUT    /api/commands/{id}              commands.run   {name?, targetOS?, shell?, script?}
//   DELETE /api/commands/{id}              commands.run   → 204 (its results go with it)
//   POST   /api/commands/{id}/run          commands.run   {devices: [id, ...]} → 201 {results}
//   GET    /api/commands/{id}/results      commands.read  ?device=ID&limit=N → {results, totalCount}
//
// Choices where the spec is silent:
// - Creating, editing and deleting a saved command need commands.run (the spec has no other
//   commands verb; reading them is commands.read, which managers also hold).
// - A command answers {id, name, targetOS, shell, script, organization, createdBy, created,
//   updated, version}, with `ETag: "<version>"` on GET, POST and PUT; PUT and DELETE take
//   If-Match (412 on a stale version, issue 11); a result {id, command, device, organization, shell, status, exitCode, output,
//   truncated, createdBy, created, sentAt, finishedAt}, newest first.
// - A device of another org or provider, or unknown, answers 404 and nothing is queued; a
//   device of another OS family answers 409.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/admin_text.h"  // formatRfc3339
#include "app/command_service.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
#include "handlers/list_support.h"
#include "handlers/routes.h"
#include "http/errors.h"
#include "http/json_body.h"
#include "http/query.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

json savedJson(const app::SavedCommand& c) {
  return json{{"id", c.id},
              {"name", c.name},
              {"targetOS", c.target_os},
              {"shell", c.shell},
              {"script", c.script},
              {"organization", c.org_id},
              {"createdBy", c.created_by},
              {"created", app::formatRfc3339(c.created)},
              {"updated", app::formatRfc3339(c.updated)},
              {"version", c.version}};
}

}  // namespace

// Shared with agent_routes.cc.
json commandResultJson(const app::CommandResult& r) {
  json exit = r.exit_code ? json(*r.exit_code) : json(nullptr);
  return json{{"id", r.id},
              {"command", r.command_id},
              {"device", r.device_id},
              {"organization", r.org_id},
              {"shell", r.shell},
              {"status", r.status},
              {"exitCode", std::move(exit)},
              {"output", r.output},
              {"truncated", r.truncated},
              {"createdBy", r.created_by},
              {"created", app::formatRfc3339(r.created)},
              {"sentAt", optTime(r.sent_at)},
              {"finishedAt", optTime(r.finished_at)}};
}

namespace {

const http::ListSpec& savedListSpec() {
  static const http::ListSpec spec{
      {"id", "name", "targetOS", "shell", "created", "updated"},
      {"id", "name", "targetOS", "shell", "created", "updated"},
      {}};
  return spec;
}

std::expected<app::SavedCommandInput, Status> parseInput(RequestContext& ctx) {
  auto b = http::JsonBody::parse(ctx, {"name", "targetOS", "shell", "script"});
  if (!b) return std::unexpected(b.error());
  app::SavedCommandInput in;
  for (auto [name, dest] : {std::pair{"name", &in.name}, std::pair{"targetOS", &in.target_os},
                            std::pair{"shell", &in.shell}, std::pair{"script", &in.script}}) {
    auto v = b->optionalString(name);
    if (!v) return std::unexpected(v.error());
    *dest = std::move(*v);
  }
  return in;
}

HandlerResult listSaved(app::CommandService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), savedListSpec());
  if (!q) return std::unexpected(q.error());
  auto page = svc.list(actorOf(ctx), ctx.organization(), toStoreQuery(*q, "name"));
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& c : page->results) results.push_back(savedJson(c));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

HandlerResult createSaved(app::CommandService& svc, RequestContext& ctx) {
  auto in = parseInput(ctx);
  if (!in) return std::unexpected(in.error());
  auto c = svc.create(actorOf(ctx), ctx.organization(), *in);
  if (!c) return fail(c.error());
  return created(Response::json(savedJson(*c), 201), "/api/commands/" + c->id, c->version);
}

HandlerResult getSaved(app::CommandService& svc, RequestContext& ctx) {
  auto c = svc.get(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")));
  if (!c) return fail(c.error());
  return withEtag(Response::json(savedJson(*c)), c->version);
}

HandlerResult updateSaved(app::CommandService& svc, RequestContext& ctx) {
  auto in = parseInput(ctx);
  if (!in) return std::unexpected(in.error());
  auto c = svc.update(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), *in,
                      ifMatchOf(ctx));
  if (!c) return fail(c.error());
  return withEtag(Response::json(savedJson(*c)), c->version);
}

HandlerResult deleteSaved(app::CommandService& svc, RequestContext& ctx) {
  auto r = svc.remove(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")),
                      ifMatchOf(ctx));
  if (!r) return fail(r.error());
  return Response::noContent();
}

HandlerResult runSaved(app::CommandService& svc, RequestContext& ctx) {
  auto b = http::JsonBody::parse(ctx, {"devices"});
  if (!b) return std::unexpected(b.error());
  auto devices = b->optionalStringArray("devices");
  if (!devices) return std::unexpected(devices.error());
  if (!devices->has_value()) return std::unexpected(Status::invalidArgument("field `devices` is required"));
  auto rs = svc.run(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), **devices);
  if (!rs) return fail(rs.error());
  json results = json::array();
  for (const auto& r : *rs) results.push_back(commandResultJson(r));
  const auto total = static_cast<std::int64_t>(rs->size());
  return Response::json({{"results", std::move(results)}, {"totalCount", total}}, 201);
}

HandlerResult listResults(app::CommandService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), http::ListSpec{{}, {}, {"device"}});
  if (!q) return std::unexpected(q.error());
  const std::string device(ctx.queryParam("device").value_or(""));
  auto rs = svc.results(actorOf(ctx), ctx.organization(), std::string(ctx.param("id")), device,
                        q->limit);
  if (!rs) return fail(rs.error());
  json results = json::array();
  for (const auto& r : *rs) results.push_back(commandResultJson(r));
  const auto total = static_cast<std::int64_t>(rs->size());
  return Response::json({{"results", std::move(results)}, {"totalCount", total}});
}

}  // namespace

void addCommandRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::CommandService>(app);
  const std::string all = "/api/commands", one = "/api/commands/{id}";
  out.push_back(Route{"GET", all, Access::action("commands.read"), OrgSource::header(),
                      [svc](RequestContext& c) { return listSaved(*svc, c); }});
  out.push_back(Route{"POST", all, Access::action("commands.run"), OrgSource::header(),
                      [svc](RequestContext& c) { return createSaved(*svc, c); }});
  out.push_back(Route{"GET", one, Access::action("commands.read"), OrgSource::header(),
                      [svc](RequestContext& c) { return getSaved(*svc, c); }});
  out.push_back(Route{"PUT", one, Access::action("commands.run"), OrgSource::header(),
                      [svc](RequestContext& c) { return updateSaved(*svc, c); }});
  out.push_back(Route{"DELETE", one, Access::action("commands.run"), OrgSource::header(),
                      [svc](RequestContext& c) { return deleteSaved(*svc, c); }});
  out.push_back(Route{"POST", one + "/run", Access::action("commands.run"), OrgSource::header(),
                      [svc](RequestContext& c) { return runSaved(*svc, c); }});
  out.push_back(Route{"GET", one + "/results", Access::action("commands.read"), OrgSource::header(),
                      [svc](RequestContext& c) { return listResults(*svc, c); }});
}

}  // namespace mtp::handlers
