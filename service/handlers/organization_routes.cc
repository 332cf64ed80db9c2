// The provider's client organizations.
//   GET    /api/v2/providers/{pid}/organizations             orgs.read    (reach list)
//   POST   /api/v2/providers/{pid}/organizations             orgs.create  → 201
//   GET    /api/v2/providers/{pid}/organizations/{id}        orgs.read    (org {id})
//   PUT    /api/v2/providers/{pid}/organizations/{id}        orgs.update
//   DELETE /api/v2/providers/{pid}/organizations/{id}        orgs.remove  → 204
//   PUT    /api/v2/providers/{pid}/organizations/{id}/logo   orgs.update  (raw PNG/JPEG ≤ 1 MiB) → 204
//   GET    /api/v2/providers/{pid}/organizations/{id}/logo   orgs.read    → the bytes
//   POST   /api/v2/providers/{pid}/organizations/{id}/launch orgs.launch  → {token, tokenType, expiresIn, organization}
//   GET    /api/v2/organizations/{id}/administratorlinks     orgs.read + admins.read (asked of the engine here)
//
// The list shows exactly the orgs of the engine's reverse query (handlers/org_reach.h): empty
// for an admin who reaches no org, 403 for one whose roles hold orgs.read nowhere; an org
// outside the caller's reach, of another provider, or unknown answers 404 (the engine's
// org_not_granted / provider_mismatch / org_unknown). Choices where the spec is silent:
// - PUT is partial: absent fields stay; `maxSystemUsers: null` removes the cap.
// - A logo is recognised by its bytes (PNG signature + IHDR, or JPEG SOI); the Content-Type
//   header is not trusted and the stored type is the sniffed one. Anything else: 415.
// - userCount, deviceCount and applicationCount are the org's users, devices and SAML/OIDC
//   applications (application_routes.cc) now.
// - administratorlinks also needs admins.read (it shows admins' emails and roles), asked of
//   the engine in the handler: a command runner, who reaches orgs but lacks admins.read, gets 403.
// - administratorlinks lists the admins who reach the org now (the store: allOrganizations
//   or an unexpired grant, whatever their status) with `roleName` the role in force there
//   (the grant's role, else the default role); paged in memory with limit/skip.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "app/activity_service.h"
#include "app/organization_service.h"
#include "handlers/actor.h"
#include "handlers/etag.h"
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

constexpr std::string_view kOrgs = "/api/v2/providers/{pid}/organizations";
constexpr std::string_view kOrg = "/api/v2/providers/{pid}/organizations/{id}";

json orgJson(const model::OrganizationRecord& o) {
  return json{{"id", o.id},
              {"name", o.name},
              {"maxSystemUsers", o.max_system_users ? json(*o.max_system_users) : json(nullptr)},
              {"userCount", o.user_count},
              {"deviceCount", o.device_count},
              {"applicationCount", o.application_count},
              {"remoteAssist", o.remote_assist},
              {"tags", o.tags},
              {"hasLogo", o.has_logo},
              {"created", app::formatRfc3339(o.created)},
              {"updated", app::formatRfc3339(o.updated)},
              {"version", o.version}};
}

const http::ListSpec& orgListSpec() {
  static const http::ListSpec spec{
      {"id", "name", "maxSystemUsers", "remoteAssist", "created", "updated"},
      {"id", "name", "maxSystemUsers", "remoteAssist", "created", "updated", "tags"},
      {}};
  return spec;
}

// ---- handlers

HandlerResult listOrgs(app::OrganizationService& svc, RequestContext& ctx) {
  auto q = http::parseListQuery(ctx.query(), orgListSpec());
  if (!q) return std::unexpected(q.error());
  auto reach = orgReach(ctx, "orgs.read");
  if (!reach) return std::unexpected(reach.error());
  auto page = svc.list(actorOf(ctx), *reach, toStoreQuery(*q, "name"));
  if (!page) return fail(page.error());
  json results = json::array();
  for (const auto& o : page->results) results.push_back(orgJson(o));
  return Response::json({{"results", std::move(results)}, {"totalCount", page->total_count}});
}

HandlerResult createOrg(app::OrganizationService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"name", "maxSystemUsers", "tags"});
  if (!body) return std::unexpected(body.error());
  auto name = body->requiredString("name");
  if (!name) return std::unexpected(name.error());
  auto cap = body->optionalInt("maxSystemUsers", 0, 1'000'000'000);
  if (!cap) return std::unexpected(cap.error());
  auto tags = body->optionalStringArray("tags");
  if (!tags) return std::unexpected(tags.error());
  app::OrgCreate in{*name, *cap, tags->value_or(std::vector<std::string>{})};
  auto org = svc.create(actorOf(ctx), in);
  if (!org) return fail(org.error());
  return created(Response::json(orgJson(*org), 201),
                 "/api/v2/providers/" + std::string(ctx.param("pid")) + "/organizations/" + org->id, org->version);
}

HandlerResult getOrg(app::OrganizationService& svc, RequestContext& ctx) {
  auto org = svc.get(actorOf(ctx), ctx.organization());
  if (!org) return fail(org.error());
  return withEtag(Response::json(orgJson(*org)), org->version);
}

