// The policy test runner (mtp/engine/policy_test.h) on temporary policy folders: passing and
// failing cases, failures located at file:line, broken test files, no test files.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "mtp/engine/policy_test.h"
#include "test_support.h"

namespace mtp::engine {
namespace {

namespace fs = std::filesystem;
using testing::joinDiagnostics;

// A fresh folder holding the shipped built-in roles; removed at the end of the test.
class PolicyTestRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("mtp_runner_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "builtin");
    write("builtin/roles.yaml", testing::builtinRoles().text);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& rel, const std::string& text) {
    const fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
  }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }

  fs::path dir_;
};

const char* const kDirectory =
    "directory:\n"                                                                     // 1
    "  providers:\n"                                                                   // 2
    "    - id: msp1\n"                                                                 // 3
    "      organizations: [{id: o1}]\n"                                                // 4
    "  admins:\n"                                                                      // 5
    "    - {id: hd, provider: msp1, roleName: help_desk, allOrganizations: true}\n"    // 6
    "    - {id: ab, provider: msp1, roleName: admin_billing, allOrganizations: true}\n"  // 7
    "cases:\n";                                                                        // 8

const char* const kPassingCases =
    "  - name: help desk unlocks\n"                                                            // 9
    "    request: {admin: hd, action: users.unlock, organization: o1, mfa: true}\n"            // 10
    "    expect: {allowed: true, reason: allowed, decidedBy: help_desk}\n"                     // 11
    "  - name: help desk may not delete\n"                                                     // 12
    "    request: {admin: hd, action: users.delete, organization: o1}\n"                       // 13
    "    expect: {allowed: false, reason: role_lacks_action, decidedBy: help_desk}\n"          // 14
    "  - request: {admin: ghost, action: users.read, organization: o1}\n"                      // 15
    "    expect: {reason: unknown_admin}\n";                                                   // 16

TEST_F(PolicyTestRunner, PassingCases) {
  write("roles_test.yaml", std::string(kDirectory) + kPassingCases);
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_TRUE(r.errors.empty()) << joinDiagnostics(r.errors);
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(r.passed, 3);
  EXPECT_TRUE(r.ok());
}

TEST_F(PolicyTestRunner, FailingCasesAreLocated) {
  write("team/roles_test.yaml",
        std::string(kDirectory) +
            "  - name: wrong reason\n"                                                        // 9
            "    request: {admin: hd, action: users.delete, organization: o1}\n"              // 10
            "    expect: {reason: allowed}\n"                                                 // 11
            "  - name: right\n"                                                               // 12
            "    request: {admin: hd, action: users.read, organization: o1}\n"                // 13
            "    expect: {allowed: true, reason: allowed, decidedBy: help_desk}\n"            // 14
            "  - name: wrong decider\n"                                                       // 15
            "    request: {admin: ab, action: billing.read}\n"                                // 16
            "    expect: {allowed: true, reason: allowed, decidedBy: admin}\n"                // 17
            "  - name: wrong allowed\n"                                                       // 18
            "    request: {admin: ab, action: billing.read}\n"                                // 19
            "    expect: {allowed: false, reason: allowed}\n");                               // 20
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_TRUE(r.errors.empty()) << joinDiagnostics(r.errors);
  EXPECT_EQ(r.total, 4);
  EXPECT_EQ(r.passed, 1);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.failures.size(), 3u);

  EXPECT_EQ(r.failures[0].file, path("team/roles_test.yaml"));
  EXPECT_EQ(r.failures[0].line, 9);
  EXPECT_EQ(r.failures[0].name, "wrong reason");
  EXPECT_NE(r.failures[0].message.find("role_lacks_action"), std::string::npos)
      << r.failures[0].message;
  EXPECT_NE(r.failures[0].message.find("allowed"), std::string::npos) << r.failures[0].message;

  EXPECT_EQ(r.failures[1].line, 15);
  EXPECT_EQ(r.failures[1].name, "wrong decider");
  EXPECT_NE(r.failures[1].message.find("admin_billing"), std::string::npos)
      << r.failures[1].message;

  EXPECT_EQ(r.failures[2].line, 18);
  EXPECT_NE(r.failures[2].message.find("want false"), std::string::npos) << r.failures[2].message;
}

