// The access review (issue 14 item 3; app/access_review_service.h says what it holds):
//   GET  /api/v2/providers/{pid}/access-review[?format=csv|json]
//        admins.read, also access_review.read. format=csv (or Accept: text/csv without
//        format): the CSV of app/access_review_text.h as an attachment.
//   POST /api/v2/providers/{pid}/access-review/certifications {adminId, note?}
//        access_review.certify, also admins.read → 201 {id, adminId, certifiedBy, certifiedAt,
//        note}; one access_review_certify event.
//   POST /api/v2/providers/{pid}/access-review/remove-unused {days, adminIds?}
//        admins.grant_access, also access_review.read → {results:[{adminId, organization,
//        lastUsedAt, status, error?}]}: each grant unused for `days` days is removed as
//        DELETE .../organizationlinks/{orgId} would (escalation check, one event each).
// Another provider's {pid} is refused by the pipeline like every provider route.
#include <nlohmann/json.hpp>

#include <memory>

#include "app/access_review_service.h"
#include "app/access_review_text.h"
#include "app/admin_text.h"
#include "handlers/actor.h"
#include "http/errors.h"
#include "handlers/bulk_results.h"
#include "handlers/routes.h"
#include "http/json_body.h"

namespace mtp::handlers {

namespace {

using http::HandlerResult;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::string_view kReview = "/api/v2/providers/{pid}/access-review";

HandlerResult getReview(app::AccessReviewService& svc, RequestContext& ctx) {
  for (const auto& [k, v] : ctx.query()) {
    if (k != "format") return std::unexpected(Status::invalidArgument("unknown parameter `" + k + "`"));
  }
  bool csv = false;
  if (auto f = ctx.queryParam("format")) {
    if (*f == "csv") csv = true;
    else if (*f != "json") return std::unexpected(Status::invalidArgument("format must be csv or json"));
  } else if (auto accept = ctx.header("accept"); accept && accept->find("text/csv") != std::string_view::npos) {
    csv = true;
  }
  auto review = svc.review(actorOf(ctx), ctx.authorization());
  if (!review) return fail(review.error());
  if (csv) {
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = app::accessReviewCsv(*review);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"access-review.csv\"");
    return r;
  }
  return Response::json(app::accessReviewJson(*review));
}

HandlerResult certify(app::AccessReviewService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"adminId", "note"});
  if (!body) return std::unexpected(body.error());
  auto admin = body->requiredString("adminId");
  if (!admin) return std::unexpected(admin.error());
  auto note = body->optionalString("note");
  if (!note) return std::unexpected(note.error());
  auto c = svc.certify(actorOf(ctx), *admin, note->value_or(""));
  if (!c) return fail(c.error());
  return Response::json({{"id", c->id},
                         {"adminId", c->admin_id},
                         {"certifiedBy", {{"id", c->certified_by_id}, {"email", c->certified_by_email}}},
                         {"certifiedAt", app::formatRfc3339(c->certified_at)},
                         {"note", c->note}},
                        201);
}

HandlerResult removeUnused(app::AccessReviewService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"days", "adminIds"});
  if (!body) return std::unexpected(body.error());
  auto days = body->optionalInt("days", 1, app::kMaxUnusedDays);
  if (!days) return std::unexpected(days.error());
  if (!*days) return std::unexpected(Status::invalidArgument("field `days` is required"));
  auto ids = body->optionalStringArray("adminIds");
  if (!ids) return std::unexpected(ids.error());
  const std::vector<std::string> admin_ids = ids->value_or(std::vector<std::string>{});
  if (ids->has_value() && admin_ids.empty()) {
    return std::unexpected(Status::invalidArgument("field `adminIds` must not be empty (omit it for every admin)"));
  }
  auto out = svc.removeUnused(actorOf(ctx), static_cast<int>(**days), admin_ids, ctx.authorization());
  if (!out) return fail(out.error());
  json results = json::array();
  for (const auto& r : *out) {
    json item{{"adminId", r.admin_id},
              {"organization", r.org_id.empty() ? json(nullptr) : json(r.org_id)},
              {"lastUsedAt", r.last_used_at ? json(app::formatRfc3339(*r.last_used_at)) : json(nullptr)}};
    results.push_back(bulkItem(std::move(item), r.error ? std::optional<Status>(*r.error) : std::nullopt));
  }
  return Response::json({{"results", std::move(results)}});
}

}  // namespace

void addAccessReviewRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  auto svc = std::make_shared<app::AccessReviewService>(app);
  const std::string review(kReview);
  out.push_back(http::Route{"GET", review, http::Access::action("admins.read").also("access_review.read"),
                            http::OrgSource::none(), [svc](RequestContext& c) { return getReview(*svc, c); }});
  out.push_back(http::Route{"POST", review + "/certifications",
                            http::Access::action("access_review.certify").also("admins.read"),
                            http::OrgSource::none(), [svc](RequestContext& c) { return certify(*svc, c); }});
  out.push_back(http::Route{"POST", review + "/remove-unused",
                            http::Access::action("admins.grant_access").also("access_review.read"),
                            http::OrgSource::none(), [svc](RequestContext& c) { return removeUnused(*svc, c); }});
}

}  // namespace mtp::handlers
