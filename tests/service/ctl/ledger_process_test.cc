// Issue 11, the ledger test: concurrent writers through a real mtpd on a private PostgreSQL
// (scripts/pg.sh start: it never touches the shared test server) while PostgreSQL is restarted
// and while mtpd is killed with kill -9 and started again. Every request and its answers are
// written down (the ledger); afterwards the database must hold every acknowledged create
// exactly once, nothing refused with a 4xx, no duplicate from a retry with the same
// Idempotency-Key, exactly one activity event per created org; every 503 carried Retry-After;
// mtpd recovered from the PostgreSQL restart by itself and /readyz showed the outage. The
// figures (requests, acknowledged, lost, ambiguous, outage ms) are printed for the issue.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
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
#include "http_client.h"

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

// mtpd as a child process, its output collected.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
    reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) break;
        std::lock_guard lock(mu_);
        out_.append(buf, static_cast<std::size_t>(n));
      }
    });
  }
  ~Child() { kill9(); }
  void kill9() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (reader_.joinable()) reader_.join();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::string output() const {
    std::lock_guard lock(mu_);
    return out_;
  }
  std::string waitFor(const std::string& re, std::chrono::milliseconds timeout = 30s) {
    const std::regex rx(re);
    for (auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(20ms)) {
      std::smatch m;
      const std::string o = output();
      if (std::regex_search(o, m, rx)) return m.size() > 1 ? m[1].str() : m[0].str();
    }
    return "";
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  mutable std::mutex mu_;
  std::string out_;
  std::thread reader_;
};

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

// Rows of a query through libpq (every column as text).
std::vector<std::vector<std::string>> pqRows(const std::string& url, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) {
        std::vector<std::string> row;
        for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
        out.push_back(std::move(row));
      }
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

// One create in the ledger: every answer it got, and how it ended.
struct Entry {
  std::string name, key;
  bool valid = true;        // an invalid one (negative cap) must be refused with 400
  int attempts = 0;
  enum class End { kNone, kAcknowledged, kAppliedAnswerLost, kRefused, kOther } end = End::kNone;
  int final_status = 0;
};

struct Sample {
  Clock::time_point at;
  bool ok;
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
  std::unique_ptr<Child> startMtpd() {
    auto c = std::make_unique<Child>(std::vector<std::string>{
        MTP_MTPD_BIN, "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port_), "--policies",
        (sourceDir() / "policies" / "builtin").string(), "--jwt-key-file", (dir_ / "jwt.key").string(),
        "--threads", "3", "--web", "none", "--no-rate-limits", "--usage-interval", "0",
        "--idempotency-lease-seconds", "2"});
    return c;
  }
  bool listening(Child& c) { return !c.waitFor(R"(mtpd listening on http://127\.0\.0\.1:(\d+))").empty(); }

  std::string db_, pg_dir_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Child> mtpd_;
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

  // --- the ledger
  std::mutex mu;
  std::vector<Entry> ledger;
  std::vector<Sample> samples;  // every answer: 2xx/definitive or not
  std::atomic<int> requests{0}, unavailable{0}, unavailable_without_retry_after{0}, no_answer{0},
      in_flight_409{0}, unexpected{0};
  std::atomic<bool> stop{false};
  const auto hard_end = Clock::now() + 75s;
  auto writer = [&](int w) {
    for (int i = 0; !stop.load(); ++i) {
      Entry e;
      e.name = "ledger-" + std::to_string(w) + "-" + std::to_string(i);
      e.key = "key-" + e.name;
      e.valid = i % 10 != 7;
      nlohmann::json body{{"name", e.name}};
      if (!e.valid) body["maxSystemUsers"] = -1;
      const std::string req = body.dump();
      while (e.end == Entry::End::kNone && Clock::now() < hard_end) {
        ++e.attempts;
        ++requests;
        mtp::test::HttpResponse r;  // status 0: no answer (refused while mtpd restarts, cut, timed out)
        try {
          HttpClient c(port_, "127.0.0.1", false, 5000);
          r = c.json("POST", orgs, req, {{"Authorization", "Bearer " + token}, {"Idempotency-Key", e.key}});
        } catch (const std::exception&) {
        }
        const bool good = r.status >= 200 && r.status < 300;
        {
          std::lock_guard lock(mu);
          samples.push_back({Clock::now(), good});
        }
        if (good) {
          e.end = Entry::End::kAcknowledged;
        } else if (r.status == 400 || r.status == 422) {
          e.end = Entry::End::kRefused;
        } else if (r.status == 409 && r.body.find("answer was lost") != std::string::npos) {
          e.end = Entry::End::kAppliedAnswerLost;
        } else if (r.status == 503 || r.status == 0 || r.status == 409) {
          if (r.status == 503) {
            ++unavailable;
            if (r.header("retry-after").empty()) ++unavailable_without_retry_after;
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
    }
  };
  // /readyz, every 25 ms.
  std::vector<std::pair<Clock::time_point, int>> ready;
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
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) writers.emplace_back(writer, w);

  // --- faults: PostgreSQL restarted, then mtpd killed with kill -9 and started again
  std::this_thread::sleep_for(2s);
  const auto pg_restart_at = Clock::now();
  int rc = 0;
  shell("bash '" + (sourceDir() / "scripts" / "pg.sh").string() + "' restart '" + pg_dir_ + "' 2>&1", &rc);
  EXPECT_EQ(rc, 0) << "pg.sh restart";
  const auto pg_back_at = Clock::now();
  std::this_thread::sleep_for(3s);
  const auto kill_at = Clock::now();
  mtpd_->kill9();
  mtpd_ = startMtpd();
  ASSERT_TRUE(listening(*mtpd_)) << mtpd_->output();
  const auto mtpd_back_at = Clock::now();
  std::this_thread::sleep_for(3s);
  stop = true;
  for (auto& t : writers) t.join();
  prober.join();

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
  // The outage each fault caused, as the writers saw it: from the first failed answer after
  // the fault to the first success after the last failure of that window.
  auto outageMs = [&](Clock::time_point from, Clock::time_point to) -> long long {
    std::optional<Clock::time_point> first_fail, last_fail, back;
    for (const auto& s : samples) {
      if (s.at < from || s.at > to) continue;
      if (!s.ok) {
        if (!first_fail) first_fail = s.at;
        last_fail = s.at;
        back.reset();
      } else if (last_fail && !back) {
        back = s.at;
      }
    }
    if (!first_fail || !back) return first_fail ? -1 : 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*back - *first_fail).count();
  };
  const long long pg_outage = outageMs(pg_restart_at, kill_at);
  const long long kill_outage = outageMs(kill_at, Clock::now());
  int ready_down_pg = 0, ok_after_pg = 0;
  for (const auto& [at, s] : ready) ready_down_pg += at >= pg_restart_at && at < kill_at && s != 200;
  for (const auto& s : samples) ok_after_pg += s.at > pg_back_at && s.at < kill_at && s.ok;

  std::printf(
      "ledger: requests %d, creates %zu, acknowledged %d (+%d applied, answer lost), refused %d, "
      "lost %d, ambiguous %d (%d present), duplicated %d, events wrong %d, 503 %d (%d without "
      "Retry-After), no answer %d, 409 in flight %d, unexpected %d; outage ms: PostgreSQL restart "
      "%lld (pg_ctl %lld ms), mtpd kill -9 %lld (restart to listening %lld ms); /readyz not ready "
      "%d times during the PostgreSQL restart\n",
      requests.load(), ledger.size(), acknowledged, applied_answer_lost, refused, lost, ambiguous,
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
