// authz_stream_misses: the cold stream once through the floor, the engine role-only and the
// engine with 20 policies, each in its own function, for a cache simulator to count misses
// per decision (this VM exposes no hardware counters to `perf stat`):
//   valgrind --tool=callgrind --cache-sim=yes --D1=32768,8,64 --LL=524288,8,64
//     --toggle-collect='mtp::bench::run*' build/bench/authz_stream_misses
//   callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep 'mtp::bench::run'
// Divide each function's D1mr / DLmr (data read misses) and Ir by the decisions it prints.
#include <cstdio>
#include <cstdlib>

#include "cold_stream.h"
#include "tenant_generator.h"

namespace mtp::bench {

using namespace mtp::engine;

[[gnu::noinline]] std::size_t runFloor(const Floor& f, const std::vector<FloorEntry>& reqs) {
  std::size_t allowed = 0;
  for (const auto& e : reqs) allowed += f.allowed(e);
  return allowed;
}

[[gnu::noinline]] std::size_t runEngineRoleOnly(const Snapshot& s, const std::vector<ColdEntry>& reqs) {
  std::size_t allowed = 0;
  for (const auto& e : reqs) allowed += s.authorize(toRequest(e)).allowed;
  return allowed;
}

[[gnu::noinline]] std::size_t runEngineWithPolicies(const Snapshot& s, const std::vector<ColdEntry>& reqs) {
  std::size_t allowed = 0;
  for (const auto& e : reqs) allowed += s.authorize(toRequest(e)).allowed;
  return allowed;
}

}  // namespace mtp::bench

int main(int argc, char** argv) {
  using namespace mtp::bench;
  ColdScale scale;
  if (argc > 1) scale.requests = std::atoi(argv[1]);
  const auto w = makeColdWorld(scale);
  auto role_only = mtp::engine::Snapshot::build(benchPolicies(false), w->directory);
  auto with = mtp::engine::Snapshot::build(benchPolicies(true), w->directory);
  if (!role_only || !with) return 1;
  const Floor floor(w->directory, *benchPolicies(false), toRequest(w->requests[0]).time);
  const std::size_t a = runFloor(floor, w->floor_requests);
  const std::size_t b = runEngineRoleOnly(**role_only, w->requests);
  const std::size_t c = runEngineWithPolicies(**with, w->requests);
  std::printf("decisions %zu each; allowed: floor %zu, role-only %zu, with policies %zu\n",
              w->requests.size(), a, b, c);
  return 0;
}
