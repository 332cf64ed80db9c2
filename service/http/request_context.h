// What a handler sees of a request: method, path parameters, query, headers, body, the
// authenticated principal, the resolved target org and the request id. Knows nothing of
// Pistache.
// Thread-safety: one RequestContext per request, used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/errors.h"
#include "http/principal.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"

namespace mtp::decisions {
class DecisionLog;
}

namespace mtp::http {

struct Route;

using Params = std::vector<std::pair<std::string, std::string>>;

// The engine's answer, with `decided_by` copied out of the Snapshot (the Decision's view is
// only valid while the Snapshot is held).
struct AuthzResult {
  bool allowed = false;
  engine::Reason reason = engine::Reason::kUnknownAction;
  std::string decided_by;

  static AuthzResult from(const engine::Decision& d) {
    return {d.allowed, d.reason, std::string(d.decided_by)};
  }
};

// The server's one question to the engine; the lead wires it to
//   [&](const engine::Request& r) { auto s = authorizer.current(); return AuthzResult::from(s->authorize(r)); }
// Must be safe from any thread and must not throw.
using AuthorizeFn = std::function<AuthzResult(const engine::Request&)>;

class RequestContext;
// Told of every engine denial of an authenticated request (e.g. to write it to the activity
// log). Must not throw.
using DenialFn = std::function<void(const RequestContext& ctx, const engine::Request& request,
                                    const AuthzResult& decision, const std::string& decision_id)>;

// What a handler answers on success. Errors are returned as Error, never as a Response.
struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(const nlohmann::json& j, int status = 200);
  static Response noContent() { return Response{204, "", ""}; }
};

// The transport-neutral view of an incoming HTTP request.
struct IncomingRequest {
  std::string method;  // "GET"
  std::string path;    // raw path, no query
  Params query;        // decoded name/value pairs, in order, repeats kept when available
  Params headers;      // names lowercased
  std::string body;
  std::string peer_ip;  // the TCP peer
};

class RequestContext {
 public:
  const IncomingRequest& request() const { return *in_; }
  std::string_view method() const { return in_->method; }
  std::string_view path() const { return in_->path; }
  std::string_view body() const { return in_->body; }
  const Params& query() const { return in_->query; }

  // The first value of query parameter `name`, if present.
  std::optional<std::string_view> queryParam(std::string_view name) const;
  // A header by (case-insensitive) name.
  std::optional<std::string_view> header(std::string_view name) const;
  // A path parameter of the route pattern (`{id}`), percent-decoded; empty if absent.
  std::string_view param(std::string_view name) const;
  const Params& params() const { return params_; }

  const Route& route() const { return *route_; }
  const std::string& requestId() const { return request_id_; }
  const std::string& clientIp() const { return client_ip_; }
  // REQUIRES: the route is not Public.
  const Principal& principal() const { return *principal_; }
  bool authenticated() const { return principal_.has_value(); }
  // The target org of the route's org source (empty when the route has none).
  const std::string& organization() const { return organization_; }
  // The target provider: `{pid}` if the route has it, else the principal's provider.
  const std::string& provider() const { return provider_; }
  std::int64_t now() const { return now_; }
  // The id of the pipeline's decision (empty for Public and Authenticated-any routes).
  const std::string& decisionId() const { return decision_id_; }

  // An engine request for this principal and context, with `action` (and optionally
  // another org): for handlers that must ask again (escalation with a Target, bulk actions
  // authorized one by one). The views point into this context and its arguments.
  engine::Request engineRequest(engine::ActionId action, std::string_view organization) const;

  // Asks the engine and writes a decision log line; returns the error to answer on denial
  // (mapped like the pipeline's: 404 / 401 / 403 with a decision id), the denial recorded
  // as the pipeline's are. The action must be one the route declares (its own, `also` or
  // `mayAsk`): an undeclared one is refused with 500 internal and logged.
  std::optional<Error> authorize(const engine::Request& request) const;

  // The same question when a "no" hides something rather than refuses the request (a Home
  // widget the caller may not see): the decision is logged, a denial is not recorded as an
  // access_denied event. Undeclared actions answer false.
  bool permits(const engine::Request& request) const;

  // Where the pipeline writes its decision records (null: no --decision-log).
  decisions::DecisionLog* decisionLog() const { return decision_log_; }

 private:
  friend class Pipeline;
  const IncomingRequest* in_ = nullptr;
  const Route* route_ = nullptr;
  Params params_;
  std::string request_id_;
  std::string client_ip_;
  std::optional<engine::IpAddress> client_ip_parsed_;
  std::optional<Principal> principal_;
  std::string organization_;
  std::string provider_;
  std::int64_t now_ = 0;
  std::string decision_id_;
  engine::ActionSet declared_;  // the route's actions: own, also, mayAsk
  const AuthorizeFn* authorize_ = nullptr;
  const DenialFn* on_denied_ = nullptr;
  class Metrics* metrics_ = nullptr;
  decisions::DecisionLog* decision_log_ = nullptr;

  void recordDenial(const engine::Request& request, const AuthzResult& d,
                    const std::string& decision_id) const;
};

}  // namespace mtp::http
