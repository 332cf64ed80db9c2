// Prometheus counters for the HTTP layer: requests by route pattern, method and status, a
// latency histogram by route, and authorization decisions by reason. render() writes the
// text exposition format (version 0.0.4).
//
// Route labels are patterns (`/api/v2/providers/{pid}`), never raw paths, so the number of
// series stays bounded; unmatched paths count as `unmatched`.
// Thread-safety: every method is safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "http/route_table.h"

namespace mtp::http {

class Metrics {
 public:
  void observeRequest(std::string_view route, std::string_view method, int status, double seconds);
  void countDecision(std::string_view reason);
  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, std::uint64_t> decisions_;
};

// Readiness: empty when ready, else what is not ready (e.g. "database unreachable").
using ReadinessFn = std::function<std::string()>;

// `GET /healthz` (always 200 while the process serves), `GET /readyz` (200, or 503
// unavailable with the readiness message), `GET /metrics` (text/plain). All Public: expose
// them only on a trusted interface or behind the proxy.
std::vector<Route> opsRoutes(const Metrics& metrics, ReadinessFn ready);

}  // namespace mtp::http
