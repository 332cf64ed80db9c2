#include "http/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>

#include "http/rate_limit.h"
#include "http/query.h"
#include "http/request_guard.h"

namespace mtp::http {

// Pistache's own Http::Handler::onInput, which Pistache declares private: its exported symbol,
// called as the Itanium C++ ABI calls a member function (`this` first); outside the anonymous
// namespace, so that it names that symbol. Used only by the
// request guard hook in PistacheHandler (issue 10 item 8, http/request_guard.h).
void pistacheHttpOnInput(Pistache::Http::Handler* self, const char* buffer, size_t len,
                         const std::shared_ptr<Pistache::Tcp::Peer>& peer)
    __asm__("_ZN8Pistache4Http7Handler7onInputEPKcmRKSt10shared_ptrINS_3Tcp4PeerEE");

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string_view methodName(Pistache::Http::Method m) {
  using M = Pistache::Http::Method;
  switch (m) {
    case M::Get: return "GET";
    case M::Post: return "POST";
    case M::Put: return "PUT";
    case M::Patch: return "PATCH";
    case M::Delete: return "DELETE";
    case M::Head: return "HEAD";
    case M::Options: return "OPTIONS";
    default: return "OTHER";
  }
}

// A response header with a name known only at run time. Pistache 0.0.5 does not write
// headers added with addRaw() to responses; typed headers it does write.
class DynamicHeader : public Pistache::Http::Header::Header {
 public:
  DynamicHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

// Adapts Pistache to the Pipeline. Cloned once per worker thread; every clone shares the
// immutable Pipeline.
class PistacheHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  PistacheHandler(std::shared_ptr<const Pipeline> p, std::shared_ptr<const StaticFiles> web,
                  BrowserSessionOptions browser, std::shared_ptr<InFlight> inflight,
                  std::shared_ptr<OffloadPool> offload, std::shared_ptr<RateLimits> limits)
      : pipeline_(std::move(p)),
        web_(std::move(web)),
        browser_(browser),
        inflight_(std::move(inflight)),
        offload_(std::move(offload)),
        limits_(std::move(limits)) {}

  void onRequest(const Pistache::Http::Request& req, Pistache::Http::ResponseWriter writer) override {
    inflight_->begin();  // ended by send() once the answer is written (http/drain.h)
    Response resp;
    try {
      IncomingRequest in = incoming(req);
      // The web UI: its files outside the API (http/static_files.h); its HttpOnly cookie
      // turned into the bearer credential and back (http/browser_session.h).
      if (servesUi(in)) {
        resp = web_->serve(in.method, in.path);
      } else {
        CookieList cookies;
        for (const auto& c : req.cookies()) cookies.emplace_back(c.name, c.value);
        if (offloaded(in)) {
          offload(std::move(in), std::move(cookies), std::move(writer));
          return;
        }
        resp = answerApi(*pipeline_, browser_, in, cookies);
      }
    } catch (...) {
      // Only allocation failures can land here; answer something rather than hang.
      resp = errorResponse(Status::internal(), "");
      addSecurityHeaders(resp, "");
    }
    send(writer, resp, inflight_);
  }

 private:
  static IncomingRequest incoming(const Pistache::Http::Request& req) {
    IncomingRequest in;
    in.method = std::string(methodName(req.method()));
    in.path = req.resource();
    const auto& q = req.query();
    for (auto it = q.parameters_begin(); it != q.parameters_end(); ++it) {
      in.query.emplace_back(decodeQueryComponent(it->first), decodeQueryComponent(it->second));
    }
    // Pistache's Query is a map without order; keep a stable order for handlers.
    std::sort(in.query.begin(), in.query.end());
    for (const auto& h : req.headers().list()) {
      std::ostringstream os;
      h->write(os);
      // Pistache 0.0.5's Accept::write() writes nothing: rebuild the value from its media.
      const auto* accept = dynamic_cast<const Pistache::Http::Header::Accept*>(h.get());
      if (accept && os.tellp() == 0) {
        for (const auto& m : accept->media()) os << (os.tellp() > 0 ? ", " : "") << m.toString();
      }
      in.headers.emplace_back(lower(h->name()), os.str());
    }
    for (const auto& [name, raw] : req.headers().rawList()) {
      in.headers.emplace_back(lower(name), raw.value());
    }
    in.body = req.body();
    in.peer_ip = req.address().host();
    return in;
  }