TEST_F(PolicyTestRunner, CaseWithoutNameIsNamedByItsLine) {
  write("x_test.yaml", std::string(kDirectory) +
                           "  - request: {admin: hd, action: users.delete, organization: o1}\n"
                           "    expect: {reason: allowed}\n");
  const PolicyTestReport r = runPolicyTests(dir_);
  ASSERT_EQ(r.failures.size(), 1u) << joinDiagnostics(r.errors);
  EXPECT_EQ(r.failures[0].line, 9);
  EXPECT_NE(r.failures[0].name.find("9"), std::string::npos) << r.failures[0].name;
}

TEST_F(PolicyTestRunner, RunsEveryTestFileBelowTheFolder) {
  write("a_test.yaml", std::string(kDirectory) + kPassingCases);
  write("nested/deeper/b_test.yml", std::string(kDirectory) + kPassingCases);
  write("not_a_test.yaml.bak", "garbage: [");
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_TRUE(r.errors.empty()) << joinDiagnostics(r.errors);
  EXPECT_EQ(r.total, 6);
  EXPECT_EQ(r.passed, 6);
  EXPECT_TRUE(r.ok());
}

TEST_F(PolicyTestRunner, CustomPoliciesOfTheFolderApply) {
  write("no_shutdown.yaml",
        "policies:\n"
        "  - id: never-shutdown\n"
        "    effect: forbid\n"
        "    actions: [devices.shutdown]\n");
  write("no_shutdown_test.yaml",
        std::string(kDirectory) +
            "  - name: shutdown is forbidden\n"
            "    request: {admin: ab, action: devices.shutdown, organization: o1, mfa: true}\n"
            "    expect: {allowed: false, reason: forbidden_by_policy, decidedBy: never-shutdown}\n");
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_TRUE(r.errors.empty()) << joinDiagnostics(r.errors);
  EXPECT_EQ(r.passed, 1);
  EXPECT_TRUE(r.ok());
}

TEST_F(PolicyTestRunner, ExplicitTimeDecidesGrantExpiry) {
  write("jit_test.yaml",
        "directory:\n"
        "  providers: [{id: p, organizations: [{id: o1}]}]\n"
        "  admins:\n"
        "    - {id: a, provider: p, roleName: manager,\n"
        "       organizations: [{id: o1, expiresAt: \"2026-06-01T00:00:00Z\"}]}\n"
        "cases:\n"
        "  - request: {admin: a, action: users.read, organization: o1, time: \"2026-05-01T00:00:00Z\"}\n"
        "    expect: {allowed: true, reason: allowed, decidedBy: manager}\n"
        "  - request: {admin: a, action: users.read, organization: o1, time: \"2026-07-01T00:00:00Z\"}\n"
        "    expect: {allowed: false, reason: grant_expired}\n");
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_TRUE(r.errors.empty()) << joinDiagnostics(r.errors);
  EXPECT_EQ(r.passed, 2);
  EXPECT_TRUE(r.ok());
}

TEST_F(PolicyTestRunner, NoTestFilesIsNotOk) {
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.total, 0);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].code, "no_tests");
}

TEST_F(PolicyTestRunner, MissingFolderIsNotOk) {
  const PolicyTestReport r = runPolicyTests(dir_ / "does-not-exist");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.errors.empty());
}

TEST_F(PolicyTestRunner, BrokenPolicyFileIsAnError) {
  write("bad.yaml",
        "policies:\n"
        "  - id: bad\n"
        "    effect: forbid\n"
        "    actions: [users.frobnicate]\n");
  write("x_test.yaml", std::string(kDirectory) + kPassingCases);
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].file, path("bad.yaml"));
  EXPECT_EQ(r.errors[0].line, 4);
  EXPECT_EQ(r.passed, 0);
}

// Each broken test file: an error located in that file, nothing passes from it, never a crash.
struct BadFile {
  const char* what;
  std::string text;
  const char* code;  // expected diagnostic code; nullptr: any
  int line;          // expected line; 0: any
};

class BrokenTestFile : public PolicyTestRunner, public ::testing::WithParamInterface<BadFile> {};

