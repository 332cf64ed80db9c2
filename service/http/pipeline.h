// The request pipeline, independent of the transport: match the route (404 / 405) → request
// id → body limit (413) → authenticate (401) → make the request's one app::Authorization
// (one engine snapshot; the token's scope travels in every engine Request) → authorize the
// route's action and its `also` actions BEFORE the handler (denials mapped by
// app::denialError: tenant-reach reasons → 404, mfa_required → 401 mfa_required,
// unknown/inactive admin → 401 unauthenticated, others → 403 with a decision id; every
// decision logged) → handler inside one catch-all (500 internal, details in the log only).
// Every response carries the security headers and X-Request-Id.
//
// Thread-safety: handle() is const and safe from any number of threads (the handlers, the
// Authenticator and the EngineSource must be too).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/authorization.h"
#include "http/errors.h"
#include "http/idempotency.h"
#include "http/metrics.h"
#include "http/principal.h"
#include "http/request_context.h"
#include "http/route_table.h"
#include "mtp/engine/decision.h"

namespace mtp::http {

struct PipelineOptions {
  // CIDRs of reverse proxies whose X-Forwarded-For is believed. Empty: the TCP peer is the
  // client, whatever the headers say.
  std::vector<std::string> trusted_proxies;
  // Seconds since the epoch; tests may fix it.
  std::function<std::int64_t()> clock;
  // Called once for every refusing engine denial of an authenticated request (after the
  // decision log line), e.g. to write the denial to the activity log. Must not throw; may be
  // empty.
  DenialFn on_denied;
  // Told of every decision after the decision log line (a decision log plugs in here). Must
  // not throw; may be empty.
  app::DecisionSink on_decision;
  // Idempotency-Key on authenticated POSTs (http/idempotency.h); null: the header is ignored.
  std::shared_ptr<IdempotencyKeys> idempotency;
};

// The HTTP response of an Status, with `request_id` in the body.
Response errorResponse(const Status& e, std::string_view request_id);

class Pipeline {
 public:
  // Fails when a trusted proxy is not a valid CIDR, or the authenticator or the engine
  // source is missing.
  static std::expected<std::shared_ptr<const Pipeline>, std::vector<std::string>> create(
      RouteTable routes, std::shared_ptr<Authenticator> authenticator, app::EngineSource engine,
      std::shared_ptr<Metrics> metrics, PipelineOptions options = {});

  // Never throws; always returns a complete response.
  Response handle(const IncomingRequest& in) const noexcept;

  const RouteTable& routes() const { return routes_; }
  // The client's address: the TCP peer, or from X-Forwarded-For when the peer is a trusted
  // proxy (PipelineOptions::trusted_proxies).
  std::string clientIp(const IncomingRequest& in) const;
  std::size_t maxBody() const { return routes_.maxBody(); }

  Pipeline(RouteTable routes, std::shared_ptr<Authenticator> authenticator, app::EngineSource engine,
           std::shared_ptr<Metrics> metrics, PipelineOptions options,
           std::vector<engine::IpNetwork> trusted);

 private:
  Response run(const IncomingRequest& in, std::string& route_label) const;
  // The handler inside the one catch-all (a generic 500, details in the log).
  Response runHandler(const Route& route, RequestContext& ctx) const;

  RouteTable routes_;
  std::shared_ptr<Authenticator> authenticator_;
  app::EngineSource engine_;
  std::shared_ptr<Metrics> metrics_;
  PipelineOptions options_;
  std::vector<engine::IpNetwork> trusted_;
};

// Adds Content-Type (when missing), X-Content-Type-Options: nosniff, Cache-Control:
// no-store, X-Frame-Options: DENY, Referrer-Policy: no-referrer and X-Request-Id.
void addSecurityHeaders(Response& r, std::string_view request_id);

}  // namespace mtp::http
