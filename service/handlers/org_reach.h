// The orgs a reach list (a route declared with http::OrgSource::reach()) may show: the
// request's Authorization::orgReach(action) — the engine's reverse query on the request's one
// snapshot, with its own context (auth method, MFA, client IP, time), narrowed to the one org
// of an org launch token — as the store's filter. The
// pipeline has already checked everything before the org (provider, status, API access, MFA);
// this is the org part, and the store filters on it in SQL (model::OrgReach).
//
// Usage, in the handler of GET .../organizations (users, devices alike):
//   auto reach = handlers::orgReach(ctx, "orgs.read");
//   if (!reach) return std::unexpected(reach.error());
//   ... tx.listOrganizations(scope, *reach, query) ...
//
// An admin whose roles (default or per-org) hold the action in no org is denied
// (role_lacks_action → 403, logged and recorded as any denial); one whose role holds it but
// who reaches no org gets OrgReach::only({}): an empty list.
// Thread-safety: as the RequestContext (one request, one thread).
#pragma once

#include <expected>
#include <string_view>

#include "http/request_context.h"
#include "model/scope.h"

namespace mtp::handlers {

// REQUIRES: `action` names an org-scoped action (else the reach is empty).
std::expected<model::OrgReach, Status> orgReach(const http::RequestContext& ctx, std::string_view action);

}  // namespace mtp::handlers
