#include "http/pipeline.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "auth/digest.h"
#include "auth/random.h"
#include "http/errors.h"

namespace mtp::http {

namespace {

std::shared_ptr<spdlog::logger> decisionLog() {
  auto l = spdlog::get("decision");
  return l ? l : spdlog::default_logger();
}

std::string_view authMethodName(engine::AuthMethod m) {
  return m == engine::AuthMethod::kApiKey ? "api_key" : "session";
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Writes one decision line; ids and names only, never credentials.
void logDecision(const RequestContext& ctx, const engine::Request& r, const engine::Decision& d,
                 std::string_view decision_id, Metrics* metrics) {
  std::string_view action =
      r.action == engine::kNoAction ? std::string_view("?") : engine::actionInfo(r.action).name;
  decisionLog()->info(
      "decision id={} request={} admin={} provider={} action={} org={} auth={} mfa={} ip={} "
      "allowed={} reason={} decided_by={}",
      decision_id, ctx.requestId(), r.admin, r.provider, action, r.organization,
      authMethodName(r.auth_method), r.mfa, ctx.clientIp(), d.allowed,
      engine::reasonName(d.reason), d.decided_by);
  if (metrics) metrics->countDecision(engine::reasonName(d.reason));
}

}  // namespace

// ---- Response / RequestContext ------------------------------------------------------------

Response Response::json(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::optional<std::string_view> RequestContext::queryParam(std::string_view name) const {
  for (const auto& [k, v] : in_->query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> RequestContext::header(std::string_view name) const {
  for (const auto& [k, v] : in_->headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view RequestContext::param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return {};
}

engine::Request RequestContext::engineContext() const {
  engine::Request r;
  if (principal_) {
    r.admin = principal_->admin_id;
    r.auth_method = principal_->auth_method;
    r.mfa = principal_->mfa;
    // The credential's scope travels with every question asked for this request.
    switch (principal_->scope) {
      case auth::TokenScope::kFull: r.session_scope = engine::SessionScope::kFull; break;
      case auth::TokenScope::kMfaEnroll: r.session_scope = engine::SessionScope::kEnrollmentOnly; break;
      case auth::TokenScope::kOrg:
        r.session_scope = engine::SessionScope::kOrgLaunch;
        r.launch_org = principal_->org;
        break;
    }
  }
  r.provider = provider_;
  r.client_ip = client_ip_parsed_;
  r.time = now_;
  return r;
}

void addSecurityHeaders(Response& r, std::string_view request_id) {
  auto set = [&](std::string name, std::string value) {
    for (auto& [k, v] : r.headers) {
      if (iequals(k, name)) return;  // the handler's own value wins
    }
    r.headers.emplace_back(std::move(name), std::move(value));
  };
  set("X-Content-Type-Options", "nosniff");
  set("Cache-Control", "no-store");
  set("X-Frame-Options", "DENY");
  set("Referrer-Policy", "no-referrer");
  set("X-Request-Id", std::string(request_id));
}

Response errorResponse(const Status& e, std::string_view request_id) {
  Response r;
  r.status = httpStatus(e);
  r.body = renderErrorBody(e, request_id);
  // What the body never says (database text, a handler's own words) is logged here, once.
  if (e.code == Status::Code::kInternal) {
    const std::string& why = e.detail.empty() ? e.message : e.detail;
    if (!why.empty() && why != "internal error") {
      spdlog::error("request={} internal error: {}", request_id, why);
    }
  } else if (e.code == Status::Code::kUnavailable && !e.detail.empty()) {
    spdlog::warn("request={} unavailable: {}", request_id, e.detail);
  }
  if (!e.allow.empty()) {
    std::string allow;
    for (const auto& m : e.allow) allow += (allow.empty() ? "" : ", ") + m;
    r.headers.emplace_back("Allow", allow);
  }
  if (const int seconds = retryAfterSeconds(e); seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
  }
  if (e.code == Status::Code::kUnauthenticated || e.code == Status::Code::kMfaRequired) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return r;
}

bool replayedHeader(std::string_view name) {
  auto same = [&](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != want[i]) return false;
    }
    return true;
  };
  return same("location") || same("etag");
}

std::string idempotencyKeyProblem(std::string_view key) {
  if (key.empty() || key.size() > 255) return "the Idempotency-Key header must be 1 to 255 characters";
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return "the Idempotency-Key header must be printable ASCII";
  }
  return "";
}

// ---- Pipeline -----------------------------------------------------------------------------

std::expected<std::shared_ptr<const Pipeline>, std::vector<std::string>> Pipeline::create(
    RouteTable routes, std::shared_ptr<Authenticator> authenticator, app::EngineSource engine,
    std::shared_ptr<Metrics> metrics, PipelineOptions options) {
  std::vector<std::string> problems;
  std::vector<engine::IpNetwork> trusted;
  for (const auto& cidr : options.trusted_proxies) {
    auto n = engine::parseIpNetwork(cidr);
    if (!n) problems.push_back("trusted proxy `" + cidr + "` is not an address or CIDR");
    else trusted.push_back(*n);
  }
  if (!authenticator) problems.push_back("no authenticator");
  if (!engine) problems.push_back("no engine");
  if (!problems.empty()) return std::unexpected(std::move(problems));
  if (!metrics) metrics = std::make_shared<Metrics>();
  if (!options.clock) options.clock = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
  return std::make_shared<const Pipeline>(std::move(routes), std::move(authenticator),
                                          std::move(engine), std::move(metrics),
                                          std::move(options), std::move(trusted));
}

Pipeline::Pipeline(RouteTable routes, std::shared_ptr<Authenticator> authenticator,
                   app::EngineSource engine, std::shared_ptr<Metrics> metrics,
                   PipelineOptions options, std::vector<engine::IpNetwork> trusted)
    : routes_(std::move(routes)),
      authenticator_(std::move(authenticator)),
      engine_(std::move(engine)),
      metrics_(std::move(metrics)),
      options_(std::move(options)),
      trusted_(std::move(trusted)) {}

std::string Pipeline::clientIp(const IncomingRequest& in) const {
  if (trusted_.empty()) return in.peer_ip;
  auto isTrusted = [&](std::string_view ip) {
    auto a = engine::parseIpAddress(ip);
    if (!a) return false;
    for (const auto& n : trusted_) {
      if (n.contains(*a)) return true;
    }
    return false;
  };
  if (!isTrusted(in.peer_ip)) return in.peer_ip;
  // Walk X-Forwarded-For from the right: the first address not of a trusted proxy is the
  // client (entries further left were written by the client and prove nothing).
  std::string xff;
  for (const auto& [k, v] : in.headers) {
    if (k == "x-forwarded-for") xff += (xff.empty() ? "" : ",") + v;
  }
  std::string_view rest = xff;
  std::string last = in.peer_ip;
  while (!rest.empty()) {
    auto comma = rest.rfind(',');
    std::string_view hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!engine::parseIpAddress(hop)) return last;  // garbage: stop at the last good hop
    last = std::string(hop);
    if (!isTrusted(hop)) return last;
  }
  return last;
}

Response Pipeline::handle(const IncomingRequest& in) const noexcept {
  const auto t0 = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  Response resp;
  try {
    resp = run(in, route_label);
  } catch (...) {
    // run() catches handler exceptions itself; this is the last line (e.g. bad_alloc).
    std::string rid;
    try {
      rid = auth::newId();
      spdlog::error("request={} pipeline failure outside a handler", rid);
    } catch (...) {
    }
    resp = errorResponse(Status::internal(), rid);
    addSecurityHeaders(resp, rid);
  }
  try {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics_->observeRequest(route_label, in.method, resp.status, secs);
  } catch (...) {
  }
  return resp;
}

Response Pipeline::run(const IncomingRequest& in, std::string& route_label) const {
  const std::string request_id = auth::newId();
  auto fail = [&](const Status& e) {
    Response r = errorResponse(e, request_id);
    addSecurityHeaders(r, request_id);
    return r;
  };

  RouteMatch m = routes_.match(in.method, in.path);
  if (!m.route) {
    if (!m.allow.empty()) return fail(Status::methodNotAllowed(std::move(m.allow)));
    return fail(Status::notFound());
  }
  const Route& route = *m.route;
  route_label = route.pattern;

  RequestContext ctx;
  ctx.in_ = &in;
  ctx.route_ = &route;
  ctx.params_ = std::move(m.params);
  ctx.request_id_ = request_id;
  ctx.client_ip_ = clientIp(in);
  ctx.client_ip_parsed_ = engine::parseIpAddress(ctx.client_ip_);
  ctx.now_ = options_.clock();
  // Until the caller is known: an Authorization that knows no admin and no engine.
  std::optional<app::Authorization> authz;
  authz.emplace(nullptr, engine::Request{}, engine::ActionSet{}, app::DecisionSinks{}, request_id);
  ctx.authorization_ = &*authz;

  if (in.body.size() > route.max_body) return fail(Status::payloadTooLarge());

  const Access::Kind kind = route.access.kind();
  if (kind == Access::Kind::kUndeclared) return fail(Status::internal());  // build() forbids it

  if (kind != Access::Kind::kPublic) {
    std::string_view bearer, api_key;
    bool bad_scheme = false;
    for (const auto& [k, v] : in.headers) {
      if (k == "authorization") {
        std::string_view value = trim(v);
        if (value.size() > 7 && iequals(value.substr(0, 7), "bearer ")) bearer = trim(value.substr(7));
        else bad_scheme = true;
      } else if (k == "x-api-key") {
        api_key = trim(v);
      }
    }
    if (bad_scheme || (bearer.empty() && api_key.empty())) return fail(Status::unauthenticated());
    if (!bearer.empty() && !api_key.empty()) {
      return fail(Status::invalidArgument("send either a bearer token or x-api-key, not both"));
    }
    std::expected<Principal, Status> p = [&]() -> std::expected<Principal, Status> {
      try {
        return authenticator_->authenticate(Credentials{bearer, api_key, ctx.client_ip_});
      } catch (const std::exception& e) {
        spdlog::error("request={} authenticator threw: {}", request_id, e.what());
      } catch (...) {
        spdlog::error("request={} authenticator threw a non-standard exception", request_id);
      }
      return std::unexpected(Status::internal());
    }();
    if (!p) return fail(p.error());
    ctx.principal_ = std::move(*p);
  }

  // The target provider and org.
  ctx.provider_ = std::string(ctx.param("pid"));
  if (ctx.provider_.empty() && ctx.principal_) ctx.provider_ = ctx.principal_->provider_id;
  if (route.org.kind == OrgSource::Kind::kPathParam) {
    ctx.organization_ = std::string(ctx.param(route.org.name));
  } else if (route.org.kind == OrgSource::Kind::kHeader) {
    auto h = ctx.header(route.org.name);
    if (!h || trim(*h).empty()) {
      return fail(Status::invalidArgument("the " + route.org.name + " header is required"));
    }
    ctx.organization_ = std::string(trim(*h));
  }

  // The request's one Authorization: one engine snapshot for every question of the request,
  // every decision logged (and told to on_decision), every refusing denial of an
  // authenticated caller recorded (on_denied).
  if (ctx.principal_) {
    std::shared_ptr<const app::EngineView> view;
    try {
      view = engine_();
    } catch (...) {
      spdlog::error("request={} engine source threw", request_id);
      return fail(Status::internal());
    }
    app::DecisionSinks sinks;
    sinks.decided = [this, &ctx](const engine::Request& r, const engine::Decision& d,
                                 const app::DecisionInfo& info) {
      logDecision(ctx, r, d, info.decision_id, metrics_.get());
      if (options_.on_decision) options_.on_decision(r, d, info);
    };
    if (options_.on_denied) {
      sinks.denied = [this, &ctx](const engine::Request& r, const engine::Decision& d,
                                  const app::DecisionInfo& info) {
        options_.on_denied(ctx, r, d, info.decision_id);
      };
    }
    authz.emplace(std::move(view), ctx.engineContext(), routes_.declaredOf(route), std::move(sinks),
                  request_id);
    ctx.authorization_ = &*authz;
  }

  if (kind == Access::Kind::kAction) {
    const bool reach = route.org.kind == OrgSource::Kind::kReach;
    // The route's action, then every `also` action it declares, each on the route's org when
    // org-scoped. A list over every org the caller reaches asks about any org: the engine
    // answers whether some role the admin holds has the action; the handler then lists the
    // orgs of Authorization::orgReach.
    auto ask = [&](engine::ActionId action) -> std::optional<Status> {
      const bool per_org = engine::actionInfo(action).scope == engine::Scope::kOrg;
      engine::Request er = authz->request(action, per_org ? std::string_view(ctx.organization_) : "");
      er.any_organization = reach && per_org;
      if (auto ok = authz->require(er); !ok) return ok.error();
      return std::nullopt;
    };
    if (auto denied = ask(routes_.actionOf(route))) return fail(*denied);
    for (engine::ActionId also : routes_.alsoOf(route)) {
      if (auto denied = ask(also)) return fail(*denied);
    }
  }

  // Idempotency-Key (http/idempotency.h): an authenticated POST with the header.
  // A Public POST only where the route accepts it (Route::public_idempotency).
  std::optional<std::string_view> key;
  const bool anonymous = !ctx.principal_.has_value();
  if (options_.idempotency && in.method == "POST" && (!anonymous || route.public_idempotency) &&
      !route.answers_credential) {
    key = ctx.header("idempotency-key");
  }
  if (!key) return runHandler(route, ctx);
  if (auto problem = idempotencyKeyProblem(*key); !problem.empty()) {
    return fail(Status::invalidArgument(problem));
  }
  std::string key_hash, request_hash;
  if (anonymous) {
    const std::string credential(ctx.header("x-device-key").value_or(""));
    key_hash = auth::sha256Hex("public\n" + in.method + "\n" + in.path + "\n" + std::string(*key));
    request_hash = auth::sha256Hex(credential + "\n" + in.body);
  } else {
    const Principal& who = *ctx.principal_;
    key_hash = auth::sha256Hex(who.admin_id + "\n" + who.provider_id + "\n" + in.method + "\n" + in.path +
                               "\n" + std::string(*key));
    request_hash = auth::sha256Hex(ctx.organization_ + "\n" + in.body);
  }
  IdempotencyKeys& keys = *options_.idempotency;
  const IdempotencyKeys::Begin begun = keys.begin(key_hash, request_hash);
  switch (begun.kind) {
    case IdempotencyKeys::Kind::kRun: break;
    case IdempotencyKeys::Kind::kReplay: {
      Response r;
      r.status = begun.answer.status;
      r.content_type = begun.answer.content_type;
      r.body = begun.answer.body;
      r.headers = begun.answer.headers;
      r.headers.emplace_back("Idempotent-Replayed", "true");
      addSecurityHeaders(r, request_id);
      return r;
    }
    case IdempotencyKeys::Kind::kMismatch:
      return fail(Status::unprocessable("this Idempotency-Key was used with a different request"));
    case IdempotencyKeys::Kind::kInFlight: {
      Status e = Status::conflict("a request with this Idempotency-Key is in progress");
      e.retry_after = 1;
      return fail(e);
    }
    case IdempotencyKeys::Kind::kAlreadyApplied:
      return fail(Status::conflict(
          "the request with this Idempotency-Key was applied but its answer was lost: read the "
          "resource to see the outcome"));
    case IdempotencyKeys::Kind::kUnavailable:
      return fail(Status::unavailable(1, "service unavailable: the Idempotency-Key cannot be checked"));
  }
  Response r;
  keys.runMarked(key_hash, [&] { r = runHandler(route, ctx); });
  if (anonymous && (r.status < 200 || r.status > 299)) {
    keys.forget(key_hash);
  } else if (r.status < 500 && r.status != 429) {
    StoredAnswer answer{r.status, r.content_type, r.body, {}};
    for (const auto& [name, value] : r.headers) {
      if (replayedHeader(name)) answer.headers.emplace_back(name, value);
    }
    keys.finish(key_hash, &answer);
  } else {
    keys.finish(key_hash, nullptr);
  }
  return r;
}

Response Pipeline::runHandler(const Route& route, RequestContext& ctx) const {
  const std::string& request_id = ctx.request_id_;
  auto fail = [&](const Status& e) {
    Response r = errorResponse(e, request_id);
    addSecurityHeaders(r, request_id);
    return r;
  };
  // The handler, inside the one catch-all: details to the log, a generic 500 to the client.
  HandlerResult result = [&]() -> HandlerResult {
    try {
      return route.handler(ctx);
    } catch (const std::exception& e) {
      spdlog::error("request={} route=\"{} {}\" handler threw: {}", request_id, route.method,
                    route.pattern, e.what());
    } catch (...) {
      spdlog::error("request={} route=\"{} {}\" handler threw a non-standard exception",
                    request_id, route.method, route.pattern);
    }
    return std::unexpected(Status::internal());
  }();
  if (!result) {
    // errorResponse logs an internal error's detail and answers "internal error".
    return fail(result.error());
  }
  Response r = std::move(*result);
  addSecurityHeaders(r, request_id);
  return r;
}

}  // namespace mtp::http
