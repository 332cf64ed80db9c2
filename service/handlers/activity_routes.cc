// The provider's activity log.
//   GET /api/v2/providers/{pid}/activity  activity.read
//     ?start_time=&end_time=  RFC 3339, start inclusive, end exclusive
//     &event_type=&initiated_by=<admin id>&organization=<org id>
//     &limit=  a page: default 100, at most 1000; a download: default and at most 5000
//     &search_after=  the `searchAfter` of the previous page (opaque)
//     &format=csv|json
//   → {results:[{id, timestamp, eventType, initiatedBy{id,type,email}, organization,
//     resource{type,id}, changes[{field,from,to}], clientIp, authMethod, success}],
//     searchAfter?} newest first; `searchAfter` is present when another page exists.
// A download — `format=csv`, `format=json`, or `Accept: text/csv` without `format` — is the
// same filtered list as an attachment and is an export: the engine must also allow
// activity.export (asked here; denied → 403). CSV has a header row, RFC 4180 quoting, and
// cells a spreadsheet would read as formulas prefixed with `'`; its next-page cursor is the
// X-Search-After header. totalCount is not given (the log may be large; page with
// searchAfter). Unknown parameters and bad times → 400.
// Only what the reader reaches is listed (issue 10 item 7): events of its orgs, and the
// provider's own events (no org) if it may read provider settings (settings.read).
#include <nlohmann/json.hpp>

#include <charconv>
#include <set>

#include "app/activity_service.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/org_reach.h"
#include "handlers/routes.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

json eventJson(const model::ActivityRecord& e) {
  json changes = json::parse(e.changes_json, nullptr, false);
  if (changes.is_discarded() || !changes.is_array()) changes = json::array();
  return json{{"id", e.id},
              {"timestamp", app::formatRfc3339(e.timestamp)},
              {"eventType", e.event_type},
              {"initiatedBy", {{"id", e.initiated_by_id}, {"type", e.initiated_by_type}, {"email", e.initiated_by_email}}},
              {"organization", e.organization.empty() ? json(nullptr) : json(e.organization)},
              {"resource", {{"type", e.resource_type}, {"id", e.resource_id}}},
              {"changes", std::move(changes)},
              {"clientIp", e.client_ip},
              {"authMethod", e.auth_method},
              {"success", e.success}};
}

enum class Format { kPage, kJsonDownload, kCsvDownload };

HandlerResult listActivity(app::ActivityService& svc, RequestContext& ctx) {
  static const std::set<std::string_view> kParams = {"start_time", "end_time",     "event_type",
                                                     "initiated_by", "organization", "limit",
                                                     "search_after", "format"};
  std::set<std::string_view> seen;
  for (const auto& [k, v] : ctx.query()) {
    if (!kParams.contains(k)) return std::unexpected(Status::invalidArgument("unknown parameter `" + k + "`"));
    if (!seen.insert(k).second) return std::unexpected(Status::invalidArgument("parameter `" + k + "` given twice"));
  }
  auto param = [&](std::string_view n) { return std::string(ctx.queryParam(n).value_or("")); };

  Format format = Format::kPage;
  if (auto f = ctx.queryParam("format")) {
    if (*f == "csv") format = Format::kCsvDownload;
    else if (*f == "json") format = Format::kJsonDownload;
    else return std::unexpected(Status::invalidArgument("format must be csv or json"));
  } else if (auto accept = ctx.header("accept"); accept && accept->find("text/csv") != std::string_view::npos) {
    format = Format::kCsvDownload;
  }

  model::ActivityQuery q;
  for (const char* name : {"start_time", "end_time"}) {
    auto v = ctx.queryParam(name);
    if (!v) continue;
    auto t = engine::parseRfc3339(*v);
    if (!t) return std::unexpected(Status::invalidArgument(std::string(name) + " must be an RFC 3339 time"));
    (std::string_view(name) == "start_time" ? q.start_time : q.end_time) = *t;
  }
  if (q.start_time && q.end_time && *q.start_time > *q.end_time) {
    return std::unexpected(Status::invalidArgument("start_time is after end_time"));
  }
  q.event_type = param("event_type");
  q.initiated_by = param("initiated_by");
  q.organization = param("organization");
  const int max = format == Format::kPage ? app::kActivityMaxLimit : app::kActivityExportLimit;
  q.limit = format == Format::kPage ? app::kActivityDefaultLimit : app::kActivityExportLimit;
  if (auto l = ctx.queryParam("limit")) {
    int n = 0;
    auto [end, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
    if (ec != std::errc() || end != l->data() + l->size() || n < 1 || n > max) {
      return std::unexpected(Status::invalidArgument("limit must be an integer from 1 to " + std::to_string(max)));
    }
    q.limit = n;
  }
  if (auto s = ctx.queryParam("search_after")) {
    auto cursor = app::parseActivityCursor(*s);
    if (!cursor) return std::unexpected(Status::invalidArgument("search_after is not a cursor this API gave"));
    q.after_timestamp = cursor->first;
    q.after_id = cursor->second;
  }

  if (format != Format::kPage) {
    static const engine::ActionId kExport = *engine::findAction("activity.export");
    if (auto ok = ctx.authorization().require(kExport); !ok) return fail(ok.error());
  }

  // What the reader may see of the log (issue 10 item 7), as every other list: the events of
  // the orgs it reaches (the engine's reach for orgs.read, narrowed to an org launch token's
  // org), and the provider's own events (no org: admins, sign-ins, settings) only if it may
  // read the provider's settings.
  auto reach = orgReach(ctx, "orgs.read");
  if (!reach) return std::unexpected(reach.error());
  q.reach = std::move(*reach);
  static const engine::ActionId kSettings = *engine::findAction("settings.read");
  const app::Authorization& authz = ctx.authorization();
  q.provider_level = authz.permits(authz.request(kSettings));
  auto page = svc.list(actorOf(ctx), q);
  if (!page) return std::unexpected(page.error());

  if (format == Format::kCsvDownload) {
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = app::activityCsv(page->events);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"activity.csv\"");
    if (!page->search_after.empty()) r.headers.emplace_back("X-Search-After", page->search_after);
    return r;
  }
  json results = json::array();
  for (const auto& e : page->events) results.push_back(eventJson(e));
  json body = {{"results", std::move(results)}};
  if (!page->search_after.empty()) body["searchAfter"] = page->search_after;
  Response r = Response::json(body);
  if (format == Format::kJsonDownload) {
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"activity.json\"");
  }
  return r;
}

}  // namespace

void addActivityRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::ActivityService>(app);
  out.push_back(http::Route{"GET", "/api/v2/providers/{pid}/activity", http::Access::action("activity.read").mayAsk("activity.export").mayAsk("settings.read"),
                            http::OrgSource::none(),
                            [svc](RequestContext& ctx) { return listActivity(*svc, ctx); }});
}

}  // namespace mtp::handlers