  static Response answerApi(const Pipeline& pipeline, const BrowserSessionOptions& options, IncomingRequest& in,
                            const CookieList& cookies) {
    BrowserRequest browser;
    if (auto refused = prepareBrowserRequest(in, cookies, browser)) return std::move(*refused);
    Response resp = pipeline.handle(in);
    finishBrowserResponse(in, browser, resp, options);
    return resp;
  }

  // A route that hashes a password (http/offload.h), when the server offloads them. Its
  // IP's token is taken first (http/rate_limit.h): a request past the IP's allowance stays on
  // this thread, where its handler answers 429 without hashing.
  bool offloaded(IncomingRequest& in) const {
    if (in.method != "POST" && in.method != "PUT") return false;
    RouteMatch m = pipeline_->routes().match(in.method, in.path);
    if (m.route == nullptr || !isLimitedRoute(m.route->method, m.route->pattern)) return false;
    if (limits_) in.ip_limit = limits_->takeIp(m.route->method, m.route->pattern, pipeline_->clientIp(in));
    return offload_ && in.ip_limit.value_or(0) == 0;
  }

  struct Offloaded {
    IncomingRequest in;
    CookieList cookies;
    Pistache::Http::ResponseWriter writer;
  };

  // Answered by a worker (or 503 at once when its queue is full, or the server stops first).
  void offload(IncomingRequest in, CookieList cookies, Pistache::Http::ResponseWriter writer) {
    auto job = std::make_shared<Offloaded>(Offloaded{std::move(in), std::move(cookies), std::move(writer)});
    const bool queued = offload_->post([job, pipeline = pipeline_, browser = browser_, inflight = inflight_](bool run) {
      Response resp;
      try {
        resp = run ? answerApi(*pipeline, browser, job->in, job->cookies) : busy();
      } catch (...) {
        resp = errorResponse(Status::internal(), "");
        addSecurityHeaders(resp, "");
      }
      send(job->writer, resp, inflight);
    });
    if (!queued) send(job->writer, busy(), inflight_);
  }

  static Response busy() {
    Response resp = errorResponse(Status::unavailable(1, "too many sign-ins at once: try again shortly"), "");
    addSecurityHeaders(resp, "");
    return resp;
  }

  // Issue 10 item 8: a malformed Content-Length is answered 400 (and the connection closed)
  // before Pistache's parser would answer 500 with its exception text.
  void onInput(const char* buffer, size_t len, const std::shared_ptr<Pistache::Tcp::Peer>& peer) override {
    if (guardInput(buffer, len, peer)) pistacheHttpOnInput(this, buffer, len, peer);
  }

  // GET/HEAD of a path that is neither under /api nor one of the API's routes (/healthz...).
  bool servesUi(const IncomingRequest& in) const {
    if (!web_ || (in.method != "GET" && in.method != "HEAD")) return false;
    if (in.path == "/api" || in.path.starts_with("/api/")) return false;
    RouteMatch m = pipeline_->routes().match(in.method, in.path);
    return !m.route && m.allow.empty();
  }

  // Queues the answer on the connection; the request stops counting as in flight then. The
  // reactor thread writes it as soon as this handler returns (the drain's quiet period covers
  // that: Pistache 0.0.5's write promise is not resolved reliably on every connection).
  static void send(Pistache::Http::ResponseWriter& writer, const Response& resp,
                   const std::shared_ptr<InFlight>& inflight) noexcept {
    try {
      for (const auto& [k, v] : resp.headers) {
        writer.headers().add(std::make_shared<DynamicHeader>(k, v));
      }
      auto code = static_cast<Pistache::Http::Code>(resp.status);
      if (resp.content_type.empty()) {
        writer.send(code, resp.body);
      } else {
        writer.send(code, resp.body, Pistache::Http::Mime::MediaType::fromString(resp.content_type));
      }
    } catch (const std::exception& e) {
      spdlog::error("sending a response failed: {}", e.what());
    } catch (...) {
    }
    inflight->end();
  }

