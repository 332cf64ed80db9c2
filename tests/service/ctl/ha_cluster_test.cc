// Issue 16 items 2 and 5: the whole cluster on loopback as scripts/cluster.sh starts it — a
// pg_auto_failover monitor, a primary and a synchronous standby, two mtpd (--policies-from-db)
// on the multi-host URL, HAProxy in front checking /readyz:
//  - a change through replica A (or the store, or mtpctl) is in force on replica B within 1 s;
//  - a policy pushed by mtpctl is live on both within 1 s, a rollback likewise;
//  - a client ledger writing through HAProxy while (1) the primary's postmaster is killed
//    (kill -9; its keeper restarts it), (2) the whole primary node is lost (keeper and postgres:
//    the monitor promotes the standby; the multi-host URL finds it), (3) one mtpd is killed:
//    every acknowledged write is in the database afterwards with exactly one activity event,
//    and what the clients saw meanwhile (outage, answers) is printed for the operator's note.
// Bounded (about 2 minutes; ctest timeout 300 s, RUN_SERIAL: it needs the cores); skipped with
// a message when pg_autoctl or haproxy is not installed (scripts/install-deps.sh).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include "cluster_checks.h"
#include "write_ledger.h"

namespace mtp::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using cluster::Clock;
using cluster::msSince;
using cluster::msUntil;

fs::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : fs::current_path();
}

bool installed(const char* path) { return ::access(path, X_OK) == 0; }

std::map<std::string, std::string> readEnvFile(const fs::path& p) {
  std::map<std::string, std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string v = line.substr(eq + 1);
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
    out[line.substr(0, eq)] = v;
  }
  return out;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

class HaClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!installed("/usr/bin/pg_autoctl") || !installed("/usr/sbin/haproxy") ||
        !installed("/usr/lib/postgresql/15/bin/postgres")) {
      GTEST_SKIP() << "pg_autoctl, haproxy or PostgreSQL 15 is not installed (scripts/install-deps.sh: "
                      "pg-auto-failover-cli, postgresql-15-auto-failover, haproxy): the HA cluster test is skipped";
    }
    t0_ = Clock::now();
    dir_ = fs::temp_directory_path() / ("mtp-ha-" + auth::randomHex(6));
    env_ = {"MTP_CLUSTER_DIR=" + dir_.string(), std::string("MTPD_BIN=") + MTP_MTPD_BIN,
            std::string("MTPCTL_BIN=") + MTP_MTPCTL_BIN, "MTP_BOOTSTRAP_EMAIL=" + owner_email_,
            "MTP_BOOTSTRAP_PASSWORD=" + owner_password_,
            "MTPD_ARGS=--threads 2 --no-rate-limits --usage-interval 0"};
    ChildProcess up({"/bin/bash", (sourceDir() / "scripts" / "cluster.sh").string(), "up"}, env_);
    const int st = up.wait(150s);
    started_ = true;
    ASSERT_EQ(st, 0) << "scripts/cluster.sh up failed:\n" << up.output();
    std::printf("[ha] scripts/cluster.sh up: %lld ms\n", msSince(t0_));
    auto e = readEnvFile(dir_ / "cluster.env");
    db_ = e["MTP_CLUSTER_DB"];
    const auto m = split(e["MTP_CLUSTER_MTPD_PORTS"]);
    const auto pg = split(e["MTP_CLUSTER_PG_PORTS"]);
    ASSERT_EQ(m.size(), 2u);
    ASSERT_EQ(pg.size(), 3u);
    port_a_ = static_cast<std::uint16_t>(std::stoi(m[0]));
    port_b_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    pg_ports_ = {pg[1], pg[2]};
    monitor_port_ = pg[0];
    proxy_ = static_cast<std::uint16_t>(std::stoi(e["MTP_CLUSTER_URL"].substr(e["MTP_CLUSTER_URL"].rfind(':') + 1)));
    mtpd_a_pgid_ = std::stoi(e["MTP_CLUSTER_MTPD_A_PGID"]);
    node_pgid_ = {std::stoi(e["MTP_CLUSTER_NODE1_PGID"]), std::stoi(e["MTP_CLUSTER_NODE2_PGID"])};
    std::smatch pm;
    const std::string log_a = readFile(dir_ / "mtpd-a.log");
    ASSERT_TRUE(std::regex_search(log_a, pm, std::regex(R"(created provider (?:"[^"]*" \()?(\w+))"))) << log_a;
    provider_ = pm[1];
    ASSERT_EQ(cluster::login(proxy_, owner_email_, owner_password_, &owner_token_), 200);
    store::StoreOptions so;
    so.url = db_;
    so.pool_size = 1;
    auto s = store::openStore(so);
    ASSERT_TRUE(s.has_value());
    store_ = std::move(*s);
  }

  void TearDown() override {
    store_.reset();
    if (!started_) return;
    // On failure the logs stay (MTP_CLUSTER_KEEP=1: everything is stopped, the folder kept).
    if (HasFailure()) env_.push_back("MTP_CLUSTER_KEEP=1");
    if (HasFailure()) std::printf("[ha] logs kept in %s\n", dir_.c_str());
    auto down = runProcess({"/bin/bash", (sourceDir() / "scripts" / "cluster.sh").string(), "down"}, env_);
    EXPECT_EQ(down.rc, 0) << down.out;
    std::printf("[ha] whole test including up and down: %lld ms\n", msSince(t0_));
  }

  // The node (0 or 1) whose PostgreSQL accepts writes, waiting up to `limit` for one; -1 if
  // none answers as primary (the formation's state is printed then).
  int primaryNode(std::chrono::milliseconds limit = 30s) {
    int found = -1;
    msUntil([&] {
      for (int i = 0; i < 2; ++i) {
        auto r = pqRows("host=127.0.0.1 port=" + pg_ports_[i] + " user=postgres dbname=postgres connect_timeout=2",
                        "SELECT pg_is_in_recovery()");
        if (!r.empty() && r[0][0] == "f") found = i;
      }
      return found >= 0;
    }, limit);
    if (found < 0) {
      auto st = runProcess({"/bin/bash", (sourceDir() / "scripts" / "cluster.sh").string(), "status"}, env_);
      std::printf("[ha] no primary answers:\n%s\n", st.out.c_str());
    }
    return found;
  }
  // Waits until the monitor sees a primary and a secondary again, each in the state it was
  // assigned (the formation healed: a failover is possible again).
  bool waitFormationHealthy(std::chrono::milliseconds limit) {
    return msUntil([&] {
             auto r = pqRows("host=127.0.0.1 port=" + monitor_port_ + " user=postgres dbname=pg_auto_failover connect_timeout=2",
                             "SELECT count(*) FROM pgautofailover.node WHERE reportedstate = goalstate "
                             "AND reportedstate IN ('primary', 'secondary')");
             return !r.empty() && r[0][0] == "2";
           }, limit) >= 0;
  }
  pid_t postmasterPid(int node) {
    std::ifstream in(dir_ / "pg" / ("n" + std::to_string(node + 1)) / "postmaster.pid");
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
  }

  const std::string owner_email_ = "owner@ha.example";
  const std::string owner_password_ = "Cobalt-heron-lantern-72!";
  Clock::time_point t0_;
  fs::path dir_;
  std::vector<std::string> env_;
  bool started_ = false;
  std::string db_, provider_, owner_token_;
  std::uint16_t port_a_ = 0, port_b_ = 0, proxy_ = 0;
  std::vector<std::string> pg_ports_;
  std::string monitor_port_;
  int mtpd_a_pgid_ = 0;
  std::vector<int> node_pgid_;
  std::unique_ptr<store::Store> store_;
};

// The ledger's writers: POST an org through HAProxy, one request per create (no retry).
WriteLedger::Create createOrgs(std::uint16_t proxy, const std::string& provider, const std::string& token) {
  return [proxy, path = "/api/v2/providers/" + provider + "/organizations", token](WriteLedger& l, int w, int i) {
    const std::string name = "ledger-" + std::to_string(w) + "-" + std::to_string(i);
    auto r = l.post(w, proxy, path, "{\"name\":\"" + name + "\"}", {{"Authorization", "Bearer " + token}}, 15000);
    if (r.status != 201) std::this_thread::sleep_for(50ms);
  };
}

// What the clients saw from `from_ms` on: the outage and the answers meanwhile.
void report(const char* what, const WriteLedger& ledger, long long from_ms, long long to_ms) {
  const LedgerWindow w = ledger.window(from_ms, to_ms);
  std::printf("[ha] %s: outage seen by clients %lld ms (first failure %+lld ms after the kill); %d acknowledged, %d failed "
              "(%d with Retry-After); answers:%s\n",
              what, w.outage_ms, w.first_failure_ms < 0 ? 0 : w.first_failure_ms, w.ok, w.failed, w.with_retry_after,
              w.answers().c_str());
}

TEST_F(HaClusterTest, ChangesPoliciesAndAcknowledgedWritesSurviveFailures) {
  // 1. Changes through one replica, in force through the other within 1 s.
  cluster::checkChangesPropagate(cluster::Replicas{"ha", port_a_, port_b_, provider_, owner_token_, db_,
                                                   store_.get(), MTP_MTPCTL_BIN});
  if (HasFatalFailure()) return;

  // 2. A policy pushed by mtpctl: live on both replicas within 1 s; a rollback likewise.
  const fs::path freeze = dir_ / "freeze";
  fs::create_directories(freeze);
  fs::copy_file(sourceDir() / "policies" / "builtin" / "roles.yaml", freeze / "roles.yaml");
  std::ofstream(freeze / "freeze.yaml") << "policies:\n"
                                           "  - id: no-org-reads-in-freeze\n"
                                           "    effect: forbid\n"
                                           "    actions: [orgs.read]\n"
                                           "    when: org.tags contains \"change-freeze\"\n";
  const std::string base = "/api/v2/providers/" + provider_;
  auto org = cluster::call(proxy_, "POST", base + "/organizations", owner_token_, R"({"name":"Frozen","tags":["change-freeze"]})");
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_path = base + "/organizations/" + nlohmann::json::parse(org.body).value("id", "");
  auto both = [&](int status) {
    return cluster::get(port_a_, org_path, owner_token_) == status && cluster::get(port_b_, org_path, owner_token_) == status;
  };
  ASSERT_GE(msUntil([&] { return both(200); }), 0);
  auto pushed = runProcess({MTP_MTPCTL_BIN, "policy", "push", "--db", db_, freeze.string()});
  ASSERT_EQ(pushed.rc, 0) << pushed.out;
  auto t = Clock::now();
  EXPECT_GE(msUntil([&] { return both(403); }), 0) << "the pushed policy never reached both replicas";
  long long ms = msSince(t);
  EXPECT_LT(ms, 1000);
  std::printf("[ha] policy pushed by mtpctl: live on both replicas %lld ms after mtpctl exited\n", ms);
  auto back = runProcess({MTP_MTPCTL_BIN, "policy", "rollback", "--db", db_, "1"});
  ASSERT_EQ(back.rc, 0) << back.out;
  t = Clock::now();
  EXPECT_GE(msUntil([&] { return both(200); }), 0) << "the rollback never reached both replicas";
  ms = msSince(t);
  EXPECT_LT(ms, 1000);
  std::printf("[ha] policy rolled back by mtpctl: live on both replicas %lld ms after mtpctl exited\n", ms);

  // 3. The ledger, through HAProxy, across three failures.
  WriteLedger ledger(4, createOrgs(proxy_, provider_, owner_token_));
  ASSERT_TRUE(ledger.waitHealthy(20, 20s));
  const int primary = primaryNode();
  ASSERT_GE(primary, 0);
  // (1) kill -9 of the primary's postmaster: its keeper restarts it in place.
  const long long k1 = ledger.nowMs();
  ASSERT_EQ(::kill(postmasterPid(primary), SIGKILL), 0);
  ASSERT_TRUE(ledger.waitHealthy(20, 30s, k1)) << "writes did not recover after the postmaster was killed";
  const int after_restart = primaryNode();
  std::printf("[ha] after kill -9 of node %d's postmaster: node %d is primary (%s)\n", primary + 1, after_restart + 1,
              after_restart == primary ? "restarted in place by its keeper" : "the monitor failed over");
  // The old node back as the standby (pg_rewind), as the monitor sees it, before the next failure.
  const auto heal = Clock::now();
  ASSERT_TRUE(waitFormationHealthy(40s)) << "no synchronous standby again after the postmaster kill";
  std::printf("[ha] formation healed (primary + secondary for the monitor) %lld ms later\n", msSince(heal));
  // (2) The whole primary node lost (keeper and postgres): the monitor promotes the standby.
  const int before = primaryNode();
  ASSERT_GE(before, 0);
  const long long k2 = ledger.nowMs();
  ASSERT_EQ(::kill(-node_pgid_[before], SIGKILL), 0);
  ::kill(postmasterPid(before), SIGKILL);  // its postgres too, if it left the group
  ASSERT_TRUE(ledger.waitHealthy(20, 45s, k2)) << "writes did not recover after the primary node was lost";
  EXPECT_EQ(primaryNode(), 1 - before) << "the standby was not promoted";
  std::this_thread::sleep_for(1s);
  // (3) One mtpd killed: HAProxy sends everything to the other.
  const long long k3 = ledger.nowMs();
  ASSERT_EQ(::kill(-mtpd_a_pgid_, SIGKILL), 0);
  std::this_thread::sleep_for(3s);
  EXPECT_TRUE(ledger.waitHealthy(20, 20s, k3)) << "writes did not recover after one mtpd was killed";
  const long long end = ledger.nowMs();
  ledger.stop();
  report("kill -9 of the primary's postmaster", ledger, k1, k2);
  report("primary node lost (failover to the standby)", ledger, k2, k3);
  report("one mtpd killed", ledger, k3, end + 1);

  // Every acknowledged write is in the database, with exactly one activity event; so is every
  // ledger org in the database (a write whose answer was lost may have committed, once).
  std::set<std::string> acknowledged;
  for (const auto& w : ledger.requests())
    if (w.status == 201) acknowledged.insert(nlohmann::json::parse(w.body, nullptr, false).value("id", ""));
  const auto rows = pqRows(db_,
      "SELECT o.id, (SELECT count(*) FROM activity a WHERE a.resource_id = o.id AND a.event_type = 'organization_create') "
      "FROM organizations o WHERE o.provider_id = '" + provider_ + "' AND o.name LIKE 'ledger-%'");
  ASSERT_FALSE(rows.empty()) << "the database could not be read after the failures";
  std::map<std::string, int> events;
  for (const auto& r : rows) events[r[0]] = std::stoi(r[1]);
  int lost = 0, wrong_events = 0;
  for (const auto& id : acknowledged)
    if (!events.contains(id)) ++lost;
  for (const auto& [id, n] : events)
    if (n != 1) ++wrong_events;
  EXPECT_EQ(lost, 0) << lost << " acknowledged writes are missing";
  EXPECT_EQ(wrong_events, 0);
  std::printf("[ha] ledger: %zu writes acknowledged, %d lost; %zu ledger orgs in the database (%zu committed without an "
              "answer), each with exactly one activity event: %s\n",
              acknowledged.size(), lost, events.size(), events.size() - acknowledged.size() + static_cast<std::size_t>(lost),
              wrong_events == 0 ? "yes" : "no");
}

}  // namespace
}  // namespace mtp::testing
