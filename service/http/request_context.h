// What a handler sees of a request: method, path parameters, query, headers, body, the
// authenticated principal, the resolved target org, the request id and the request's one
// app::Authorization (every engine question of the request). Knows nothing of Pistache.
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

#include "app/authorization.h"
#include "http/errors.h"
#include "http/principal.h"
#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"

namespace mtp::http {

struct Route;

using Params = std::vector<std::pair<std::string, std::string>>;

class RequestContext;
// Told of every refusing engine denial of an authenticated request (e.g. to write it to the
// activity log), through the request's Authorization. `decision`'s views are valid during
// the call only. Must not throw.
using DenialFn = std::function<void(const RequestContext& ctx, const engine::Request& request,
                                    const engine::Decision& decision, std::string_view decision_id)>;

// What a handler answers on success. Errors are returned as Status, never as a Response.
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
  // Set by the server when it took the client IP's token of a limited route before the
  // pipeline (http/rate_limit.h): 0 admitted, N > 0 refused for N seconds. Unset: the route's
  // handler counts the request itself.
  std::optional<int> ip_limit;
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

  // The request's one authorization object (app/authorization.h): every engine question of
  // the request (a second action, an escalation check, a Home widget, a reach list) goes
  // through it, on the snapshot the route's action was decided on. Present on every route
  // (on a Public route it knows no admin: every question is denied).
  const app::Authorization& authorization() const { return *authorization_; }

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
  const app::Authorization* authorization_ = nullptr;

  // The request's facts as the engine sees them (no action yet): the Authorization's context.
  // The views point into this context.
  engine::Request engineContext() const;
};

}  // namespace mtp::http
