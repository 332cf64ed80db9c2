// Issue 16 item 1: what a replica pays to take one committed change into its engine, at 10,000
// admins and 10,000 orgs (one provider; each admin with 5 grants, each org one tag):
//   BM_FullReload         Store::loadDirectory + Authorizer::replaceDirectory (what every write
//                         cost before, and what a gap in the change feed still costs)
//   BM_FullLoadOnly       the store half of it alone
//   BM_IncrementalAdmin   Store::loadDirectoryPart(admin) + Authorizer::updateDirectory
//   BM_IncrementalOrg     the same for one org (with its tags)
//   BM_SnapshotBuildOnly  Authorizer::replaceDirectory of a directory already in memory: the
//                         engine half, which an incremental update still pays in full (the
//                         snapshot's index is rebuilt, not patched)
// (AppContext::refreshDirectory and AppContext::updateDirectory are exactly these two calls
// under a mutex.) Counters: the directory index's bytes per admin+org (Snapshot::indexBytes).
//
// The database: a SQLite file in the temp folder, or MTP_BENCH_DB (e.g. a PostgreSQL url with
// a search_path of an empty schema). The policies: MTP_SOURCE_DIR/policies/builtin.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"
#include "store/store.h"

namespace {

constexpr int kOrgs = 10000;
constexpr int kAdmins = 10000;
constexpr int kGrantsPerAdmin = 5;
const char* kProvider = "pbench";

std::string id(char kind, int n) {
  std::string s = std::to_string(n);
  return std::string(1, kind) + std::string(23 - s.size(), '0') + s;  // 24 chars, like ObjectIds
}

struct Fixture {
  std::unique_ptr<mtp::store::Store> store;
  std::unique_ptr<mtp::engine::Authorizer> authorizer;
  mtp::engine::DirectoryData loaded;  // the directory as first loaded
  std::filesystem::path dir;

  Fixture() {
    std::string url;
    if (const char* env = std::getenv("MTP_BENCH_DB"); env && *env) {
      url = env;
    } else {
      dir = std::filesystem::temp_directory_path() / ("mtp-bench-dir-" + std::to_string(::getpid()));
      std::filesystem::create_directories(dir);
      url = "sqlite:" + (dir / "mtp.db").string();
    }
    mtp::store::StoreOptions so;
    so.url = url;
    so.pool_size = 1;
    auto st = mtp::store::openStore(so);
    if (!st) die("store: " + st.error().message);
    store = std::move(*st);
    if (auto m = store->migrate(); !m) die("migrate: " + m.error().message);
    const mtp::model::TenantScope scope{kProvider};
    auto p = store->transact([&](mtp::store::Tx& tx) {
      return tx.createProvider(scope, mtp::model::ProviderRecord{kProvider, "Bench MSP", false, 0, 0});
    });
    if (!p) die("provider: " + p.error().message);
    auto load = store->bulkLoad(scope);
    const std::vector<std::string> roles = {"admin", "manager", "help_desk", "read_only"};
    for (int o = 0; o < kOrgs; ++o) {
      mtp::model::OrganizationRecord org;
      org.id = id('o', o);
      org.provider_id = kProvider;
      org.name = "Org " + std::to_string(o);
      org.created = org.updated = 1700000000;
      org.tags = {o % 2 ? "odd" : "even"};
      if (auto ok = load->addOrganization(org); !ok) die("org: " + ok.error().message);
    }
    for (int a = 0; a < kAdmins; ++a) {
      mtp::model::AdminRecord admin;
      admin.id = id('a', a);
      admin.provider_id = kProvider;
      admin.email = "admin" + std::to_string(a) + "@bench.example";
      admin.firstname = "Bench";
      admin.lastname = "Admin";
      admin.role_name = roles[static_cast<std::size_t>(a) % roles.size()];
      admin.status = mtp::model::AdminStatus::kActive;
      admin.created = admin.updated = 1700000000;
      if (auto ok = load->addAdmin(admin, std::nullopt); !ok) die("admin: " + ok.error().message);
      for (int g = 0; g < kGrantsPerAdmin; ++g) {
        mtp::model::GrantRecord grant{admin.id, id('o', (a * 7 + g * 1999) % kOrgs), "", std::nullopt, 1700000000};
        if (auto ok = load->addGrant(grant); !ok) die("grant: " + ok.error().message);
      }
    }
    if (auto ok = load->commit(); !ok) die("commit: " + ok.error().message);
    (void)load->analyze();
    const char* src = std::getenv("MTP_SOURCE_DIR");
    const std::string policies_dir = std::string(src ? src : MTP_SOURCE_DIR_DEFAULT) + "/policies/builtin";
    auto policies = mtp::engine::PolicySet::load(policies_dir);
    if (!policies) die("policies in " + policies_dir);
    auto d = store->loadDirectory();
    if (!d) die("load: " + d.error().message);
    loaded = *d;
    auto az = mtp::engine::Authorizer::create(*policies, std::move(*d));
    if (!az) die("authorizer: " + az.error().message);
    authorizer = std::move(*az);
  }
  ~Fixture() {
    store.reset();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
  [[noreturn]] static void die(const std::string& why) {
    std::cerr << "bench_directory_update: " << why << "\n";
    std::exit(1);
  }
};

Fixture& fx() {
  static Fixture f;
  return f;
}

void counters(benchmark::State& state) {
  auto snap = fx().authorizer->current();
  state.counters["admins"] = static_cast<double>(snap->adminCount());
  state.counters["orgs"] = static_cast<double>(snap->orgCount());
  state.counters["index_bytes_per_admin_and_org"] =
      static_cast<double>(snap->indexBytes()) / static_cast<double>(snap->adminCount() + snap->orgCount());
}

void BM_FullReload(benchmark::State& state) {
  auto& f = fx();
  for (auto _ : state) {
    auto d = f.store->loadDirectory();
    if (!d) state.SkipWithError("load");
    auto r = f.authorizer->replaceDirectory(std::move(*d));
    if (!r) state.SkipWithError("replace");
  }
  counters(state);
}
BENCHMARK(BM_FullReload)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FullLoadOnly(benchmark::State& state) {
  auto& f = fx();
  for (auto _ : state) {
    auto d = f.store->loadDirectory();
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_FullLoadOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SnapshotBuildOnly(benchmark::State& state) {
  auto& f = fx();
  for (auto _ : state) {
    state.PauseTiming();
    mtp::engine::DirectoryData copy = f.loaded;
    state.ResumeTiming();
    auto r = f.authorizer->replaceDirectory(std::move(copy));
    if (!r) state.SkipWithError("replace");
  }
}
BENCHMARK(BM_SnapshotBuildOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void incremental(benchmark::State& state, mtp::engine::DirectoryPart::Kind kind, char prefix, int n) {
  auto& f = fx();
  int i = 0;
  for (auto _ : state) {
    auto part = f.store->loadDirectoryPart(kind, id(prefix, (i++ * 37) % n));
    if (!part) state.SkipWithError("load part");
    auto r = f.authorizer->updateDirectory({std::move(*part)});
    if (!r) state.SkipWithError("update");
  }
  counters(state);
}

void BM_IncrementalAdmin(benchmark::State& state) {
  incremental(state, mtp::engine::DirectoryPart::Kind::kAdmin, 'a', kAdmins);
}
BENCHMARK(BM_IncrementalAdmin)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IncrementalOrg(benchmark::State& state) {
  incremental(state, mtp::engine::DirectoryPart::Kind::kOrg, 'o', kOrgs);
}
BENCHMARK(BM_IncrementalOrg)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