TEST_P(BrokenTestFile, IsAnError) {
  const BadFile& b = GetParam();
  write("broken_test.yaml", b.text);
  PolicyTestReport r;
  ASSERT_NO_THROW(r = runPolicyTests(dir_));
  EXPECT_FALSE(r.ok()) << b.what;
  ASSERT_FALSE(r.errors.empty()) << b.what;
  EXPECT_EQ(r.passed, 0) << b.what;
  bool found = false;
  for (const auto& d : r.errors)
    found = found || (d.file == path("broken_test.yaml") && (!b.code || d.code == b.code) &&
                      (b.line == 0 || d.line == b.line));
  EXPECT_TRUE(found) << b.what << "\n" << joinDiagnostics(r.errors);
}

const std::string kDir = kDirectory;
INSTANTIATE_TEST_SUITE_P(
    Runner, BrokenTestFile,
    ::testing::Values(
        BadFile{"syntax error", kDir + "  - name: [unclosed\n", "syntax_error", 0},
        BadFile{"empty file", "", "missing_key", 0},
        BadFile{"no cases", "directory: {}\n", "missing_key", 0},
        BadFile{"cases not a list", "directory: {}\ncases: {a: 1}\n", "missing_key", 0},
        BadFile{"unknown top-level key", kDir + kPassingCases + "extra: 1\n", "unknown_key", 17},
        BadFile{"unknown key in a case",
                kDir + "  - name: x\n    request: {admin: hd, action: home.read}\n"
                       "    expect: {reason: allowed}\n    because: reasons\n",
                "unknown_key", 12},
        BadFile{"case without expect",
                kDir + "  - name: x\n    request: {admin: hd, action: home.read}\n", "missing_key",
                9},
        BadFile{"case without request", kDir + "  - name: x\n    expect: {reason: allowed}\n",
                "missing_key", 9},
        BadFile{"expect without reason",
                kDir + "  - request: {admin: hd, action: home.read}\n    expect: {allowed: true}\n",
                "missing_key", 10},
        BadFile{"allowed is not a boolean",
                kDir + "  - request: {admin: hd, action: home.read}\n"
                       "    expect: {reason: allowed, allowed: flase}\n",
                "type_mismatch", 10},
        BadFile{"unknown reason code",
                kDir + "  - request: {admin: hd, action: home.read}\n    expect: {reason: nope}\n",
                "bad_value", 10},
        BadFile{"unknown key in expect",
                kDir + "  - request: {admin: hd, action: home.read}\n"
                       "    expect: {reason: allowed, by: help_desk}\n",
                "unknown_key", 10},
        BadFile{"unknown key in the request",
                kDir + "  - request: {admin: hd, action: home.read, user: x}\n"
                       "    expect: {reason: allowed}\n",
                "unknown_key", 9},
        BadFile{"bad request value",
                kDir + "  - request: {admin: hd, action: home.read, clientIp: nope}\n"
                       "    expect: {reason: allowed}\n",
                "bad_value", 9},
        BadFile{"bad request time",
                kDir + "  - request: {admin: hd, action: home.read, time: yesterday}\n"
                       "    expect: {reason: allowed}\n",
                "bad_time", 9},
        BadFile{"bad directory",
                "directory:\n  admins: [{id: a, provider: p, roleName: admin, status: gone}]\n"
                "cases:\n  - request: {admin: a, action: home.read}\n    expect: {reason: allowed}\n",
                "bad_value", 2},
        BadFile{"directory the engine rejects (unknown role)",
                "directory:\n  providers: [{id: p}]\n"
                "  admins: [{id: a, provider: p, roleName: superuser}]\n"
                "cases:\n  - request: {admin: a, action: home.read}\n    expect: {reason: allowed}\n",
                "bad_directory", 2},
        BadFile{"a case that is not a map", kDir + "  - just a string\n", "missing_key", 9},
        BadFile{"binary", std::string("\x00\xff\xfe\x01garbage", 11), nullptr, 0},
        BadFile{"a list at the top", "- a\n- b\n", "missing_key", 0}));

TEST_F(PolicyTestRunner, ABrokenFileDoesNotHideTheOthersResults) {
  write("a_test.yaml", std::string(kDirectory) + kPassingCases);
  write("b_test.yaml", "cases: [");
  const PolicyTestReport r = runPolicyTests(dir_);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.errors.empty());
  EXPECT_EQ(r.total, 3);
}

}  // namespace
}  // namespace mtp::engine
