// bench_authz: the engine at tenant scale. One decision per iteration for
// BM_AuthorizeRoleOnly and BM_AuthorizeWithPolicies, over a fixed stream of 1,000,000
// requests; the reverse queries; snapshot build; a hand-written floor to compare with.
//   bench_authz --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <time.h>

#include <string>
#include <unordered_map>

#include "cold_stream.h"
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

// ---- Issue 15: the cold stream at tenant scale, the engine against the strong floor -------
// 10,000 orgs, 2,000 admins, 24-character ids, 1,000,000 org-scoped requests; the floor reads
// the same requests with integer ids (cold_stream.h).

const ColdWorld& cold() {
  static const auto w = makeColdWorld(ColdScale{});
  return *w;
}

std::shared_ptr<const Snapshot> coldSnapshot(bool with_policies) {
  static const auto build = [](bool p) {
    auto snap = Snapshot::build(benchPolicies(p), cold().directory);
    if (!snap) std::abort();
    return *snap;
  };
  static const auto role_only = build(false);
  static const auto with = build(true);
  return with_policies ? with : role_only;
}

const Floor& coldFloor() {
  static const Floor f(cold().directory, *benchPolicies(false), toRequest(cold().requests[0]).time);
  return f;
}

// Arg: the window of the stream cycled over; 0: all of it (cold); 1000: the compute cost alone.
void BM_ColdFloor(benchmark::State& state) {
  const Floor& f = coldFloor();
  const auto& reqs = cold().floor_requests;
  const std::size_t window = state.range(0) ? static_cast<std::size_t>(state.range(0)) : reqs.size();
  std::size_t i = 0, allowed = 0, n = 0;
  for (auto _ : state) {
    const bool ok = f.allowed(reqs[i]);
    benchmark::DoNotOptimize(ok);
    allowed += ok;
    ++n;
    if (++i == window) i = 0;
  }
  state.counters["allowed_share"] = n ? static_cast<double>(allowed) / static_cast<double>(n) : 0;
  state.counters["bytes_per_admin"] = static_cast<double>(f.bytes()) / static_cast<double>(cold().directory.admins.size());
}
BENCHMARK(BM_ColdFloor)->Arg(0)->Arg(1000)->ArgName("window");

void coldEngine(benchmark::State& state, const Snapshot& snap) {
  const auto& reqs = cold().requests;
  const std::size_t window = state.range(0) ? static_cast<std::size_t>(state.range(0)) : reqs.size();
  std::size_t i = 0, allowed = 0, n = 0;
  for (auto _ : state) {
    const Decision d = snap.authorize(toRequest(reqs[i]));
    benchmark::DoNotOptimize(d);
    allowed += d.allowed;
    ++n;
    if (++i == window) i = 0;
  }
  state.counters["allowed_share"] = n ? static_cast<double>(allowed) / static_cast<double>(n) : 0;
  state.counters["bytes_per_admin"] = static_cast<double>(snap.indexBytes()) / static_cast<double>(snap.adminCount());
}

void BM_ColdEngineRoleOnly(benchmark::State& state) { coldEngine(state, *coldSnapshot(false)); }
BENCHMARK(BM_ColdEngineRoleOnly)->Arg(0)->Arg(1000)->ArgName("window");

void BM_ColdEngineWithPolicies(benchmark::State& state) { coldEngine(state, *coldSnapshot(true)); }
BENCHMARK(BM_ColdEngineWithPolicies)->Arg(0)->Arg(1000)->ArgName("window");

// The three side by side in time: each iteration runs one block of 4,096 consecutive requests
// through the floor, the engine role-only and the engine with 20 policies, timing each (thread CPU time), so
// that a change in the machine's load hits all three alike. The counters are ns per decision
// and the ratios; `floor_agrees` is the share of role-only decisions the floor answers alike
// (it ignores per-org roles, expiry and API keys).
void BM_ColdSideBySide(benchmark::State& state) {
  constexpr std::size_t kBlock = 4096;
  const Floor& f = coldFloor();
  const Snapshot& role_only = *coldSnapshot(false);
  const Snapshot& with = *coldSnapshot(true);
  const auto& reqs = cold().requests;
  const auto& ints = cold().floor_requests;
  std::vector<bool> floor_ok(kBlock);
  std::size_t start = 0, n = 0, agree = 0;
  double t_floor = 0, t_engine = 0, t_policies = 0;
  // The thread's CPU time: on a shared machine, time spent preempted is not counted.
  auto now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  };
  for (auto _ : state) {
    const double t0 = now();
    for (std::size_t k = 0; k < kBlock; ++k) {
      const bool ok = f.allowed(ints[start + k]);
      benchmark::DoNotOptimize(ok);
      floor_ok[k] = ok;
    }
    const double t1 = now();
    for (std::size_t k = 0; k < kBlock; ++k) {
      const Decision d = role_only.authorize(toRequest(reqs[start + k]));
      benchmark::DoNotOptimize(d);
      agree += d.allowed == floor_ok[k];
    }
    const double t2 = now();
    for (std::size_t k = 0; k < kBlock; ++k) {
      const Decision d = with.authorize(toRequest(reqs[start + k]));
      benchmark::DoNotOptimize(d);
    }
    const double t3 = now();
    t_floor += t1 - t0;
    t_engine += t2 - t1;
    t_policies += t3 - t2;
    n += kBlock;
    start += kBlock;
    if (start + kBlock > reqs.size()) start = 0;
  }
  const double dn = static_cast<double>(n ? n : 1);
  state.counters["floor_ns"] = t_floor / dn;
  state.counters["engine_ns"] = t_engine / dn;
  state.counters["policies_ns"] = t_policies / dn;
  state.counters["engine_x_floor"] = t_floor > 0 ? t_engine / t_floor : 0;
  state.counters["policies_x_floor"] = t_floor > 0 ? t_policies / t_floor : 0;
  state.counters["policies_x_engine"] = t_engine > 0 ? t_policies / t_engine : 0;
  state.counters["floor_agrees"] = static_cast<double>(agree) / dn;
}
BENCHMARK(BM_ColdSideBySide)->Iterations(1000);  // 4.1M decisions of each, the stream 4 times

}  // namespace
}  // namespace mtp::bench

BENCHMARK_MAIN();
