// Activity retention (issue 16 item 1) on both backends: events older than the retention go,
// younger ones stay, the months ahead are partitions (PostgreSQL), rows of a new month leave the
// default partition, and paging by search_after still walks every event across partitions.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <ctime>
#include <set>

#include "../store/store_backends.h"
#include "app/activity_retention.h"
#include "store/store.h"

namespace mtp::app {
namespace {

using store::test_db::Backends;
using store::test_db::BackendNames;

constexpr std::int64_t kDay = 86400;

// One number from PostgreSQL (outside the store): -1 when the query fails.
long long pgScalar(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  long long out = -1;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) out = std::stoll(PQgetvalue(r, 0, 0));
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

std::string monthTable(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "activity_p%04d%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

template <class B>
class ActivityRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!backend_.available(&why)) GTEST_SKIP() << why;
    store::StoreOptions o;
    o.url = backend_.url();
    o.pool_size = 2;
    auto s = store::openStore(o);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto v = store_->migrate();
    ASSERT_TRUE(v) << v.error().message;
    auto r = store_->transact([&](store::Tx& tx) {
      return tx.createProvider(scope_, store::ProviderRecord{.id = "", .name = "Retention"});
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  std::string append(std::int64_t at, const std::string& type = "test.event") {
    auto id = store_->transact([&](store::Tx& tx) {
      store::ActivityRecord a;
      a.timestamp = at;
      a.event_type = type;
      return tx.appendActivity(scope_, a);
    });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : "";
  }

  std::vector<store::ActivityRecord> list(store::ActivityQuery q) {
    auto r = store_->query([&](store::Tx& tx) { return tx.listActivity(scope_, q); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<store::ActivityRecord>{};
  }

  std::set<std::string> ids() {
    std::set<std::string> out;
    for (const auto& a : list({.limit = 10000})) out.insert(a.id);
    return out;
  }

  ActivityRetentionPass pass(std::int64_t now, ActivityRetentionOptions o) {
    auto p = maintainActivity(*store_, now, o);
    EXPECT_TRUE(p) << p.error().message;
    return p ? *p : ActivityRetentionPass{};
  }

  long long pg(const std::string& sql) { return pgScalar(backend_.url(), sql); }

  B backend_;
  std::unique_ptr<store::Store> store_;
  store::TenantScope scope_{"p" + store::test_db::uniqueName()};
  const std::int64_t now_ = static_cast<std::int64_t>(std::time(nullptr));
};

TYPED_TEST_SUITE(ActivityRetentionTest, Backends, BackendNames);

TYPED_TEST(ActivityRetentionTest, OlderThanTheRetentionGoYoungerStay) {
  const std::int64_t now = this->now_;
  // The months of the oldest events exist as partitions (a pass run back then made them).
  this->pass(now - 200 * kDay, {.retention_days = 0, .months_ahead = 8});
  const std::string old1 = this->append(now - 200 * kDay);
  const std::string old2 = this->append(now - 120 * kDay);
  const std::string old3 = this->append(now - 90 * kDay - 60);
  const std::string young1 = this->append(now - 90 * kDay + 60);
  const std::string young2 = this->append(now - 30 * kDay);
  const std::string young3 = this->append(now);
  ASSERT_EQ(this->ids().size(), 6U);

  const ActivityRetentionPass p = this->pass(now, {.retention_days = 90});
  EXPECT_EQ(this->ids(), (std::set<std::string>{young1, young2, young3}));
  if constexpr (TypeParam::kPostgres) {
    // Whole months older than the cutoff were dropped, the rest deleted row by row.
    EXPECT_FALSE(p.partitions_dropped.empty());
    EXPECT_EQ(this->pg("SELECT count(*) FROM pg_class WHERE relname = '" + monthTable(now - 200 * kDay) +
                       "' AND relnamespace = to_regnamespace(current_schema())"),
              0);
    EXPECT_LE(p.events_deleted, 2);
  } else {
    EXPECT_TRUE(p.partitions_dropped.empty());
    EXPECT_EQ(p.events_deleted, 3);
  }
  EXPECT_NE(describe(p), "");
  // A second pass finds nothing to do.
  const ActivityRetentionPass again = this->pass(now, {.retention_days = 90});
  EXPECT_TRUE(again.partitions_created.empty());
  EXPECT_TRUE(again.partitions_dropped.empty());
  EXPECT_EQ(again.events_deleted, 0);
  EXPECT_EQ(describe(again), "");
}

TYPED_TEST(ActivityRetentionTest, ZeroKeepsEverything) {
  const std::string old = this->append(this->now_ - 3000 * kDay);
  const std::string young = this->append(this->now_);
  const ActivityRetentionPass p = this->pass(this->now_, {.retention_days = 0});
  EXPECT_TRUE(p.partitions_dropped.empty());
  EXPECT_EQ(p.events_deleted, 0);
  EXPECT_EQ(this->ids(), (std::set<std::string>{old, young}));
}

TYPED_TEST(ActivityRetentionTest, DeletesInBatchesAcrossPasses) {
  for (int i = 0; i < 5; ++i) this->append(this->now_ - (100 + i) * kDay);
  const std::string young = this->append(this->now_ - kDay);
  ActivityRetentionOptions o{.retention_days = 90, .batch = 2, .max_batches = 1};
  ActivityRetentionPass p = this->pass(this->now_, o);
  // PostgreSQL on a fresh database: the old events sit in the default partition (no month of
  // theirs was ever made), so they are deleted in batches there too.
  EXPECT_EQ(p.events_deleted, 2);
  EXPECT_TRUE(p.more);
  EXPECT_NE(describe(p).find("more left"), std::string::npos);
  p = this->pass(this->now_, o);
  EXPECT_EQ(p.events_deleted, 2);
  p = this->pass(this->now_, o);
  EXPECT_EQ(p.events_deleted, 1);
  EXPECT_FALSE(p.more);
  EXPECT_EQ(this->ids(), (std::set<std::string>{young}));
}

TYPED_TEST(ActivityRetentionTest, MakesTheMonthsAheadAndMovesTheirRowsOutOfTheDefault) {
  if constexpr (!TypeParam::kPostgres) GTEST_SKIP() << "SQLite has no partitions";
  const std::int64_t later = this->now_ + 200 * kDay;  // beyond the months the migration made
  const std::string early = this->append(later);
  ASSERT_EQ(this->pg("SELECT count(*) FROM activity_default"), 1);
  const ActivityRetentionPass p = this->pass(later, {.retention_days = 0, .months_ahead = 2});
  ASSERT_EQ(p.partitions_created.size(), 3U);
  EXPECT_EQ(p.partitions_created.front(), monthTable(later));
  for (const std::string& t : p.partitions_created) {
    EXPECT_EQ(this->pg("SELECT count(*) FROM pg_inherits WHERE inhrelid = to_regclass('" + t +
                       "') AND inhparent = to_regclass('activity')"),
              1)
        << t;
  }
  EXPECT_EQ(this->pg("SELECT count(*) FROM activity_default"), 0);
  EXPECT_EQ(this->pg("SELECT count(*) FROM " + monthTable(later)), 1);
  EXPECT_EQ(this->ids(), (std::set<std::string>{early}));
  // An event of a month made ahead lands in its partition; a new pass makes nothing.
  this->append(later + 40 * kDay);
  EXPECT_EQ(this->pg("SELECT count(*) FROM activity_default"), 0);
  EXPECT_TRUE(this->pass(later, {.retention_days = 0, .months_ahead = 2}).partitions_created.empty());
  // The primary key holds the partition key; the paging index is on every partition.
  EXPECT_EQ(this->pg("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = to_regclass('activity')"), 1);
  EXPECT_EQ(this->pg("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" +
                     monthTable(later) + "'"),
            6);
}

TYPED_TEST(ActivityRetentionTest, PagingWalksEveryEventAcrossPartitions) {
  const std::int64_t now = this->now_;
  this->pass(now - 80 * kDay, {.retention_days = 0, .months_ahead = 4});
  std::set<std::string> all;
  for (int i = 0; i < 9; ++i) all.insert(this->append(now - i * 10 * kDay));
  all.insert(this->append(now - 40 * kDay));  // the same second as another event
  ASSERT_EQ(all.size(), 10U);
  if constexpr (TypeParam::kPostgres) {
    EXPECT_GE(this->pg("SELECT count(DISTINCT tableoid) FROM activity"), 3);
  }
  std::vector<store::ActivityRecord> walked;
  store::ActivityQuery q{.limit = 3};
  for (int page = 0; page < 10; ++page) {
    auto rows = this->list(q);
    walked.insert(walked.end(), rows.begin(), rows.end());
    if (rows.size() < 3) break;
    q.after_timestamp = rows.back().timestamp;
    q.after_id = rows.back().id;
  }
  ASSERT_EQ(walked.size(), 10U);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < walked.size(); ++i) {
    seen.insert(walked[i].id);
    if (i > 0) {
      const auto& a = walked[i - 1];
      const auto& b = walked[i];
      EXPECT_TRUE(a.timestamp > b.timestamp || (a.timestamp == b.timestamp && a.id > b.id)) << i;
    }
  }
  EXPECT_EQ(seen, all);
  // A time window inside one month still answers.
  EXPECT_EQ(this->list({.start_time = now - 15 * kDay, .end_time = now + 1, .limit = 100}).size(), 2U);
}

}  // namespace
}  // namespace mtp::app
