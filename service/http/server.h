// The HTTP server: a Pistache endpoint in front of a Pipeline.
//
// Start-up validates everything first (route table, trusted proxies) and refuses to start
// with every problem listed. Options follow STACK.md: explicit maxRequestSize, header and
// body timeouts, ReuseAddr, SIGPIPE ignored, RLIMIT_NOFILE raised. stop() calls
// Endpoint::shutdown() and then destroys the endpoint, which joins the worker threads, so
// no handler runs after stop() returns: destroy what handlers use only after that.
//
// drain() (issue 11 item 3, http/drain.h) stops accepting and lets the requests already taken
// finish and be answered, bounded, before stop().
//
// Thread-safety: start(), drain() and stop() from one controlling thread; port() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "http/browser_session.h"
#include "http/drain.h"
#include "http/metrics.h"
#include "http/offload.h"
#include "http/pipeline.h"
#include "http/rate_limit.h"
#include "http/route_table.h"
#include "http/static_files.h"

namespace Pistache::Http {
class Endpoint;
}

namespace mtp::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:0";  // port 0: any free port (see port())
  int threads = 2;
  // Headers plus body, as Pistache counts it: above the largest route max_body, so that our
  // own 413 JSON answers first. 0: the largest route max_body + 64 KiB.
  std::size_t max_request_bytes = 0;
  std::chrono::milliseconds header_timeout = std::chrono::seconds(5);
  std::chrono::milliseconds body_timeout = std::chrono::seconds(10);
  std::vector<std::string> trusted_proxies;  // see PipelineOptions
  std::function<std::int64_t()> clock;       // see PipelineOptions
  DenialFn on_denied;                        // see PipelineOptions
  app::DecisionSink on_decision;             // see PipelineOptions (a decision log)
  std::shared_ptr<IdempotencyKeys> idempotency;  // see PipelineOptions
  // The web UI (http/static_files.h; null: API only) and its cookie session
  // (http/browser_session.h).
  std::shared_ptr<const StaticFiles> web;
  BrowserSessionOptions browser;
  // The routes that hash a password (http/rate_limit.h) run on this many workers of their own
  // (http/offload.h) instead of the reactor threads; more than `offload_queue` waiting: 503.
  // 0: they run on the reactor threads.
  std::size_t offload_workers = 0;
  std::size_t offload_queue = 64;
  // The rate limits that applyRateLimits() put on the routes (http/rate_limit.h): the server
  // takes a limited request's IP token before it offloads it, and answers one past its IP's
  // allowance on the reactor thread. Null: the handlers count every request themselves.
  std::shared_ptr<RateLimits> rate_limits;
};

class Server {
 public:
  // Builds the route table and the pipeline, binds and starts serving on background
  // threads. On failure nothing is listening and every problem is returned.
  static std::expected<std::unique_ptr<Server>, std::vector<std::string>> start(
      ServerOptions options, std::vector<Route> routes,
      std::shared_ptr<Authenticator> authenticator, app::EngineSource engine,
      std::shared_ptr<Metrics> metrics = nullptr);

  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (useful with port 0).
  std::uint16_t port() const { return port_; }

  // Stops accepting new connections, waits (at most `limit`) until every request already
  // taken has been answered, then stop(). Returns the number of requests still unanswered.
  int drain(std::chrono::milliseconds limit);

  // Stops accepting, shuts the endpoint down and joins its threads. Idempotent.
  void stop();

  const Pipeline& pipeline() const { return *pipeline_; }

 private:
  Server() = default;
  std::shared_ptr<const Pipeline> pipeline_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
  std::shared_ptr<InFlight> inflight_ = std::make_shared<InFlight>();
  std::shared_ptr<OffloadPool> offload_;  // null: nothing offloaded
  std::uint16_t port_ = 0;
};

// Called by Server::start; exposed for mtpd's main: SIGPIPE ignored, RLIMIT_NOFILE raised
// to its hard limit. Idempotent.
void prepareProcessForServing();

}  // namespace mtp::http
