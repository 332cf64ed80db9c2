// Issue 11, the ledger test: concurrent writers through a real mtpd on a private PostgreSQL
// (scripts/pg.sh start: it never touches the shared test server) while PostgreSQL is restarted
// and while mtpd is killed with kill -9 and started again. Every request and its answers are
// written down (the ledger); afterwards the database must hold every acknowledged create
// exactly once, nothing refused with a 4xx, no duplicate from a retry with the same
// Idempotency-Key, exactly one activity event per created org; every 503 carried Retry-After;
// mtpd recovered from the PostgreSQL restart by itself and /readyz showed the outage. The
// figures (requests, acknowledged, lost, ambiguous, outage ms) are printed for the issue.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <vector>

#include "auth/random.h"
#include "child_process.h"
#include "http_client.h"
#include "write_ledger.h"

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

// Runs a shell command; its stdout.
std::string shell(const std::string& cmd, int* rc = nullptr) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, f)) out += buf;
  const int st = ::pclose(f);
  if (rc) *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::uint16_t freePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// One create in the ledger: every answer it got, and how it ended.
struct Entry {
  std::string name, key;
  bool valid = true;        // an invalid one (negative cap) must be refused with 400
  int attempts = 0;
  enum class End { kNone, kAcknowledged, kAppliedAnswerLost, kRefused, kOther } end = End::kNone;
  int final_status = 0;
};

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int rc = 0;
    const std::string env = shell("bash '" + (sourceDir() / "scripts" / "pg.sh").string() + "' start 2>/dev/null", &rc);
    if (rc != 0) GTEST_SKIP() << "no private PostgreSQL (scripts/pg.sh start failed)";
    std::smatch m;
    if (std::regex_search(env, m, std::regex("MTP_TEST_PG='([^']+)'"))) db_ = m[1].str();
    if (std::regex_search(env, m, std::regex("MTP_PG_DIR='([^']+)'"))) pg_dir_ = m[1].str();
    ASSERT_FALSE(db_.empty() || pg_dir_.empty()) << env;
    dir_ = std::filesystem::temp_directory_path() / ("mtp-ledger-" + auth::randomHex(6));
    std::filesystem::create_directories(dir_);
    port_ = freePort();
  }
  void TearDown() override {
    mtpd_.reset();
    if (!pg_dir_.empty()) shell("bash '" + (sourceDir() / "scripts" / "pg.sh").string() + "' stop '" + pg_dir_ + "' 2>/dev/null");
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::unique_ptr<ChildProcess> startMtpd() {
    return std::make_unique<ChildProcess>(std::vector<std::string>{
        MTP_MTPD_BIN, "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port_), "--policies",
        (sourceDir() / "policies" / "builtin").string(), "--jwt-key-file", (dir_ / "jwt.key").string(),
        "--threads", "3", "--web", "none", "--no-rate-limits", "--usage-interval", "0",
        "--idempotency-lease-seconds", "2"});
  }
  bool listening(ChildProcess& c) { return !c.waitFor(R"(mtpd listening on http://127\.0\.0\.1:(\d+))", 30s).empty(); }

  std::string db_, pg_dir_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> mtpd_;
};

