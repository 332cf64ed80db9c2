// Issue 16 item 1: the change listener keeps a replica's directory in step with changes it did
// not make. The fixture's mtpd is one replica; a second Store on the same database (SQLite file
// or PostgreSQL schema) is "another replica": its commits reach this replica's engine through
// the change feed alone (no refresh is called), one admin or org at a time, a provider by a
// full reload; a rolled-back write announces nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <thread>

#include "main/change_listener.h"
#include "service_fixture.h"
#include "store/change_feed.h"

namespace mtp::testing {
namespace {

using namespace std::chrono_literals;

bool within(const std::function<bool()>& done, std::chrono::milliseconds limit = 1000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

class ChangeListenerTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    store::StoreOptions so;
    so.url = databaseUrl();
    so.pool_size = 1;
    auto st = store::openStore(so);
    ASSERT_TRUE(st.has_value());
    other_ = std::move(*st);
    auto feed = store::openChangeFeed(databaseUrl());
    ASSERT_TRUE(feed.has_value());
    listener_ = service::ChangeListener::start(std::move(*feed), app());
    ASSERT_TRUE(listener_->waitSynced(5000ms));
  }
  void TearDown() override {
    if (listener_) listener_->stop();
    listener_.reset();
    other_.reset();
    ServiceTest::TearDown();
  }
  std::shared_ptr<const engine::Snapshot> snap() { return app().authorizer().current(); }
  std::unique_ptr<store::Store> other_;
  std::unique_ptr<service::ChangeListener> listener_;
};

TEST_P(ChangeListenerTest, ChangesOfAnotherWriterAreAppliedOneByOne) {
  EXPECT_EQ(listener_->fullReloads(), 1u);  // the first connection's
  // A provider: a full reload.
  const std::string pid = "pcl" + std::to_string(::getpid());
  auto made = other_->transact([&](store::Tx& tx) {
    return tx.createProvider(model::TenantScope{pid}, model::ProviderRecord{pid, "Listener MSP", false, 0, 0});
  });
  ASSERT_TRUE(made.has_value()) << made.error().message;
  ASSERT_TRUE(within([&] { return listener_->fullReloads() == 2u; }));
  const auto orgs = snap()->orgCount();
  const auto admins = snap()->adminCount();

  // An org, then an admin granted it: incremental, no full reload.
  const model::TenantScope scope{pid};
  model::OrganizationRecord o;
  o.provider_id = pid;
  o.name = "Listened org";
  o.tags = {"blue"};
  auto org = other_->transact([&](store::Tx& tx) { return tx.createOrganization(scope, o); });
  ASSERT_TRUE(org.has_value());
  ASSERT_TRUE(within([&] { return snap()->orgCount() == orgs + 1; })) << "the org never arrived";
  model::AdminRecord a;
  a.provider_id = pid;
  a.email = "listened@msp.example";
  a.role_name = "manager";
  a.status = model::AdminStatus::kActive;
  auto admin = other_->transact([&](store::Tx& tx) -> Result<std::string> {
    auto id = tx.createAdmin(scope, a, std::nullopt);
    if (!id) return id;
    auto g = tx.putGrant(scope, model::GrantRecord{*id, *org, "", std::nullopt, 0});
    if (!g) return fail(g.error());
    return id;
  });
  ASSERT_TRUE(admin.has_value());
  ASSERT_TRUE(within([&] { return snap()->adminCount() == admins + 1; })) << "the admin never arrived";
  engine::RequestContext ctx;
  ctx.time = now();
  ASSERT_TRUE(within([&] {
    auto s = snap();
    auto reach = s->orgsFor(*admin, engine::findAction("orgs.read").value_or(0), ctx);
    return reach.organizations.size() == 1;
  })) << "the grant never arrived";
  EXPECT_EQ(listener_->fullReloads(), 2u);
  EXPECT_GE(listener_->incrementalUpdates(), 2u);

  // Suspended by the other writer: no org left in reach here.
  auto suspended = other_->transact([&](store::Tx& tx) -> Result<void> {
    auto rec = tx.getAdmin(scope, *admin);
    if (!rec) return fail(rec.error());
    rec->status = model::AdminStatus::kSuspended;
    return tx.updateAdmin(scope, *rec);
  });
  ASSERT_TRUE(suspended.has_value()) << suspended.error().message;
  EXPECT_TRUE(within([&] {
    auto s = snap();
    auto reach = s->orgsFor(*admin, engine::findAction("orgs.read").value_or(0), ctx);
    return !reach.all && reach.organizations.empty();
  })) << "the suspension never arrived";

  // Org deleted: gone here too (and from the admin's grants).
  ASSERT_TRUE(other_->transact([&](store::Tx& tx) { return tx.deleteOrganization(scope, *org); }).has_value());
  EXPECT_TRUE(within([&] { return snap()->orgCount() == orgs; }));
  EXPECT_EQ(listener_->fullReloads(), 2u);
}

TEST_P(ChangeListenerTest, ARolledBackWriteAnnouncesNothing) {
  const auto seen = listener_->changesSeen();
  const model::TenantScope scope{"nobody"};
  auto r = other_->transact([&](store::Tx& tx) -> Result<void> {
    model::ProviderRecord p{"rolledback", "Rolled back", false, 0, 0};
    auto made = tx.createProvider(model::TenantScope{"rolledback"}, p);
    if (!made) return made;
    return fail(Status::conflict("roll it back"));
  });
  ASSERT_FALSE(r.has_value());
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(listener_->changesSeen(), seen);
  EXPECT_EQ(listener_->fullReloads(), 1u);
}

// SQLite: a change_log row gone before it was read (the log is trimmed to its last 10,000 rows)
// is a gap: the listener reloads in full instead of going on from a partial picture.
TEST_P(ChangeListenerTest, AMissedChangeLogRowIsAGapAndReloadsInFull) {
  if (postgres()) GTEST_SKIP() << "PostgreSQL has no change_log (a lost connection is its gap)";
  auto p = createProvider("Gap MSP");
  auto a = createAdmin(p, SeedAdmin{.role = "admin"});
  ASSERT_TRUE(within([&] { return listener_->fullReloads() >= 2u; }));  // the provider
  std::this_thread::sleep_for(300ms);
  const auto reloads = listener_->fullReloads();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(databaseUrl().substr(7).c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  const std::string touch = "UPDATE admins SET role_name = role_name WHERE id = '" + a.id + "';";
  // Two changes in one transaction, the first one's row trimmed before anyone read it.
  const std::string sql = "BEGIN;" + touch +
                          "DELETE FROM change_log WHERE seq = (SELECT MAX(seq) FROM change_log);" + touch +
                          "COMMIT;";
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
  EXPECT_TRUE(within([&] { return listener_->fullReloads() == reloads + 1; })) << "the gap was not noticed";
  // The listener counts the reload, then marks itself synced: wait for both.
  EXPECT_TRUE(within([&] { return listener_->synced(); }));
}

MTP_SERVICE_BACKENDS(ChangeListenerTest);

}  // namespace
}  // namespace mtp::testing
