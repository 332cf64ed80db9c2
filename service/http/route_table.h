// One table of routes. Every route declares what it needs: an engine action (validated
// against the engine's closed set), or explicitly Public (no authentication: login,
// healthz) or AuthenticatedAny (a valid principal, no engine check: e.g. whoami-like
// routes). A route that declares nothing, names an unknown action, or whose org-scoped
// action has no way to find its org makes RouteTable::build fail, and the server refuses to
// start. Authorization wraps every handler in the pipeline: no route can forget it.
//
// Thread-safety: a built RouteTable is immutable and safe from any thread.
#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/errors.h"
#include "http/request_context.h"
#include "mtp/engine/action.h"

namespace mtp::http {

using HandlerResult = std::expected<Response, Status>;
using Handler = std::function<HandlerResult(RequestContext&)>;

// What a route requires. Default-constructed = "not declared": build() refuses it.
class Access {
 public:
  enum class Kind { kUndeclared, kPublic, kAuthenticatedAny, kAction };

  Access() = default;
  // The engine action the route performs, e.g. "orgs.read". Checked at build().
  static Access action(std::string name) { return Access(Kind::kAction, std::move(name)); }
  // No authentication at all (login, activation, health, agent routes with their own keys).
  static Access publicRoute() { return Access(Kind::kPublic, {}); }
  // Any authenticated principal; no engine decision.
  static Access authenticatedAny() { return Access(Kind::kAuthenticatedAny, {}); }

  // Second actions, declared here so that no handler can ask the engine about an action the
  // table does not show (RouteTable::build checks the names):
  //  also(a):   asked by the pipeline on every request, right after the route's action and
  //             with the route's org when `a` is org-scoped: the caller must hold both (the
  //             admin links of an org: orgs.read on the org, then admins.read).
  //  mayAsk(a): asked by the handler for some requests only (an export, each item of a bulk
  //             action, a Home widget, an admin change that enables API access), through
  //             the request's app::Authorization, which refuses an undeclared action.
  Access also(std::string a) const {
    Access c = *this;
    c.also_.push_back(std::move(a));
    return c;
  }
  Access mayAsk(std::string a) const {
    Access c = *this;
    c.may_ask_.push_back(std::move(a));
    return c;
  }

  Kind kind() const { return kind_; }
  const std::string& actionName() const { return action_; }
  const std::vector<std::string>& alsoActions() const { return also_; }
  const std::vector<std::string>& mayAskActions() const { return may_ask_; }

 private:
  Access(Kind k, std::string a) : kind_(k), action_(std::move(a)) {}
  Kind kind_ = Kind::kUndeclared;
  std::string action_;
  std::vector<std::string> also_;
  std::vector<std::string> may_ask_;
};

// Where the target org of an org-scoped action comes from.
//
// reach(): a list over every org the caller reaches (GET .../organizations, .../users,
// .../devices). There is no one target org, so the pipeline asks the engine with no org: the
// checks before the org (provider, status, API access, MFA) decide, and the answer
// `org_unknown` — which the engine gives exactly when those checks passed and the org is
// missing — lets the request through. The handler MUST then narrow the list to the engine's
// reverse query (app::Authorization::orgReach for the route's action; handlers/org_reach.h
// does it, including an org launch token's one org) and filter in SQL with model::OrgReach.
struct OrgSource {
  enum class Kind { kNone, kPathParam, kHeader, kReach };
  Kind kind = Kind::kNone;
  std::string name;  // the path parameter (`id`) or the header (`x-org-id`)

  static OrgSource none() { return {}; }
  static OrgSource pathParam(std::string n) { return {Kind::kPathParam, std::move(n)}; }
  static OrgSource header(std::string n = "x-org-id") { return {Kind::kHeader, std::move(n)}; }
  static OrgSource reach() { return {Kind::kReach, {}}; }
};

inline constexpr std::size_t kDefaultMaxBody = 64 * 1024;

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  // "/api/v2/providers/{pid}/organizations/{id}"
  Access access;        // required: see Access
  OrgSource org;        // required for org-scoped actions
  Handler handler;
  std::size_t max_body = kDefaultMaxBody;  // bigger bodies get 413 payload_too_large
  // A Public POST that accepts Idempotency-Key (http/idempotency.h; docs/consistency.md says
  // which do): the key is scoped to the route's method and path, the request to its body and
  // its credential header (x-device-key), and only a 2xx answer is kept. Authenticated POSTs
  // always accept the header; other Public ones ignore it.
  bool public_idempotency = false;
  // An authenticated POST whose answer holds a credential (a session or launch token, an API
  // key, a TOTP secret): it ignores Idempotency-Key, because a stored answer would keep the
  // credential at rest and hand it out again (docs/consistency.md).
  bool answers_credential = false;
};

// A matched route and its path parameters.
struct RouteMatch {
  const Route* route = nullptr;       // null: no route matched
  Params params;                      // percent-decoded
  std::vector<std::string> allow;     // when the path matched but not the method
};

class RouteTable {
 public:
  // Validates every route; on failure returns one message per problem
  // (`GET /api/x: no access declared (use Access::action, publicRoute or authenticatedAny)`).
  static std::expected<RouteTable, std::vector<std::string>> build(std::vector<Route> routes);

  // The most specific route for `method` and `path` (literal segments beat parameters).
  RouteMatch match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  // The engine action of route `i` (kNoAction for Public / AuthenticatedAny).
  engine::ActionId actionOf(const Route& r) const;
  // The route's `also` actions, in declaration order.
  const std::vector<engine::ActionId>& alsoOf(const Route& r) const;
  // Every action the route may ask: its own, `also` and `mayAsk`.
  engine::ActionSet declaredOf(const Route& r) const;
  std::size_t maxBody() const;

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" for a parameter
    engine::ActionId action = engine::kNoAction;
    std::vector<engine::ActionId> also;
    engine::ActionSet declared;
    int literals = 0;
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace mtp::http