  std::shared_ptr<const Pipeline> pipeline_;
  std::shared_ptr<const StaticFiles> web_;
  BrowserSessionOptions browser_;
  std::shared_ptr<InFlight> inflight_;
  std::shared_ptr<OffloadPool> offload_;
  std::shared_ptr<RateLimits> limits_;
};

}  // namespace

void prepareProcessForServing() {
  ::signal(SIGPIPE, SIG_IGN);
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) spdlog::warn("could not raise RLIMIT_NOFILE");
  }
}

std::expected<std::unique_ptr<Server>, std::vector<std::string>> Server::start(
    ServerOptions options, std::vector<Route> routes, std::shared_ptr<Authenticator> authenticator,
    app::EngineSource engine, std::shared_ptr<Metrics> metrics) {
  auto table = RouteTable::build(std::move(routes));
  if (!table) return std::unexpected(std::move(table.error()));
  PipelineOptions popts;
  popts.trusted_proxies = options.trusted_proxies;
  popts.clock = options.clock;
  popts.on_denied = options.on_denied;
  popts.on_decision = options.on_decision;
  popts.idempotency = options.idempotency;
  auto pipeline = Pipeline::create(std::move(*table), std::move(authenticator), std::move(engine),
                                   std::move(metrics), std::move(popts));
  if (!pipeline) return std::unexpected(std::move(pipeline.error()));
  if (options.threads < 1) return std::unexpected(std::vector<std::string>{"threads must be at least 1"});

  prepareProcessForServing();
  std::unique_ptr<Server> s(new Server());
  s->pipeline_ = std::move(*pipeline);
  if (options.offload_workers > 0) {
    s->offload_ = std::make_shared<OffloadPool>(options.offload_workers, options.offload_queue);
  }
  const std::size_t max_request = options.max_request_bytes != 0
                                      ? options.max_request_bytes
                                      : s->pipeline_->maxBody() + 64 * 1024;
  try {
    Pistache::Address addr(options.listen);
    s->endpoint_ = std::make_unique<Pistache::Http::Endpoint>(addr);
    auto opts = Pistache::Http::Endpoint::options()
                    .threads(options.threads)
                    .flags(Pistache::Tcp::Options::ReuseAddr)
                    .maxRequestSize(max_request)
                    .maxResponseSize(8 * 1024 * 1024)
                    .headerTimeout(options.header_timeout)
                    .bodyTimeout(options.body_timeout);
    s->endpoint_->init(opts);
    s->endpoint_->setHandler(Pistache::Http::make_handler<PistacheHandler>(s->pipeline_, options.web, options.browser, s->inflight_,
                                                                       s->offload_, options.rate_limits));
    s->endpoint_->serveThreaded();
    s->port_ = static_cast<std::uint16_t>(s->endpoint_->getPort());
  } catch (const std::exception& e) {
    s->endpoint_.reset();
    return std::unexpected(std::vector<std::string>{"cannot listen on " + options.listen + ": " + e.what()});
  }
  spdlog::info("listening on {} (port {}, {} threads, max request {} bytes)", options.listen,
               s->port_, options.threads, max_request);
  return s;
}

Server::~Server() { stop(); }

int Server::drain(std::chrono::milliseconds limit) {
  if (!endpoint_) return 0;
  if (!stopAccepting(port_)) spdlog::warn("drain: no listening socket found on port {}", port_);
  const int left = inflight_->waitIdle(limit);
  if (left > 0) spdlog::warn("drain: {} request(s) still unanswered after {} ms", left, limit.count());
  else spdlog::info("drain: every request answered");
  stop();
  return left;
}

void Server::stop() {
  if (!endpoint_) return;
  // Offloaded requests write through the endpoint's transport: answered before it goes.
  if (offload_) offload_->stop();
  // STACK.md: shutdown() alone leaves handlers running; destroying the endpoint joins them.
  try {
    endpoint_->shutdown();
  } catch (const std::exception& e) {
    spdlog::warn("endpoint shutdown: {}", e.what());
  }
  endpoint_.reset();
}

}  // namespace mtp::http
