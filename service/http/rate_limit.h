// Rate limits for the routes a password guesser or a flood aims at (issue 10 item 4): token
// buckets per client IP and per account, answered 429 too_many_requests with Retry-After
// before the handler (and its ~100 ms argon2 hash) runs.
//
// RateLimiter is the self-contained part: named token buckets (burst, refill per second) in a
// bounded, sharded map, with an injectable monotonic clock for tests.
//
// RateLimits holds the options and one RateLimiter for a server. applyRateLimits() is the
// hook: given the finished route list, it wraps the handlers of the limited routes (by method
// and pattern, see kLimitedRoutes in rate_limit.cc) so that no route file changes. A limited
// request takes one token from its IP's bucket of the route's family and, when the request
// names an account, one from the account's bucket; either empty: 429.
// The server takes the IP's token itself, before it hands the request to its offload pool
// (RateLimits::takeIp, IncomingRequest::ip_limit): a request its IP may not make is answered
// 429 on the reactor thread at once, so that a flood past its allowance costs what any small
// request costs, without a hop to another thread (bench/load/login_flood.sh).
//   family          routes                                        account
//   admin_sign_in   POST /api/v2/auth/login                       the email
//   user_sign_in    POST /api/v1/users/{login,password}           organization + username
//   link            POST /api/v2/auth/{activate,password-reset,totp-reset},
//                   POST /api/v1/users/activate                   the token
//   totp            POST /api/v2/me/totp, /api/v2/me/totp/confirm the signed-in admin
//   password        PUT  /api/v2/me/password                      the signed-in admin
//   agent_register  POST /api/agent/v1/register                   (IP only)
// The client IP is the pipeline's (X-Forwarded-For believed only from --trusted-proxy).
//
// Thread-safety: RateLimiter and the wrapped handlers are safe from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/route_table.h"

namespace mtp::http {

struct RateRule {
  double burst = 0;       // tokens when idle (requests allowed at once)
  double per_second = 0;  // refill rate
};

struct RateLimitOptions {
  bool enabled = true;
  // Per client IP and route family. Generous for an office behind one NAT, tight for a flood.
  RateRule sign_in_ip{60, 1.0};
  // Per account and route family: above the lock-out (10 misses) so that it still decides.
  RateRule sign_in_account{20, 1.0 / 6};
  RateRule agent_register_ip{30, 0.5};
  std::size_t max_keys = 100000;  // buckets kept; past it idle ones are dropped first
};

class RateLimiter {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  explicit RateLimiter(std::size_t max_keys = 100000, Clock clock = {});

  // Takes one token of `key`'s bucket under `rule`: 0 when allowed, else the whole seconds
  // until a token is back (for Retry-After, at least 1).
  int take(const std::string& key, const RateRule& rule);

  // Buckets held (for tests and metrics).
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    double last = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  void evict(Shard& s, double now, const RateRule& rule);

  const std::size_t max_per_shard_;
  Clock clock_;
  std::array<Shard, kShards> shards_;
};

// Whether `method` `pattern` is one of the limited routes above (they hash a password or a
// link token: the server answers them off its reactor threads, http/offload.h).
bool isLimitedRoute(std::string_view method, std::string_view pattern);

class RateLimits {
 public:
  explicit RateLimits(RateLimitOptions options, RateLimiter::Clock clock = {});

  // The IP check of limited route `method` `pattern` for client `ip`: takes one token of the
  // IP's bucket of the route's family. 0: admitted; N > 0: refused for N seconds; nullopt:
  // not a limited route, or the limits are off.
  std::optional<int> takeIp(std::string_view method, std::string_view pattern, const std::string& ip);
  // The account check of a request of route family `family`: 0 admitted, else seconds.
  int takeAccount(std::string_view family, const std::string& account);

  const RateLimitOptions& options() const { return options_; }

 private:
  const RateLimitOptions options_;
  RateLimiter limiter_;
};

// The hook: wraps the limited routes of `routes` (see the table above) in place. A request
// whose ip_limit the server has set is not counted again against its IP.
void applyRateLimits(std::vector<Route>& routes, std::shared_ptr<RateLimits> limits);

}  // namespace mtp::http
