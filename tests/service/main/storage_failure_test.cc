// Issue 11 item 5: storage failures are states, not bugs. On SQLite, a database file that
// cannot be written (made immutable with `chattr +i`, which stops root too and reaches the
// descriptors mtpd already holds) answers writes 503 unavailable with Retry-After and a clear
// message, /readyz answers 503 until a write commits again, and mtpd refuses to start on it.
// As a normal user, `chmod a-w` stops a new open (the start-up refusal); the running case
// needs chattr (root) and is skipped otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

namespace fs = std::filesystem;

class StorageFailureTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override { options_ = o; }
  void TearDown() override {
    for (const auto& f : frozen_) thaw(f);
    ServiceTest::TearDown();
  }
  std::string file() const { return databaseUrl().substr(std::string("sqlite:").size()); }
  // Makes `f` unwritable; false when this machine cannot.
  bool freeze(const std::string& f, bool need_open_descriptors) {
    if (::geteuid() == 0) {
      if (std::system(("chattr +i '" + f + "' 2>/dev/null").c_str()) != 0) return false;
    } else {
      if (need_open_descriptors) return false;
      fs::permissions(f, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                      fs::perm_options::remove);
    }
    frozen_.push_back(f);
    return true;
  }
  void thaw(const std::string& f) {
    if (::geteuid() == 0) (void)std::system(("chattr -i '" + f + "' 2>/dev/null").c_str());
    else fs::permissions(f, fs::perms::owner_write, fs::perm_options::add);
    std::erase(frozen_, f);
  }
  service::MtpdOptions options_;
  std::vector<std::string> frozen_;
};

TEST_P(StorageFailureTest, AnUnwritableDatabaseAnswers503AndIsNotReady) {
  if (postgres()) GTEST_SKIP() << "SQLite files: PostgreSQL's 53100/25006 are mapped by their SQLSTATE";
  auto p = createProvider("MSP");
  auto owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  const std::string orgs = "/api/v2/providers/" + p + "/organizations";
  ASSERT_EQ(call("POST", orgs, owner.token, R"({"name":"Before"})").status, 201);
  ASSERT_EQ(call("GET", "/readyz").status, 200);
  if (!freeze(file(), true)) GTEST_SKIP() << "chattr +i is not available here (needs root)";
  ASSERT_TRUE(freeze(file() + "-wal", true));

  auto r = call("POST", orgs, owner.token, R"({"name":"During"})");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(body(r)["error"]["code"], "unavailable");
  const std::string message = body(r)["error"]["message"];
  EXPECT_NE(message.find("database"), std::string::npos) << message;
  r = call("GET", "/readyz");
  EXPECT_EQ(r.status, 503) << r.body;

  thaw(file() + "-wal");
  thaw(file());
  r = call("GET", "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;  // the probe write committed
  EXPECT_EQ(call("POST", orgs, owner.token, R"({"name":"After"})").status, 201);
}

TEST_P(StorageFailureTest, MtpdRefusesToStartOnADatabaseItCannotWrite) {
  if (postgres()) GTEST_SKIP() << "SQLite files";
  // Everything in the main file: a new process finds no WAL to write to.
  mtpd().stop();
  if (!freeze(file(), false)) GTEST_SKIP() << "cannot make the file unwritable here";
  for (const char* side : {"-wal", "-shm"}) {
    if (fs::exists(file() + side)) (void)freeze(file() + side, false);
  }
  auto o = options_;
  auto second = service::Mtpd::start(o);
  ASSERT_FALSE(second.has_value()) << "started on a read-only database";
  EXPECT_NE(second.error().find("database"), std::string::npos) << second.error();
}

MTP_SERVICE_BACKENDS(StorageFailureTest);

}  // namespace
}  // namespace mtp::testing
