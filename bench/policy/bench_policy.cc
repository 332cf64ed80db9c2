// Issue 14: the cost of the decision log on the request thread (format the line; format and
// queue it for spdlog's writer thread) and the speed of `mtpctl policy impact`'s replay
// (parse each logged line, decide it under the current and the candidate policy set, count
// the flips) over 1,000,000 logged decisions of the cold stream (bench/authz/cold_stream.h).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cold_stream.h"
#include "decisions/decision_log.h"
#include "decisions/decision_record.h"
#include "decisions/impact.h"
#include "tenant_generator.h"

namespace {

using namespace mtp;
using namespace mtp::bench;

const ColdWorld& world() {
  static const auto w = makeColdWorld(ColdScale{});
  return *w;
}

std::shared_ptr<const engine::Snapshot> snapshot(bool with_policies) {
  static const auto build = [](bool p) {
    auto snap = engine::Snapshot::build(benchPolicies(p), world().directory);
    if (!snap) std::abort();
    return *snap;
  };
  static const auto role_only = build(false);
  static const auto with = build(true);
  return with_policies ? with : role_only;
}

// The log of the whole stream as mtpd writes it (every decision: sample 1), under the
// role-only policies; written once per run.
const std::filesystem::path& logFile() {
  static const std::filesystem::path file = [] {
    const auto path = std::filesystem::temp_directory_path() / ("mtp_bench_decisions_" + std::to_string(::getpid()) + ".log");
    const auto snap = snapshot(false);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    std::string line;
    std::uint64_t n = 0;
    for (const auto& e : world().requests) {
      const engine::Request r = toRequest(e);
      line.clear();
      const std::string id = "d" + std::to_string(n++);
      decisions::appendDecisionLine(line, r, snap->authorize(r), {id, snap->policyVersion()});
      std::fwrite(line.data(), 1, line.size(), f);
    }
    std::fclose(f);
    return path;
  }();
  return file;
}

// Formatting one line on the request thread (what DecisionLog::write costs before queueing).
void BM_DecisionLineFormat(benchmark::State& state) {
  const auto snap = snapshot(true);
  const auto& reqs = world().requests;
  std::string line;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const engine::Request r = toRequest(reqs[i++ % 1000]);
    const engine::Decision d = snap->authorize(r);
    line.clear();
    decisions::appendDecisionLine(line, r, d, {"5f2b9c7e1a3d4b6c8e0f1a2b", snap->policyVersion()});
    bytes += line.size();
    benchmark::DoNotOptimize(line.data());
  }
  state.counters["bytes_per_line"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DecisionLineFormat);

// The decision alone, for the comparison (the same 1,000 requests).
void BM_DecisionOnly(benchmark::State& state) {
  const auto snap = snapshot(true);
  const auto& reqs = world().requests;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(snap->authorize(toRequest(reqs[i++ % 1000])));
}
BENCHMARK(BM_DecisionOnly);

// DecisionLog::write as the pipeline calls it: format, then queue for the writer thread
// (which writes and rotates the file). A full queue drops the oldest line, never waits.
void BM_DecisionLogWrite(benchmark::State& state) {
  const auto snap = snapshot(true);
  const auto& reqs = world().requests;
  const auto path = std::filesystem::temp_directory_path() / ("mtp_bench_write_" + std::to_string(::getpid()) + ".log");
  auto log = decisions::DecisionLog::open({.path = path.string(), .max_bytes = 64u << 20, .max_files = 2,
                                           .sample = state.range(0) / 100.0});
  if (!log) {
    state.SkipWithError(log.error().c_str());
    return;
  }
  (*log)->setPolicyVersion(snap->policyVersion());
  std::size_t i = 0;
  for (auto _ : state) {
    const engine::Request r = toRequest(reqs[i % 1000]);
    (*log)->write(r, snap->authorize(r), (i & 1) ? "5f2b9c7e1a3d4b6c8e0f1a2b" : "7a1c3e5f9b2d4c6e8f0a1b3c");
    ++i;
  }
  state.counters["dropped"] = static_cast<double>((*log)->dropped());
  log->reset();
  for (const char* f : {"", ".1", ".2"})
    std::filesystem::remove(std::filesystem::temp_directory_path() /
                            ("mtp_bench_write_" + std::to_string(::getpid()) + f + ".log"));
}
BENCHMARK(BM_DecisionLogWrite)->Arg(100)->Arg(10)->ArgName("sample_pct")->UseRealTime();

// Parsing one logged line back.
void BM_DecisionLineParse(benchmark::State& state) {
  const auto snap = snapshot(false);
  std::string line;
  const engine::Request r0 = toRequest(world().requests[0]);
  decisions::appendDecisionLine(line, r0, snap->authorize(r0), {"5f2b9c7e1a3d4b6c8e0f1a2b", snap->policyVersion()});
  decisions::DecisionRecord rec;
  for (auto _ : state) {
    if (decisions::parseDecisionLine(line, rec)) state.SkipWithError("parse");
    benchmark::DoNotOptimize(rec.request());
  }
}
BENCHMARK(BM_DecisionLineParse);

// `mtpctl policy impact`'s replay of the 1,000,000-line log: role-only policies (current)
// against the 20 custom policies (candidate). One iteration = the whole file.
void BM_ImpactReplay1M(benchmark::State& state) {
  const auto& file = logFile();
  const auto cur = snapshot(false), cand = snapshot(true);
  std::uint64_t replayed = 0, flips = 0;
  for (auto _ : state) {
    decisions::ImpactReplay replay(cur, cand);
    std::string error;
    if (!replay.addFile(file, error)) state.SkipWithError(error.c_str());
    replayed = replay.report().replayed;
    flips = replay.report().to_denied.count + replay.report().to_allowed.count;
  }
  state.counters["replayed"] = static_cast<double>(replayed);
  state.counters["flips"] = static_cast<double>(flips);
  state.counters["file_mb"] = static_cast<double>(std::filesystem::file_size(file)) / (1 << 20);
  state.counters["decisions_per_s"] = benchmark::Counter(static_cast<double>(replayed), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ImpactReplay1M)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove(std::filesystem::temp_directory_path() / ("mtp_bench_decisions_" + std::to_string(::getpid()) + ".log"), ec);
  return 0;
}
