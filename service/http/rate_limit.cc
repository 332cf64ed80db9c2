#include "http/rate_limit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "http/request_context.h"

namespace mtp::http {
namespace {

double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A string field of a JSON object body, or nullopt (a malformed body is the handler's to refuse).
std::optional<std::string> bodyField(const RequestContext& ctx, const char* name) {
  auto j = nlohmann::json::parse(ctx.body(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

enum class AccountOf { kNone, kEmail, kOrgUser, kToken, kPrincipal };

struct Limited {
  const char* method;
  const char* pattern;
  const char* family;
  AccountOf account;
};

constexpr Limited kLimitedRoutes[] = {
    {"POST", "/api/v2/auth/login", "admin_sign_in", AccountOf::kEmail},
    {"POST", "/api/v1/users/login", "user_sign_in", AccountOf::kOrgUser},
    {"POST", "/api/v1/users/password", "user_sign_in", AccountOf::kOrgUser},
    {"POST", "/api/v1/users/activate", "link", AccountOf::kToken},
    {"POST", "/api/v2/auth/activate", "link", AccountOf::kToken},
    {"POST", "/api/v2/auth/password-reset", "link", AccountOf::kToken},
    {"POST", "/api/v2/auth/totp-reset", "link", AccountOf::kToken},
    {"POST", "/api/v2/me/totp", "totp", AccountOf::kPrincipal},
    {"POST", "/api/v2/me/totp/confirm", "totp", AccountOf::kPrincipal},
    {"PUT", "/api/v2/me/password", "password", AccountOf::kPrincipal},
    {"POST", "/api/agent/v1/register", "agent_register", AccountOf::kNone},
};

std::optional<std::string> accountKey(const RequestContext& ctx, AccountOf how) {
  switch (how) {
    case AccountOf::kNone: return std::nullopt;
    case AccountOf::kEmail: {
      auto e = bodyField(ctx, "email");
      if (!e || e->empty()) return std::nullopt;
      return lowerAscii(*e);
    }
    case AccountOf::kOrgUser: {
      auto o = bodyField(ctx, "organization");
      auto u = bodyField(ctx, "username");
      if (!o || !u || u->empty()) return std::nullopt;
      return *o + "/" + lowerAscii(*u);
    }
    case AccountOf::kToken: {
      auto t = bodyField(ctx, "token");
      if (!t || t->empty()) return std::nullopt;
      return std::to_string(std::hash<std::string>{}(*t));  // the token itself is not kept
    }
    case AccountOf::kPrincipal:
      if (!ctx.authenticated()) return std::nullopt;
      return ctx.principal().provider_id + "/" + ctx.principal().admin_id;
  }
  return std::nullopt;
}

}  // namespace

RateLimiter::RateLimiter(std::size_t max_keys, Clock clock)
    : max_per_shard_(std::max<std::size_t>(1, max_keys / kShards)),
      clock_(clock ? std::move(clock) : Clock(steadySeconds)) {}

std::size_t RateLimiter::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

void RateLimiter::evict(Shard& s, double now, const RateRule& rule) {
  // First the buckets that have refilled (an idle key costs nothing to forget) ...
  for (auto it = s.buckets.begin(); it != s.buckets.end();) {
    const bool full = it->second.tokens + (now - it->second.last) * rule.per_second >= rule.burst;
    it = full ? s.buckets.erase(it) : std::next(it);
  }
  // ... then, under a flood of distinct keys, any half of them.
  while (s.buckets.size() >= max_per_shard_) {
    auto it = s.buckets.begin();
    for (std::size_t i = 0; i < max_per_shard_ / 2 + 1 && it != s.buckets.end(); ++i) it = s.buckets.erase(it);
  }
}

int RateLimiter::take(const std::string& key, const RateRule& rule) {
  if (rule.burst <= 0) return 0;  // no rule: unlimited
  const double now = clock_();
  Shard& s = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(s.mu);
  auto it = s.buckets.find(key);
  if (it == s.buckets.end()) {
    if (s.buckets.size() >= max_per_shard_) evict(s, now, rule);
    it = s.buckets.emplace(key, Bucket{rule.burst, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min(rule.burst, b.tokens + std::max(0.0, now - b.last) * rule.per_second);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  if (rule.per_second <= 0) return 3600;
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rule.per_second)));
}

namespace {

const Limited* limitedRoute(std::string_view method, std::string_view pattern) {
  for (const auto& l : kLimitedRoutes) {
    if (method == l.method && pattern == l.pattern) return &l;
  }
  return nullptr;
}

}  // namespace

bool isLimitedRoute(std::string_view method, std::string_view pattern) {
  return limitedRoute(method, pattern) != nullptr;
}

RateLimits::RateLimits(RateLimitOptions options, RateLimiter::Clock clock)
    : options_(options), limiter_(options.max_keys, std::move(clock)) {}

std::optional<int> RateLimits::takeIp(std::string_view method, std::string_view pattern, const std::string& ip) {
  const Limited* l = limitedRoute(method, pattern);
  if (!options_.enabled || l == nullptr) return std::nullopt;
  const RateRule& rule = l->account == AccountOf::kNone ? options_.agent_register_ip : options_.sign_in_ip;
  return limiter_.take(std::string(l->family) + "|ip|" + ip, rule);
}

int RateLimits::takeAccount(std::string_view family, const std::string& account) {
  return limiter_.take(std::string(family) + "|acct|" + account, options_.sign_in_account);
}

void applyRateLimits(std::vector<Route>& routes, std::shared_ptr<RateLimits> limits) {
  if (!limits || !limits->options().enabled) return;
  for (auto& r : routes) {
    const Limited* l = limitedRoute(r.method, r.pattern);
    if (l == nullptr) continue;
    r.handler = [inner = std::move(r.handler), limits, l](RequestContext& ctx) -> HandlerResult {
      // The server may have taken the IP's token already (before its offload pool).
      const std::optional<int> early = ctx.request().ip_limit;
      int wait = early ? *early : limits->takeIp(l->method, l->pattern, ctx.clientIp()).value_or(0);
      if (wait == 0) {
        if (auto account = accountKey(ctx, l->account)) wait = limits->takeAccount(l->family, *account);
      }
      if (wait > 0) return std::unexpected(Status::tooManyRequests(wait, "too many attempts: try again later"));
      return inner(ctx);
    };
  }
}

}  // namespace mtp::http
