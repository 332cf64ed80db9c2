// Reports built by mtpd's report job (app/report_service.h).
//   POST /api/v2/providers/{pid}/reports              {kind, format, organization?, from?, to?} → 202
//   GET  /api/v2/providers/{pid}/reports              limit, skip → {results, totalCount}
//   GET  /api/v2/providers/{pid}/reports/{id}         the report
//   GET  /api/v2/providers/{pid}/reports/{id}/file    the file (text/csv or application/json,
//                                                     Content-Disposition attachment); 412 until ready
// Every route is declared with orgs.read over the caller's reach and asks the reading action of
// the report's kind: users.read and devices.read (their reach), admins.read and activity.read
// (provider actions; then the orgs of orgs.read). A request resolves those orgs now (one org:
// it must be among them, else 404) and the report keeps them; a reader sees a report only when
// their reach for its kind covers all its orgs (else 404, as a missing one).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "app/admin_text.h"  // formatRfc3339
#include "app/report_service.h"
#include "handlers/actor.h"
#include "handlers/list_support.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"
#include "http/errors.h"
#include "http/json_body.h"
#include "http/query.h"
#include "mtp/engine/action.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

const char* const kKinds[] = {"users", "devices", "admins", "activity"};

// The orgs the caller reaches for reports of `kind` (an empty reach when it may not read them).
std::expected<app::KindReach, Status> kindReach(const RequestContext& ctx,
                                                               const std::string& kind) {
  const std::string action = app::reportAction(kind);
  if (kind == "users" || kind == "devices") {
    auto r = orgReach(ctx, action);
    if (!r) return std::unexpected(r.error());
    return app::KindReach{kind, *r};
  }
  const app::Authorization& authz = ctx.authorization();
  if (!authz.permits(authz.request(*engine::findAction(action)))) {
    return app::KindReach{kind, app::OrgReach::only({})};
  }
  auto r = orgReach(ctx, "orgs.read");
  if (!r) return std::unexpected(r.error());
  return app::KindReach{kind, *r};
}

std::expected<app::ReportReader, Status> readerOf(const RequestContext& ctx) {
  app::ReportReader reader;
  for (const char* kind : kKinds) {
    auto k = kindReach(ctx, kind);
    if (!k) return std::unexpected(k.error());
    if (k->second.all || !k->second.ids.empty()) reader.kinds.push_back(std::move(*k));
  }
  return reader;
}

json reportJson(const app::Report& r) {
  return json{{"id", r.id},
              {"kind", r.kind},
              {"format", r.format},
              {"organization", r.org_id.empty() ? json(nullptr) : json(r.org_id)},
              {"organizations", r.org_ids},
              {"from", optTime(r.period_from)},
              {"to", optTime(r.period_to)},
              {"status", r.status},
              {"requestedBy", r.requested_by},
              {"created", app::formatRfc3339(r.created)},
              {"readyAt", optTime(r.ready_at)},
              {"expiresAt", app::formatRfc3339(r.created + app::kReportDays * 86400)},
              {"rowCount", r.row_count},
              {"error", r.error}};
}