HandlerResult putOrg(app::OrganizationService& svc, RequestContext& ctx) {
  auto body = http::JsonBody::parse(ctx, {"name", "maxSystemUsers", "remoteAssist", "tags"});
  if (!body) return std::unexpected(body.error());
  app::OrgChanges ch;
  auto name = body->optionalString("name");
  if (!name) return std::unexpected(name.error());
  ch.name = *name;
  if (body->has("maxSystemUsers")) {
    auto cap = body->optionalInt("maxSystemUsers", 0, 1'000'000'000);
    if (!cap) return std::unexpected(cap.error());
    ch.max_system_users = *cap;  // null: no cap
  }
  auto remote = body->optionalBool("remoteAssist");
  if (!remote) return std::unexpected(remote.error());
  ch.remote_assist = *remote;
  auto tags = body->optionalStringArray("tags");
  if (!tags) return std::unexpected(tags.error());
  ch.tags = *tags;
  auto org = svc.update(actorOf(ctx), ctx.organization(), ch, ifMatchOf(ctx));
  if (!org) return fail(org.error());
  return withEtag(Response::json(orgJson(*org)), org->version);
}

HandlerResult deleteOrg(app::OrganizationService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto done = svc.remove(actorOf(ctx), ctx.organization(), ifMatchOf(ctx));
  if (!done) return fail(done.error());
  return Response::noContent();
}

HandlerResult putLogo(app::OrganizationService& svc, RequestContext& ctx) {
  // The pipeline has refused bodies over the route's max_body (1 MiB) with 413.
  if (!app::sniffImageType(ctx.body())) {
    return std::unexpected(Status::unsupportedMediaType("the logo must be a PNG or JPEG image"));
  }
  auto done = svc.setLogo(actorOf(ctx), ctx.organization(), std::string(ctx.body()), ifMatchOf(ctx));
  if (!done) return fail(done.error());
  return Response::noContent();
}

HandlerResult getLogo(app::OrganizationService& svc, RequestContext& ctx) {
  auto logo = svc.getLogo(actorOf(ctx), ctx.organization());
  if (!logo) return fail(logo.error());
  Response r;
  r.status = 200;
  r.content_type = logo->content_type;
  r.body = std::move(logo->data);
  return r;
}

HandlerResult launchOrg(app::OrganizationService& svc, RequestContext& ctx) {
  if (auto e = requireNoFields(ctx)) return std::unexpected(*e);
  auto t = svc.launch(actorOf(ctx), ctx.organization());
  if (!t) return fail(t.error());
  return Response::json({{"token", t->token},
                         {"tokenType", "Bearer"},
                         {"expiresIn", t->expires_in},
                         {"organization", orgJson(t->organization)}});
}

HandlerResult adminLinks(app::OrganizationService& svc, RequestContext& ctx) {
  // The route's orgs.read proved the org is reached; its declared admins.read was asked too.
  auto q = http::parseListQuery(ctx.query(), http::ListSpec{});
  if (!q) return std::unexpected(q.error());
  auto admins = svc.administrators(actorOf(ctx), ctx.organization());
  if (!admins) return fail(admins.error());
  json results = json::array();
  const auto total = static_cast<std::int64_t>(admins->size());
  for (std::int64_t i = q->skip; i < total && i < q->skip + q->limit; ++i) {
    const auto& a = (*admins)[static_cast<std::size_t>(i)];
    results.push_back({{"id", a.admin.id},
                       {"email", a.admin.email},
                       {"firstname", a.admin.firstname},
                       {"lastname", a.admin.lastname},
                       {"roleName", a.effective_role},
                       {"status", std::string(model::adminStatusText(a.admin.status))},
                       {"allOrganizations", a.admin.all_organizations}});
  }
  return Response::json({{"results", std::move(results)}, {"totalCount", total}});
}

}  // namespace

void addOrganizationRoutes(std::vector<http::Route>& out, app::AppContext& app) {
  using http::Access;
  using http::OrgSource;
  using http::Route;
  auto svc = std::make_shared<app::OrganizationService>(app);
  const std::string orgs(kOrgs), org(kOrg);
  out.push_back(Route{"GET", orgs, Access::action("orgs.read"), OrgSource::reach(),
                      [svc](RequestContext& c) { return listOrgs(*svc, c); }});
  out.push_back(Route{"POST", orgs, Access::action("orgs.create"), OrgSource::none(),
                      [svc](RequestContext& c) { return createOrg(*svc, c); }});
  out.push_back(Route{"GET", org, Access::action("orgs.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return getOrg(*svc, c); }});
  out.push_back(Route{"PUT", org, Access::action("orgs.update"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return putOrg(*svc, c); }});
  out.push_back(Route{"DELETE", org, Access::action("orgs.remove"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return deleteOrg(*svc, c); }});
  Route put_logo{"PUT", org + "/logo", Access::action("orgs.update"), OrgSource::pathParam("id"),
                 [svc](RequestContext& c) { return putLogo(*svc, c); }};
  put_logo.max_body = app::kMaxLogoBytes;
  out.push_back(std::move(put_logo));
  out.push_back(Route{"GET", org + "/logo", Access::action("orgs.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return getLogo(*svc, c); }});
  Route launch{"POST", org + "/launch", Access::action("orgs.launch"), OrgSource::pathParam("id"),
               [svc](RequestContext& c) { return launchOrg(*svc, c); }};
  launch.answers_credential = true;  // a launch token: Idempotency-Key is ignored
  out.push_back(std::move(launch));
  out.push_back(Route{"GET", "/api/v2/organizations/{id}/administratorlinks",
                      Access::action("orgs.read").also("admins.read"), OrgSource::pathParam("id"),
                      [svc](RequestContext& c) { return adminLinks(*svc, c); }});
}

}  // namespace mtp::handlers
