// bench_authz: the engine at tenant scale. One decision per iteration for
// BM_AuthorizeRoleOnly and BM_AuthorizeWithPolicies, over a fixed stream of 1,000,000
// requests; the reverse queries; snapshot build; a hand-written floor to compare with.
//   bench_authz --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>
#include <unordered_map>

#include "tenant_generator.h"

namespace mtp::bench {
namespace {

using namespace mtp::engine;

const TenantWorld& world() {
  static const auto w = makeTenantWorld(TenantScale{});
  return *w;
}

std::shared_ptr<const Snapshot> snapshot(bool with_policies) {
  static const auto role_only = *Snapshot::build(benchPolicies(false), world().directory);
  static const auto with = *Snapshot::build(benchPolicies(true), world().directory);
  return with_policies ? with : role_only;
}

// Cycles over the first `window` requests of the stream (all of it by default); a small
// window keeps the directory in cache and shows the compute cost alone.
void runStream(benchmark::State& state, const Snapshot& snap, std::size_t window = 0) {
  const auto& reqs = world().requests;
  const std::size_t n_reqs = window ? window : reqs.size();
  std::size_t i = 0, allowed = 0, n = 0;
  for (auto _ : state) {
    const Decision d = snap.authorize(toRequest(reqs[i]));
    benchmark::DoNotOptimize(d);
    allowed += d.allowed;
    ++n;
    if (++i == n_reqs) i = 0;
  }
  state.counters["allowed_share"] = n ? static_cast<double>(allowed) / static_cast<double>(n) : 0;
}

void BM_AuthorizeRoleOnly(benchmark::State& state) { runStream(state, *snapshot(false)); }
BENCHMARK(BM_AuthorizeRoleOnly);

void BM_AuthorizeWithPolicies(benchmark::State& state) { runStream(state, *snapshot(true)); }
BENCHMARK(BM_AuthorizeWithPolicies);

void BM_AuthorizeRoleOnlyHot(benchmark::State& state) { runStream(state, *snapshot(false), 1000); }
BENCHMARK(BM_AuthorizeRoleOnlyHot);

void BM_AuthorizeWithPoliciesHot(benchmark::State& state) { runStream(state, *snapshot(true), 1000); }
BENCHMARK(BM_AuthorizeWithPoliciesHot);

// The floor: what a hand-written check costs — a hash lookup of the (admin, org) pair and a
// bit test of the role's action mask, with no reasons, order of checks or policies.
void BM_HandWrittenFloor(benchmark::State& state) {
  static const auto table = [] {
    std::unordered_map<std::string, std::uint64_t> t;
    const auto set = benchPolicies(false);
    for (const auto& a : world().directory.admins) {
      const auto mask = set->role(*set->findRole(a.role)).actions.bits();
      t[a.id] = mask;
      for (const auto& g : a.organizations) t[a.id + "/" + g.organization] = mask;
    }
    return t;
  }();
  const auto& reqs = world().requests;
  std::size_t i = 0;
  std::string key;
  key.reserve(64);
  for (auto _ : state) {
    const Request r = toRequest(reqs[i]);
    key.assign(r.admin);
    if (!r.organization.empty()) key.append("/").append(r.organization);
    auto it = table.find(key);
    const bool ok = it != table.end() && ((it->second >> r.action) & 1);
    benchmark::DoNotOptimize(ok);
    if (++i == reqs.size()) i = 0;
  }
}
BENCHMARK(BM_HandWrittenFloor);

void reverseQuery(benchmark::State& state, const std::string& admin, bool with_policies) {
  const auto snap = snapshot(with_policies);
  const RequestContext ctx{AuthMethod::kSession, true, parseIpAddress("10.0.0.1"), 1795334400};
  const ActionId users_read = *findAction("users.read");
  std::size_t orgs = 0;
  for (auto _ : state) {
    auto reach = snap->orgsFor(admin, users_read, ctx);
    orgs = reach.all ? snap->orgCount() : reach.organizations.size();
    benchmark::DoNotOptimize(reach);
  }
  state.counters["orgs"] = static_cast<double>(orgs);
}

void BM_OrgsForAllOrgsAdmin(benchmark::State& state) {
  reverseQuery(state, world().all_orgs_admin, state.range(0) != 0);
}
BENCHMARK(BM_OrgsForAllOrgsAdmin)->Arg(0)->Arg(1)->ArgName("policies");

void BM_OrgsFor20OrgAdmin(benchmark::State& state) {
  reverseQuery(state, world().twenty_org_admin, state.range(0) != 0);
}
BENCHMARK(BM_OrgsFor20OrgAdmin)->Arg(0)->Arg(1)->ArgName("policies");

void BM_AdminsForOrg(benchmark::State& state) {
  const auto snap = snapshot(false);
  const RequestContext ctx{AuthMethod::kSession, true, std::nullopt, 1795334400};
  const ActionId users_unlock = *findAction("users.unlock");
  for (auto _ : state) benchmark::DoNotOptimize(snap->adminsFor("org-17", users_unlock, ctx));
}
BENCHMARK(BM_AdminsForOrg);

void BM_SnapshotBuild(benchmark::State& state) {
  const auto set = benchPolicies(true);
  std::size_t bytes = 0, admins = 1;
  for (auto _ : state) {
    auto snap = Snapshot::build(set, world().directory);
    bytes = (*snap)->indexBytes();
    admins = (*snap)->adminCount();
    benchmark::DoNotOptimize(snap);
  }
  state.counters["bytes_per_admin"] = static_cast<double>(bytes) / static_cast<double>(admins);
  state.counters["index_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}
BENCHMARK(BM_SnapshotBuild)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_PolicyCompile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(benchPolicies(true));
}
BENCHMARK(BM_PolicyCompile)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mtp::bench

BENCHMARK_MAIN();