HandlerResult requestReport(app::ReportService& svc, RequestContext& ctx) {
  auto b = http::JsonBody::parse(ctx, {"kind", "format", "organization", "from", "to"});
  if (!b) return std::unexpected(b.error());
  app::ReportRequest req;
  for (auto [name, dest] : {std::pair{"kind", &req.kind}, std::pair{"format", &req.format}}) {
    auto v = b->requiredString(name);
    if (!v) return std::unexpected(v.error());
    *dest = std::move(*v);
  }
  auto org = b->optionalString("organization");
  if (!org) return std::unexpected(org.error());
  req.organization = org->value_or("");
  for (auto [name, dest] : {std::pair{"from", &req.from}, std::pair{"to", &req.to}}) {
    auto v = b->optionalString(name);
    if (!v) return std::unexpected(v.error());
    if (!v->has_value()) continue;
    auto t = engine::parseRfc3339(**v);
    if (!t) return std::unexpected(Status::invalidArgument(std::string("field `") + name + "` must be an RFC 3339 time"));
    *dest = *t;
  }
  if (app::reportAction(req.kind).empty()) {
    return std::unexpected(Status::invalidArgument("field `kind` must be users, devices, admins or activity"));
  }
  // The requester's reach for the kind, now; a provider action they lack is a denial.
  const std::string action = app::reportAction(req.kind);
  if (req.kind == "admins" || req.kind == "activity") {
    if (auto ok = ctx.authorization().require(*engine::findAction(action)); !ok) return fail(ok.error());
  }
  auto k = kindReach(ctx, req.kind);
  if (!k) return std::unexpected(k.error());
  std::vector<std::string> orgs;
  if (k->second.all) {
    auto all = svc.organizationIds(actorOf(ctx));
    if (!all) return fail(all.error());
    orgs = std::move(*all);
  } else {
    orgs = k->second.ids;
  }
  if (!req.organization.empty()) {
    const bool reached = std::find(orgs.begin(), orgs.end(), req.organization) != orgs.end();
    if (!reached) return std::unexpected(Status::notFound("organization not found"));
    orgs = {req.organization};
  }
  auto r = svc.request(actorOf(ctx), req, std::move(orgs));
  if (!r) return fail(r.error());
  return Response::json(reportJson(*r), 202);
}

HandlerResult listReports(app::ReportService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), http::ListSpec{});
  if (!q) return std::unexpected(q.error());
  auto reader = readerOf(ctx);
  if (!reader) return std::unexpected(reader.error());
  auto page = svc.list(actorOf(ctx), *reader, q->limit, q->skip);
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& r : page->results) results.push_back(reportJson(r));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

HandlerResult getReport(app::ReportService& svc, RequestContext& ctx) {
  auto reader = readerOf(ctx);
  if (!reader) return std::unexpected(reader.error());
  auto r = svc.get(actorOf(ctx), *reader, std::string(ctx.param("id")));
  if (!r) return fail(r.error());
  return Response::json(reportJson(*r));
}

HandlerResult reportFile(app::ReportService& svc, RequestContext& ctx) {
  auto reader = readerOf(ctx);
  if (!reader) return std::unexpected(reader.error());
  const std::string id(ctx.param("id"));
  auto r = svc.get(actorOf(ctx), *reader, id);
  if (!r) return fail(r.error());
  auto f = svc.file(actorOf(ctx), *reader, id);
  if (!f) return fail(f.error());
  Response out;
  out.status = 200;
  out.content_type = r->format == "json" ? "application/json" : "text/csv; charset=utf-8";
  out.body = std::move(*f);
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"report-" + r->kind + "-" +
                                                      r->id + "." + r->format + "\"");
  return out;
}

}  // namespace

void addReportRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::ReportService>(app);
  const auto access = Access::action("orgs.read")
                          .mayAsk("users.read")
                          .mayAsk("devices.read")
                          .mayAsk("admins.read")
                          .mayAsk("activity.read");
  const std::string all = "/api/v2/providers/{pid}/reports", one = all + "/{id}";
  out.push_back(Route{"POST", all, access, OrgSource::reach(),
                      [svc](RequestContext& c) { return requestReport(*svc, c); }});
  out.push_back(Route{"GET", all, access, OrgSource::reach(),
                      [svc](RequestContext& c) { return listReports(*svc, c); }});
  out.push_back(Route{"GET", one, access, OrgSource::reach(),
                      [svc](RequestContext& c) { return getReport(*svc, c); }});
  out.push_back(Route{"GET", one + "/file", access, OrgSource::reach(),
                      [svc](RequestContext& c) { return reportFile(*svc, c); }});
}

}  // namespace mtp::handlers
