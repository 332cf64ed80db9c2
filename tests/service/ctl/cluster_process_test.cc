// Issue 16 items 1 and 3: two real mtpd processes (replicas A and B) on one database, the way a
// cluster runs them, on PostgreSQL (MTP_TEST_PG; NOTIFY/LISTEN) and on one SQLite file (the
// change_log poll). A change made through A, or by mtpctl, or straight in the store, is in force
// on B within 1 s (measured and asserted); B's feed connection killed: B reloads in full and is
// ready again; the periodic jobs run on one replica only, and the other takes over when the
// holder is killed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "auth/password.h"
#include "auth/random.h"
#include "child_process.h"
#include "cluster_checks.h"
#include "http_client.h"
#include "smtp_sink.h"
#include "store/store.h"

namespace mtp::testing {
namespace {

using namespace std::chrono_literals;
using mtp::test::HttpClient;
using mtp::test::Headers;
using Clock = std::chrono::steady_clock;

std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : std::filesystem::current_path();
}

// One statement through libpq; the first column of the first row ("" if none or on error).
std::string pqValue(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  std::string out;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    else if (PQresultStatus(r) == PGRES_COMMAND_OK) out = "ok";
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

using Child = ChildProcess;

RunResult run(std::vector<std::string> argv, std::vector<std::string> env = {}) {
  return runProcess(std::move(argv), std::move(env));
}



std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

using cluster::msUntil;

class ClusterProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mtp-cluster-" + auth::randomHex(6));
    std::filesystem::create_directories(dir_);
    if (GetParam() == "postgresql") {
      const char* env = std::getenv("MTP_TEST_PG");
      if (!env || !*env) GTEST_SKIP() << "MTP_TEST_PG is not set: PostgreSQL skipped";
      pg_base_ = env;
      schema_ = "c" + auth::randomHex(6);
      ASSERT_EQ(pqValue(pg_base_, "CREATE SCHEMA " + schema_), "ok");
      const std::string sep = pg_base_.find('?') == std::string::npos ? "?" : "&";
      db_ = pg_base_ + sep + "options=-c%20search_path%3D" + schema_;
    } else {
      db_ = "sqlite:" + (dir_ / "mtp.db").string();
    }
    a_ = std::make_unique<Child>(mtpdArgs());
    port_a_ = portOf(*a_);
    ASSERT_NE(port_a_, 0) << a_->output();
    owner_password_ = a_->waitFor(R"(one-time password for \S+: (\S+))");
    owner_email_ = a_->waitFor(R"(one-time password for (\S+):)");
    provider_ = a_->waitFor(R"(created provider "[^"]*" \((\w+)\))");
    ASSERT_FALSE(owner_password_.empty() || provider_.empty()) << a_->output();
    b_ = std::make_unique<Child>(mtpdArgs());
    port_b_ = portOf(*b_);
    ASSERT_NE(port_b_, 0) << b_->output();
    ASSERT_EQ(login(port_a_, owner_email_, owner_password_, &owner_token_), 200);

    store::StoreOptions so;
    so.url = db_;
    so.pool_size = 1;
    auto st = store::openStore(so);
    ASSERT_TRUE(st.has_value());
    store_ = std::move(*st);
  }
  void TearDown() override {
    b_.reset();
    a_.reset();
    store_.reset();
    if (!schema_.empty()) pqValue(pg_base_, "DROP SCHEMA " + schema_ + " CASCADE");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::vector<std::string> mtpdArgs() {
    return {MTP_MTPD_BIN, "--smtp", smtp_.url(), "--smtp-poll-ms", "200", "--db", db_, "--listen", "127.0.0.1:0", "--policies",
            (sourceDir() / "policies" / "builtin").string(), "--jwt-key-file", (dir_ / "jwt.key").string(),
            "--threads", "2", "--web", "none", "--no-rate-limits", "--usage-interval", "1",
            "--job-standby-ms", "200", "--user-schedule-interval-ms", "200"};
  }
  static std::uint16_t portOf(Child& c) {
    const auto p = c.waitFor(R"(mtpd listening on http://127\.0\.0\.1:(\d+))");
    return p.empty() ? 0 : static_cast<std::uint16_t>(std::stoi(p));
  }
  static int login(std::uint16_t port, const std::string& email, const std::string& password,
                   std::string* token = nullptr) {
    return cluster::login(port, email, password, token);
  }
  static int get(std::uint16_t port, const std::string& path, const std::string& token, bool api_key = false) {
    return cluster::get(port, path, token, api_key);
  }
  static mtp::test::HttpResponse call(std::uint16_t port, const std::string& method, const std::string& path,
                                      const std::string& token, const std::string& body = "{}") {
    return cluster::call(port, method, path, token, body);
  }
  std::string createManager(const std::string& email, const std::string& password, const std::string& org) {
    return cluster::createManager(*store_, provider_, email, password, org);
  }

  std::filesystem::path dir_;
  std::string db_, pg_base_, schema_;
  std::unique_ptr<Child> a_, b_;
  std::uint16_t port_a_ = 0, port_b_ = 0;
  std::string owner_email_, owner_password_, owner_token_, provider_;
  std::unique_ptr<store::Store> store_;
  SmtpSink smtp_;  // both replicas deliver the outbox here (one at a time)
};

TEST_P(ClusterProcessTest, ChangesThroughOneReplicaAreInForceOnTheOtherWithinOneSecond) {
  cluster::checkChangesPropagate(cluster::Replicas{"cluster " + GetParam(), port_a_, port_b_, provider_, owner_token_, db_,
                                                   store_.get(), MTP_MTPCTL_BIN});
}

TEST_P(ClusterProcessTest, ALostFeedConnectionReloadsInFullAndIsReadyAgain) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite has no feed connection to lose";
  const auto reloads_before = count(b_->output(), "directory reloaded in full");
  // Kill every LISTEN connection of this schema (A's and B's) from outside.
  const std::string killed = pqValue(pg_base_,
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN \"mtp:" + schema_ + "\"'");
  ASSERT_EQ(killed, "2");
  ASSERT_FALSE(b_->waitFor("change feed: connection lost", 10s).empty()) << b_->output();
  EXPECT_GE(msUntil([&] { return count(b_->output(), "directory reloaded in full") > reloads_before; }, 5000ms), 0)
      << b_->output();
  EXPECT_GE(msUntil([&] { HttpClient c(port_b_); return c.request("GET", "/readyz").status == 200; }, 5000ms), 0);
  // And changes flow again: an admin created through the store is usable on B.
  auto org = call(port_a_, "POST", "/api/v2/providers/" + provider_ + "/organizations", owner_token_, R"({"name":"After"})");
  ASSERT_EQ(org.status, 201);
  const std::string email = "after-" + auth::randomHex(4) + "@msp.example";
  const std::string admin = createManager(email, "After-reconnect-pass-1", nlohmann::json::parse(org.body).value("id", ""));
  std::string token;
  ASSERT_EQ(login(port_b_, email, "After-reconnect-pass-1", &token), 200);
  EXPECT_GE(msUntil([&] { return get(port_b_, "/api/v2/me", token) == 200; }, 1000ms), 0);
}

TEST_P(ClusterProcessTest, JobsRunOnOneReplicaAndTheOtherTakesOverWhenItDies) {
  // Both replicas run the usage job every second: only the lease holder records snapshots.
  ASSERT_GE(msUntil([&] {
              return a_->output().find("holds the lease and runs it") != std::string::npos ||
                     b_->output().find("holds the lease and runs it") != std::string::npos;
            }, 10000ms), 0);
  std::this_thread::sleep_for(3s);
  const bool a_holds = count(a_->output(), "job usage-snapshot: this replica holds the lease") == 1;
  Child& holder = a_holds ? *a_ : *b_;
  Child& standby = a_holds ? *b_ : *a_;
  EXPECT_GE(count(holder.output(), "usage snapshot: "), 2u) << holder.output();
  EXPECT_EQ(count(standby.output(), "usage snapshot: "), 0u) << standby.output();
  EXPECT_EQ(count(standby.output(), "job usage-snapshot: this replica holds the lease"), 0u);
  // The holder dies (no clean shutdown): the standby takes the job over.
  const auto t0 = Clock::now();
  ::kill(holder.pid(), SIGKILL);
  ASSERT_FALSE(standby.waitFor("job usage-snapshot: this replica holds the lease", 10s).empty()) << standby.output();
  const long long took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  ASSERT_FALSE(standby.waitFor("usage snapshot: \\d+ organizations recorded", 5s).empty()) << standby.output();
  std::printf("[cluster %s] usage job taken over %lld ms after its holder was killed\n", GetParam().c_str(), took);
}

TEST_P(ClusterProcessTest, TheOutboxIsSentOnceByOneReplica) {
  // Both replicas poll the outbox every 200 ms: each email reaches the relay exactly once.
  constexpr int kEmails = 8;
  const auto before = smtp_.messages().size();  // none expected, but be exact
  for (int i = 0; i < kEmails; ++i) {
    model::EmailRecord e;
    e.provider_id = provider_;
    e.to_address = "to" + std::to_string(i) + "@client.example";
    e.subject = "Cluster " + std::to_string(i);
    e.body = "Hello " + std::to_string(i);
    auto q = store_->transact([&](store::Tx& tx) { return tx.enqueueEmail(model::TenantScope{provider_}, e); });
    ASSERT_TRUE(q.has_value());
  }
  ASSERT_TRUE(smtp_.waitFor(before + kEmails, 10s)) << smtp_.messages().size();
  std::this_thread::sleep_for(1500ms);  // several more polls of both replicas
  const auto got = smtp_.messages();
  EXPECT_EQ(got.size(), before + kEmails);
  std::set<std::string> to;
  for (const auto& m : got)
    for (const auto& t : m.to) to.insert(t);
  EXPECT_EQ(to.size(), static_cast<std::size_t>(kEmails));
  const bool a_sent = a_->output().find("outbox: email") != std::string::npos;
  const bool b_sent = b_->output().find("outbox: email") != std::string::npos;
  EXPECT_NE(a_sent, b_sent) << "the outbox was sent by " << (a_sent ? "both replicas" : "neither replica");
}

// Issue 16 item 2: replicas C and D run the database's policies (--policies-from-db); a version
// pushed by mtpctl is in force on both within 1 s, a rollback likewise; a version that compiles
// but cannot replace the live set on a replica (it drops a role an admin holds) leaves the live
// set in place there.
TEST_P(ClusterProcessTest, APushedPolicyIsLiveOnBothReplicasWithinOneSecond) {
  const std::string builtin = (sourceDir() / "policies" / "builtin").string();
  const auto freeze = dir_ / "freeze";
  std::filesystem::create_directories(freeze);
  std::filesystem::copy_file(sourceDir() / "policies" / "builtin" / "roles.yaml", freeze / "roles.yaml");
  {
    std::ofstream(freeze / "freeze.yaml") << "policies:\n"
                                             "  - id: no-org-reads-in-freeze\n"
                                             "    effect: forbid\n"
                                             "    actions: [orgs.read]\n"
                                             "    when: org.tags contains \"change-freeze\"\n";
  }
  auto v1 = run({MTP_MTPCTL_BIN, "policy", "push", "--db", db_, builtin});
  ASSERT_EQ(v1.rc, 0) << v1.out;
  auto args = mtpdArgs();
  args.push_back("--policies-from-db");
  Child c(args), d(args);
  const std::uint16_t port_c = portOf(c), port_d = portOf(d);
  ASSERT_NE(port_c, 0) << c.output();
  ASSERT_NE(port_d, 0) << d.output();
  EXPECT_NE(c.output().find("policies: version v1:"), std::string::npos) << c.output();

  const std::string base = "/api/v2/providers/" + provider_;
  auto org = call(port_a_, "POST", base + "/organizations", owner_token_, R"({"name":"Frozen","tags":["change-freeze"]})");
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_path = base + "/organizations/" + nlohmann::json::parse(org.body).value("id", "");
  for (auto port : {port_c, port_d})
    ASSERT_GE(msUntil([&] { return get(port, org_path, owner_token_) == 200; }), 0);

  // Push: the forbid is in force on both.
  auto v2 = run({MTP_MTPCTL_BIN, "policy", "push", "--db", db_, freeze.string()});
  ASSERT_EQ(v2.rc, 0) << v2.out;
  auto t0 = Clock::now();
  auto both = [&](int status) {
    return get(port_c, org_path, owner_token_) == status && get(port_d, org_path, owner_token_) == status;
  };
  long long ms = msUntil([&] { return both(403); });
  EXPECT_GE(ms, 0) << "the pushed policy never reached both replicas\n" << c.output() << d.output();
  long long since = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_LT(since, 1000) << "pushed policy live on both after " << since << " ms";
  std::printf("[cluster %s] policy pushed by mtpctl: live on both replicas %lld ms after mtpctl exited\n",
              GetParam().c_str(), since);
  EXPECT_FALSE(c.waitFor("policies: version (v2:[0-9a-f]+) from the database is live", 2s).empty()) << c.output();
  // A and B (file policies) are not concerned.
  EXPECT_EQ(get(port_a_, org_path, owner_token_), 200);

  // Rollback to version 1: the forbid is gone on both.
  auto back = run({MTP_MTPCTL_BIN, "policy", "rollback", "--db", db_, "1"});
  ASSERT_EQ(back.rc, 0) << back.out;
  t0 = Clock::now();
  ms = msUntil([&] { return both(200); });
  EXPECT_GE(ms, 0) << "the rollback never reached both replicas";
  since = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_LT(since, 1000) << "rollback live on both after " << since << " ms";
  std::printf("[cluster %s] policy rollback by mtpctl: live on both replicas %lld ms after mtpctl exited\n",
              GetParam().c_str(), since);

  // A version without the owner's role compiles (push accepts it) but cannot be swapped in:
  // each replica logs it and keeps the live set.
  const auto no_owner_role = dir_ / "tiny";
  std::filesystem::create_directories(no_owner_role);
  std::ofstream(no_owner_role / "roles.yaml") << "roles:\n  - id: read_only\n    title: Read Only\n    grants: [orgs.read]\n";
  auto v3 = run({MTP_MTPCTL_BIN, "policy", "push", "--db", db_, no_owner_role.string()});
  if (v3.rc == 0) {
    ASSERT_FALSE(c.waitFor("policies: not reloaded from the database, the live set stays", 3s).empty()) << c.output();
    EXPECT_EQ(get(port_c, org_path, owner_token_), 200);
    EXPECT_EQ(get(port_d, org_path, owner_token_), 200);
  }
}

TEST_P(ClusterProcessTest, AScheduledSuspensionIsCarriedOutOnceByOneReplica) {
  // Issue 12 item 2: both replicas run the schedule job every 200 ms; the user is suspended
  // once, with one user_suspended event, about when scheduled.
  const std::string base = "/api/v2/providers/" + provider_;
  auto org = call(port_a_, "POST", base + "/organizations", owner_token_, R"({"name":"Scheduled"})");
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_id = nlohmann::json::parse(org.body).value("id", "");
  HttpClient c(port_a_);
  const Headers h{{"Authorization", "Bearer " + owner_token_}, {"x-org-id", org_id}};
  auto user = c.json("POST", "/api/systemusers", R"({"username":"leaver","password":"Leaver-pass-phrase-77"})", h);
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string id = nlohmann::json::parse(user.body).value("id", "");
  ASSERT_EQ(nlohmann::json::parse(user.body).value("state", ""), "ACTIVATED");
  const auto due = std::chrono::system_clock::now() + 2s;
  const std::time_t t = std::chrono::system_clock::to_time_t(due);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  auto put = c.json("PUT", "/api/systemusers/" + id + "/schedule/suspension",
                    nlohmann::json{{"start_date", when}}.dump(), h);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(nlohmann::json::parse(put.body).value("scheduled_suspension_date", ""), when);
  auto state = [&] {
    auto u = store_->query([&](store::Tx& tx) { return tx.getSystemUser(model::TenantScope{provider_}, org_id, id); });
    return u ? u->state : model::UserState::kStaged;
  };
  ASSERT_GE(msUntil([&] { return state() == model::UserState::kSuspended; }, 10000ms), 0);
  const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(t)).count();
  std::this_thread::sleep_for(1s);  // several more passes of both replicas
  model::ActivityQuery q;
  q.event_type = "user_suspended";
  auto events = store_->query([&](store::Tx& tx) { return tx.listActivity(model::TenantScope{provider_}, q); });
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].resource_id, id);
  EXPECT_EQ((*events)[0].initiated_by_type, "system");
  auto after = store_->query([&](store::Tx& tx) { return tx.getSystemUser(model::TenantScope{provider_}, org_id, id); });
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->scheduled_suspension_at.has_value());
  std::printf("[cluster %s] scheduled suspension carried out %lld ms after it was due (1 event)\n", GetParam().c_str(),
              static_cast<long long>(late));
}

INSTANTIATE_TEST_SUITE_P(Backends, ClusterProcessTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mtp::testing
