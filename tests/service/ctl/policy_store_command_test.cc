// `mtpctl policy push|versions|rollback` (issue 16 item 2) on both backends, against the
// fixture's migrated database: a folder that does not compile is refused with exactly the
// diagnostics of `mtpctl policy check` and exit 1, and nothing is stored; a good one becomes a
// new active version holding the folder's files and the engine's hash; versions lists them
// newest first; rollback moves the active pointer back (an unknown version: exit 1).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "mtp/engine/policy_set.h"
#include "service_fixture.h"
#include "store/store.h"

namespace mtp::testing {
namespace {

#ifdef MTP_MTPCTL_BIN

namespace fs = std::filesystem;

struct Ran {
  int code = -1;
  std::string out;
};

// stdout and stderr together when `err`, stdout only otherwise.
Ran run(const std::string& args, bool err = false) {
  Ran r;
  FILE* p = ::popen((std::string(MTP_MTPCTL_BIN) + " " + args + (err ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

fs::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : fs::current_path();
}

class PolicyStoreCommandTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions&) override {
    static int n = 0;
    dir_ = fs::temp_directory_path() / ("mtp_policy_push_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bad");
    fs::create_directories(dir_ / "freeze" / "extra");
    fs::copy_file(sourceDir() / "policies" / "builtin" / "roles.yaml", dir_ / "freeze" / "roles.yaml");
    std::ofstream(dir_ / "freeze" / "extra" / "freeze.yaml") << "policies:\n"
                                                         "  - id: no-org-reads-in-freeze\n"
                                                         "    effect: forbid\n"
                                                         "    actions: [orgs.read]\n"
                                                         "    when: org.tags contains \"change-freeze\"\n";
    fs::copy_file(sourceDir() / "policies" / "builtin" / "roles.yaml", dir_ / "bad" / "roles.yaml");
    fs::create_directories(dir_ / "narrow");  // compiles, but has no help_desk role
    std::ofstream(dir_ / "narrow" / "roles.yaml") << "roles:\n"
                                                    "  - id: admin_billing\n"
                                                    "    title: Administrator with Billing\n"
                                                    "    grants: [\"*\"]\n";
    std::ofstream(dir_ / "bad" / "broken.yaml") << "policies:\n"
                                                  "  - id: broken\n"
                                                  "    effect: forbid\n"
                                                  "    actions: [no.such_action]\n";
  }
  void TearDown() override {
    ServiceTest::TearDown();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string db() const { return " --db '" + databaseUrl() + "'"; }
  fs::path dir_;
};

TEST_P(PolicyStoreCommandTest, PushIsRefusedWhenTheFolderDoesNotCompile) {
  const Ran check = run("policy check '" + (dir_ / "bad").string() + "'", true);
  ASSERT_EQ(check.code, 1) << check.out;
  const Ran push = run("policy push" + db() + " '" + (dir_ / "bad").string() + "'", true);
  EXPECT_EQ(push.code, 1) << push.out;
  EXPECT_EQ(push.out, check.out);  // the same diagnostics, word for word
  EXPECT_NE(push.out.find("no.such_action"), std::string::npos) << push.out;
  const Ran versions = run("policy versions" + db());
  EXPECT_EQ(versions.code, 0);
  EXPECT_EQ(versions.out, "");
  auto active = app().store().query([](store::Tx& tx) { return tx.getActivePolicy(); });
  ASSERT_TRUE(active.has_value());
  EXPECT_FALSE(active->has_value());
  // A missing folder, a bad database URL.
  EXPECT_EQ(run("policy push" + db() + " '" + (dir_ / "none").string() + "'").code, 1);
  EXPECT_EQ(run("policy push --db 'nosuch:x' '" + (dir_ / "freeze").string() + "'").code, 2);
}

TEST_P(PolicyStoreCommandTest, PushVersionsAndRollback) {
  const std::string builtin = (sourceDir() / "policies" / "builtin").string();
  const Ran v1 = run("policy push --by alice" + db() + " '" + builtin + "'");
  ASSERT_EQ(v1.code, 0) << v1.out;
  EXPECT_EQ(v1.out.rfind("version 1 active", 0), 0u) << v1.out;
  const Ran v2 = run("policy push --by bob" + db() + " '" + (dir_ / "freeze").string() + "'");
  ASSERT_EQ(v2.code, 0) << v2.out;
  EXPECT_EQ(v2.out.rfind("version 2 active", 0), 0u) << v2.out;

  // The active version holds the folder's files (paths relative to it) and the engine's hash.
  auto freeze_set = engine::PolicySet::load(dir_ / "freeze");
  ASSERT_TRUE(freeze_set.has_value());
  auto active = app().store().query([](store::Tx& tx) { return tx.getActivePolicy(); });
  ASSERT_TRUE(active.has_value() && active->has_value());
  EXPECT_EQ((*active)->version, 2);
  EXPECT_EQ((*active)->created_by, "bob");
  EXPECT_EQ((*active)->content_hash, std::string((*freeze_set)->version()));
  ASSERT_EQ((*active)->files.size(), 2u);
  EXPECT_EQ((*active)->files[0].path, "extra/freeze.yaml");
  EXPECT_EQ((*active)->files[1].path, "roles.yaml");
  std::vector<engine::PolicySource> sources;
  for (const auto& f : (*active)->files) sources.push_back({f.path, f.text});
  auto again = engine::PolicySet::compile(sources);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)->version(), (*freeze_set)->version());

  Ran list = run("policy versions" + db());
  ASSERT_EQ(list.code, 0);
  auto builtin_set = engine::PolicySet::load(builtin);
  ASSERT_TRUE(builtin_set.has_value());
  const std::string h1((*builtin_set)->version()), h2((*freeze_set)->version());
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (auto nl = s.find('\n'); nl != std::string::npos; at = nl + 1, nl = s.find('\n', at)) out.push_back(s.substr(at, nl - at));
    return out;
  };
  auto l = lines(list.out);
  ASSERT_EQ(l.size(), 2u) << list.out;
  EXPECT_EQ(l[0].rfind("2\t", 0), 0u);
  EXPECT_NE(l[0].find("\tbob\t" + h2 + "\tactive"), std::string::npos) << l[0];
  EXPECT_EQ(l[1].rfind("1\t", 0), 0u);
  EXPECT_NE(l[1].find("\talice\t" + h1), std::string::npos) << l[1];
  EXPECT_EQ(l[1].find("active"), std::string::npos) << l[1];

