// mtpd's decision log writer (decisions/decision_log.h) on real files: lines written off the
// caller's thread, size-based rotation, files 0600, sampling of allowed decisions (denials
// always), the policy version on every line.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "decisions/decision_log.h"
#include "decisions/decision_record.h"

namespace mtp::decisions {
namespace {

namespace fs = std::filesystem;

class DecisionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / ("mtp_decision_log_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "decisions.log").string(); }
  // spdlog names rotated files before the extension: decisions.1.log, decisions.2.log, ...
  std::string rotated(int n) const { return (dir_ / ("decisions." + std::to_string(n) + ".log")).string(); }

  static std::vector<std::string> lines(const std::string& file) {
    std::vector<std::string> out;
    std::ifstream in(file);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  static unsigned mode(const std::string& file) {
    struct stat st {};
    EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
    return st.st_mode & 0777;
  }

  fs::path dir_;
};

engine::Request request(const std::string& admin) {
  engine::Request r;
  r.admin = admin;
  r.action = *engine::findAction("users.unlock");
  r.organization = "o1";
  r.provider = "p1";
  r.mfa = true;
  r.client_ip = engine::parseIpAddress("192.0.2.7");
  r.time = 1796594400;
  return r;
}

const engine::Decision kAllowed{true, engine::Reason::kAllowed, "help_desk"};
const engine::Decision kDenied{false, engine::Reason::kOrgNotGranted, "check:org_not_granted"};

TEST_F(DecisionLogTest, WritesOneParsableLinePerDecisionWithThePolicyVersion) {
  {
    auto log = DecisionLog::open(DecisionLogOptions{.path = path()});
    ASSERT_TRUE(log.has_value()) << log.error();
    (*log)->setPolicyVersion("00000000000000aa");
    const std::string admin = "a1";
    (*log)->write(request(admin), kAllowed, "d-1");
    (*log)->setPolicyVersion("00000000000000bb");
    (*log)->write(request(admin), kDenied, "d-2");
    EXPECT_EQ((*log)->written(), 2u);
  }  // the destructor writes out the queue
  const auto ls = lines(path());
  ASSERT_EQ(ls.size(), 2u);
  DecisionRecord rec;
  ASSERT_EQ(parseDecisionLine(ls[0], rec), std::nullopt) << ls[0];
  EXPECT_EQ(rec.id, "d-1");
  EXPECT_TRUE(rec.allowed);
  EXPECT_EQ(rec.decided_by, "help_desk");
  EXPECT_EQ(rec.policy_version, "00000000000000aa");
  EXPECT_EQ(rec.client_ip, "192.0.2.7");
  ASSERT_EQ(parseDecisionLine(ls[1], rec), std::nullopt) << ls[1];
  EXPECT_EQ(rec.id, "d-2");
  EXPECT_FALSE(rec.allowed);
  EXPECT_EQ(rec.reason, engine::Reason::kOrgNotGranted);
  EXPECT_EQ(rec.policy_version, "00000000000000bb");
}

TEST_F(DecisionLogTest, RotatesBySizeKeepingTheConfiguredFilesAllOwnerOnly) {
  ::umask(022);  // what a service usually runs with: files would be 0644 without care
  {
    auto log = DecisionLog::open(DecisionLogOptions{.path = path(), .max_bytes = 4096, .max_files = 2});
    ASSERT_TRUE(log.has_value()) << log.error();
    for (int i = 0; i < 300; ++i) (*log)->write(request("admin-" + std::to_string(i)), kDenied, "d-" + std::to_string(i));
  }
  ASSERT_TRUE(fs::exists(path()));
  ASSERT_TRUE(fs::exists(rotated(1))) << "rotated once at least";
  ASSERT_TRUE(fs::exists(rotated(2)));
  EXPECT_FALSE(fs::exists(rotated(3))) << "only max_files rotated files are kept";
  for (const std::string& f : {path(), rotated(1), rotated(2)}) {
    EXPECT_EQ(mode(f), 0600u) << f;
    EXPECT_LE(fs::file_size(f), 4096u) << f;
    DecisionRecord rec;
    for (const auto& l : lines(f)) EXPECT_EQ(parseDecisionLine(l, rec), std::nullopt) << f << ": " << l;
  }
  // The newest decisions are in the live file.
  const auto live = lines(path());
  ASSERT_FALSE(live.empty());
  EXPECT_NE(live.back().find("\"id\":\"d-299\""), std::string::npos) << live.back();
}

TEST_F(DecisionLogTest, AnExistingFileIsNarrowedToOwnerOnly) {
  { std::ofstream(path()) << ""; }
  ::chmod(path().c_str(), 0644);
  {
    auto log = DecisionLog::open(DecisionLogOptions{.path = path()});
    ASSERT_TRUE(log.has_value()) << log.error();
  }
  EXPECT_EQ(mode(path()), 0600u);
}

TEST_F(DecisionLogTest, SamplesAllowedDecisionsButWritesEveryDenial) {
  {
    auto log = DecisionLog::open(DecisionLogOptions{.path = path(), .sample = 0.25});
    ASSERT_TRUE(log.has_value()) << log.error();
    for (int i = 0; i < 4000; ++i) (*log)->write(request("a"), kAllowed, "allowed-" + std::to_string(i));
    for (int i = 0; i < 100; ++i) (*log)->write(request("a"), kDenied, "denied-" + std::to_string(i));
  }
  int allowed = 0, denied = 0;
  DecisionRecord rec;
  for (const auto& l : lines(path())) {
    ASSERT_EQ(parseDecisionLine(l, rec), std::nullopt) << l;
    (rec.allowed ? allowed : denied)++;
    if (rec.allowed) {
      EXPECT_TRUE(DecisionLog::sampled(rec.id, 0.25)) << rec.id;
    }
  }
  EXPECT_EQ(denied, 100);
  EXPECT_GT(allowed, 800);   // 1000 expected
  EXPECT_LT(allowed, 1200);
}

TEST_F(DecisionLogTest, SampleZeroWritesDenialsOnly) {
  {
    auto log = DecisionLog::open(DecisionLogOptions{.path = path(), .sample = 0.0});
    ASSERT_TRUE(log.has_value()) << log.error();
    for (int i = 0; i < 50; ++i) (*log)->write(request("a"), kAllowed, "x" + std::to_string(i));
    (*log)->write(request("a"), kDenied, "the-denial");
  }
  const auto ls = lines(path());
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_NE(ls[0].find("the-denial"), std::string::npos);
}

TEST_F(DecisionLogTest, RefusesBadOptions) {
  EXPECT_FALSE(DecisionLog::open(DecisionLogOptions{.path = ""}).has_value());
  EXPECT_FALSE(DecisionLog::open(DecisionLogOptions{.path = path(), .sample = 1.5}).has_value());
  EXPECT_FALSE(DecisionLog::open(DecisionLogOptions{.path = path(), .max_bytes = 10}).has_value());
  EXPECT_FALSE(DecisionLog::open(DecisionLogOptions{.path = path(), .max_files = 0}).has_value());
  { std::ofstream(path()) << ""; }  // a file where a folder should be
  EXPECT_FALSE(DecisionLog::open(DecisionLogOptions{.path = (dir_ / "decisions.log" / "x.log").string()}).has_value());
}

}  // namespace
}  // namespace mtp::decisions
