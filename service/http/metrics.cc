#include "http/metrics.h"

#include <cstdio>
#include <sstream>

namespace mtp::http {

namespace {

// Label values are route patterns, methods and reason names: escape anyway.
std::string escapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    out.push_back(c);
  }
  return out;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

void Metrics::observeRequest(std::string_view route, std::string_view method, int status,
                             double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  Histogram& h = latency_[std::string(route)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::countDecision(std::string_view reason) {
  std::lock_guard lock(mu_);
  ++decisions_[std::string(reason)];
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::ostringstream o;
  o << "# HELP mtp_http_requests_total HTTP requests by route pattern, method and status.\n"
       "# TYPE mtp_http_requests_total counter\n";
  for (const auto& [k, v] : requests_) {
    o << "mtp_http_requests_total{route=\"" << escapeLabel(std::get<0>(k)) << "\",method=\""
      << escapeLabel(std::get<1>(k)) << "\",status=\"" << std::get<2>(k) << "\"} " << v << "\n";
  }
  o << "# HELP mtp_http_request_duration_seconds Time from request parsed to response built.\n"
       "# TYPE mtp_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = escapeLabel(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      o << "mtp_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"" << num(kBuckets[i])
        << "\"} " << h.buckets[i] << "\n";
    }
    o << "mtp_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} " << h.count << "\n";
    o << "mtp_http_request_duration_seconds_sum{route=\"" << r << "\"} " << num(h.sum) << "\n";
    o << "mtp_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count << "\n";
  }
  o << "# HELP mtp_authz_decisions_total Authorization decisions by reason.\n"
       "# TYPE mtp_authz_decisions_total counter\n";
  for (const auto& [reason, v] : decisions_) {
    o << "mtp_authz_decisions_total{reason=\"" << escapeLabel(reason) << "\"} " << v << "\n";
  }
  return o.str();
}

std::vector<Route> opsRoutes(const Metrics& metrics, ReadinessFn ready) {
  std::vector<Route> routes;
  routes.push_back(Route{"GET", "/healthz", Access::publicRoute(), OrgSource::none(),
                         [](RequestContext&) -> HandlerResult {
                           return Response::json({{"status", "ok"}});
                         }});
  routes.push_back(Route{"GET", "/readyz", Access::publicRoute(), OrgSource::none(),
                         [ready = std::move(ready)](RequestContext&) -> HandlerResult {
                           std::string why = ready ? ready() : std::string();
                           if (!why.empty()) return std::unexpected(Status::unavailable(5, why));
                           return Response::json({{"status", "ready"}});
                         }});
  routes.push_back(Route{"GET", "/metrics", Access::publicRoute(), OrgSource::none(),
                         [&metrics](RequestContext&) -> HandlerResult {
                           Response r;
                           r.body = metrics.render();
                           r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                           return r;
                         }});
  return routes;
}

}  // namespace mtp::http