TEST_F(LedgerTest, NoAcknowledgedWriteLostNoDuplicateThroughPostgresRestartAndKill9) {
  mtpd_ = startMtpd();
  ASSERT_TRUE(listening(*mtpd_)) << mtpd_->output();
  const std::string email = mtpd_->waitFor(R"(one-time password for (\S+):)");
  const std::string password = mtpd_->waitFor(R"(one-time password for \S+: (\S+))");
  const std::string provider = mtpd_->waitFor(R"(created provider "[^"]*" \((\w+)\))");
  ASSERT_FALSE(email.empty() || password.empty() || provider.empty()) << mtpd_->output();
  std::string token;
  for (auto end = Clock::now() + 20s; token.empty() && Clock::now() < end; std::this_thread::sleep_for(100ms)) {
    try {
      HttpClient c(port_);
      auto r = c.json("POST", "/api/v2/auth/login", nlohmann::json{{"email", email}, {"password", password}}.dump());
      if (r.status == 200) token = nlohmann::json::parse(r.body).value("token", "");
    } catch (const std::exception&) {
    }
  }
  ASSERT_FALSE(token.empty()) << mtpd_->output();
  const std::string orgs = "/api/v2/providers/" + provider + "/organizations";

  // --- the ledger: each create retried with its Idempotency-Key until it ends
  std::mutex mu;
  std::vector<Entry> ledger;
  std::atomic<int> unavailable{0}, unavailable_without_retry_after{0}, no_answer{0}, in_flight_409{0},
      unexpected{0};
  const auto hard_end = Clock::now() + 75s;
  auto create = [&](WriteLedger& l, int w, int i) {
    Entry e;
    e.name = "ledger-" + std::to_string(w) + "-" + std::to_string(i);
    e.key = "key-" + e.name;
    e.valid = i % 10 != 7;
    nlohmann::json body{{"name", e.name}};
    if (!e.valid) body["maxSystemUsers"] = -1;
    const std::string req = body.dump();
    while (e.end == Entry::End::kNone && Clock::now() < hard_end) {
      ++e.attempts;
      const LedgerRequest r =
          l.post(w, port_, orgs, req, {{"Authorization", "Bearer " + token}, {"Idempotency-Key", e.key}}, 5000);
      if (r.ok()) {
        e.end = Entry::End::kAcknowledged;
      } else if (r.status == 400 || r.status == 422) {
        e.end = Entry::End::kRefused;
      } else if (r.status == 409 && r.body.find("answer was lost") != std::string::npos) {
        e.end = Entry::End::kAppliedAnswerLost;
      } else if (r.status == 503 || r.status == 0 || r.status == 409) {
        if (r.status == 503) {
          ++unavailable;
          if (r.retry_after.empty()) ++unavailable_without_retry_after;
        }
        if (r.status == 0) ++no_answer;
        if (r.status == 409) ++in_flight_409;
        std::this_thread::sleep_for(100ms);  // Retry-After is 1-2 s; a ledger retries sooner
      } else {
        ++unexpected;
        e.end = Entry::End::kOther;
      }
      e.final_status = r.status;
    }
    std::lock_guard lock(mu);
    ledger.push_back(std::move(e));
  };
  // /readyz, every 25 ms.
  std::vector<std::pair<Clock::time_point, int>> ready;
  std::atomic<bool> stop{false};
  std::thread prober([&] {
    while (!stop.load()) {
      int s = 0;
      try {
        HttpClient c(port_, "127.0.0.1", false, 2000);
        s = c.request("GET", "/readyz").status;
      } catch (const std::exception&) {
      }
      {
        std::lock_guard lock(mu);
        ready.emplace_back(Clock::now(), s);
      }
      std::this_thread::sleep_for(25ms);
    }
  });
  WriteLedger writers(4, create);

  // --- faults: PostgreSQL restarted, then mtpd killed with kill -9 and started again
  std::this_thread::sleep_for(2s);
  const auto pg_restart_at = Clock::now();
  const long long pg_restart_ms = writers.nowMs();
  int rc = 0;
  shell("bash '" + (sourceDir() / "scripts" / "pg.sh").string() + "' restart '" + pg_dir_ + "' 2>&1", &rc);
  EXPECT_EQ(rc, 0) << "pg.sh restart";
  const auto pg_back_at = Clock::now();
  std::this_thread::sleep_for(3s);
  const auto kill_at = Clock::now();
  const long long kill_ms = writers.nowMs();
  mtpd_.reset();  // SIGKILL, reaped
  mtpd_ = startMtpd();
  ASSERT_TRUE(listening(*mtpd_)) << mtpd_->output();
  const auto mtpd_back_at = Clock::now();
  std::this_thread::sleep_for(3s);
  writers.stop();
  stop = true;
  prober.join();
  const long long end_ms = writers.nowMs();

  // --- what the database holds
  std::map<std::string, std::vector<std::string>> ids_by_name;
  for (const auto& row : pqRows(db_, "SELECT name, id FROM organizations")) ids_by_name[row[0]].push_back(row[1]);
  std::map<std::string, int> create_events;
  for (const auto& row : pqRows(db_, "SELECT resource_id, COUNT(*) FROM activity WHERE event_type = "
                                     "'organization_create' GROUP BY resource_id")) {
    create_events[row[0]] = std::stoi(row[1]);
  }
  int acknowledged = 0, applied_answer_lost = 0, refused = 0, lost = 0, ambiguous = 0,
      ambiguous_present = 0, refused_present = 0, duplicated = 0, events_wrong = 0;
  for (const auto& e : ledger) {
    const auto it = ids_by_name.find(e.name);
    const std::size_t present = it == ids_by_name.end() ? 0 : it->second.size();
    if (present > 1) ++duplicated;
    if (it != ids_by_name.end()) {
      for (const auto& id : it->second) events_wrong += create_events[id] != 1;
    }
    switch (e.end) {
      case Entry::End::kAcknowledged:
      case Entry::End::kAppliedAnswerLost:
        (e.end == Entry::End::kAcknowledged ? acknowledged : applied_answer_lost)++;
        if (present == 0) ++lost;
        break;
      case Entry::End::kRefused:
        ++refused;
        if (present != 0) ++refused_present;
        break;
      case Entry::End::kNone:
      case Entry::End::kOther:
        ++ambiguous;
        if (present != 0) ++ambiguous_present;
        break;
    }
  }
  // The outage each fault caused, as the writers saw it (WriteLedger::window).
  const long long pg_outage = writers.window(pg_restart_ms, kill_ms).outage_ms;
  const long long kill_outage = writers.window(kill_ms, end_ms + 1).outage_ms;
  int ready_down_pg = 0, ok_after_pg = 0;
  for (const auto& [at, s] : ready) ready_down_pg += at >= pg_restart_at && at < kill_at && s != 200;
  const long long pg_back_ms = pg_restart_ms + std::chrono::duration_cast<std::chrono::milliseconds>(pg_back_at - pg_restart_at).count();
  for (const auto& r : writers.requests()) ok_after_pg += r.start_ms > pg_back_ms && r.start_ms < kill_ms && r.ok();

  std::printf(
      "ledger: requests %d, creates %zu, acknowledged %d (+%d applied, answer lost), refused %d, "
      "lost %d, ambiguous %d (%d present), duplicated %d, events wrong %d, 503 %d (%d without "
      "Retry-After), no answer %d, 409 in flight %d, unexpected %d; outage ms: PostgreSQL restart "
      "%lld (pg_ctl %lld ms), mtpd kill -9 %lld (restart to listening %lld ms); /readyz not ready "
      "%d times during the PostgreSQL restart\n",
      static_cast<int>(writers.requests().size()), ledger.size(), acknowledged, applied_answer_lost, refused, lost, ambiguous,
      ambiguous_present, duplicated, events_wrong, unavailable.load(), unavailable_without_retry_after.load(),
      no_answer.load(), in_flight_409.load(), unexpected.load(), pg_outage,
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(pg_back_at - pg_restart_at).count()),
      kill_outage,
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(mtpd_back_at - kill_at).count()),
      ready_down_pg);

  EXPECT_GT(acknowledged, 0);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(refused_present, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(events_wrong, 0);
  EXPECT_EQ(ambiguous, 0);
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(unavailable_without_retry_after.load(), 0);
  EXPECT_GT(ready_down_pg, 0) << "/readyz never showed the PostgreSQL restart";
  EXPECT_GT(ok_after_pg, 0) << "no write succeeded after the PostgreSQL restart before the kill";
}

}  // namespace
}  // namespace mtp::testing