  // Rollback moves the pointer: no new version.
  const Ran back = run("policy rollback --by carol" + db() + " 1");
  ASSERT_EQ(back.code, 0) << back.out;
  l = lines(run("policy versions" + db()).out);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].find("active"), std::string::npos) << l[0];
  EXPECT_NE(l[1].find("\tactive"), std::string::npos) << l[1];
  auto now_active = app().store().query([](store::Tx& tx) { return tx.activePolicyVersion(); });
  ASSERT_TRUE(now_active.has_value());
  EXPECT_EQ(now_active->value_or(0), 1);

  // An unknown version is refused and changes nothing; a malformed one is bad input.
  EXPECT_EQ(run("policy rollback" + db() + " 9").code, 1);
  EXPECT_EQ(run("policy rollback" + db() + " zero").code, 2);
  now_active = app().store().query([](store::Tx& tx) { return tx.activePolicyVersion(); });
  EXPECT_EQ(now_active->value_or(0), 1);
  // The next push is number 3 (rolled-back numbers are never reused).
  const Ran v3 = run("policy push" + db() + " '" + (dir_ / "freeze").string() + "'");
  EXPECT_EQ(v3.out.rfind("version 3 active", 0), 0u) << v3.out;
}

TEST_P(PolicyStoreCommandTest, AVersionLackingARoleAnAdminHoldsIsRefusedUnlessForced) {
  // The check each replica makes before a version goes live (a version that fails it would
  // stay out of force there, and a replica started on it would refuse to start).
  const std::string narrow = (dir_ / "narrow").string();
  ASSERT_EQ(run("policy check '" + narrow + "'").code, 0);
  const std::string builtin = (sourceDir() / "policies" / "builtin").string();
  ASSERT_EQ(run("policy push" + db() + " '" + builtin + "'").code, 0);  // v1
  const std::string p = createProvider("MSP");
  createAdmin(p, SeedAdmin{.role = "help_desk"});
  refresh();

  const Ran refused = run("policy push" + db() + " '" + narrow + "'", true);
  EXPECT_EQ(refused.code, 1) << refused.out;
  EXPECT_NE(refused.out.find("help_desk"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("--force"), std::string::npos) << refused.out;
  auto active = [&] {
    auto v = app().store().query([](store::Tx& tx) { return tx.activePolicyVersion(); });
    return v.has_value() ? v->value_or(0) : -1;
  };
  EXPECT_EQ(active(), 1);  // nothing stored

  const Ran forced = run("policy push --force" + db() + " '" + narrow + "'", true);
  EXPECT_EQ(forced.code, 0) << forced.out;
  EXPECT_NE(forced.out.find("warning"), std::string::npos) << forced.out;
  EXPECT_EQ(active(), 2);

  // Rolling back to that version is refused the same way; the pointer does not move.
  ASSERT_EQ(run("policy push" + db() + " '" + builtin + "'").code, 0);  // v3
  const Ran back = run("policy rollback" + db() + " 2", true);
  EXPECT_EQ(back.code, 1) << back.out;
  EXPECT_NE(back.out.find("help_desk"), std::string::npos) << back.out;
  EXPECT_EQ(active(), 3);
  EXPECT_EQ(run("policy rollback --force" + db() + " 2").code, 0);
  EXPECT_EQ(active(), 2);
  EXPECT_EQ(run("policy rollback" + db() + " 1").code, 0);  // back to one that fits
  EXPECT_EQ(active(), 1);
}

MTP_SERVICE_BACKENDS(PolicyStoreCommandTest);

#endif  // MTP_MTPCTL_BIN

}  // namespace
}  // namespace mtp::testing
