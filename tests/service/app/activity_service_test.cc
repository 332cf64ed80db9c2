// app::ActivityService on a real SQLite store, without HTTP (issue 9 item 5): the filters,
// newest first, search_after paging that neither skips nor repeats an event, what a reader
// of some orgs may see, and another provider's events never in the answer.
#include "app/activity_service.h"

#include <gtest/gtest.h>

#include <set>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class ActivityServiceTest : public AppTest {
 protected:
  void append(const std::string& type, std::int64_t at, const std::string& org = {},
              const std::string& by = {}, const std::string& provider = "p1") {
    model::ActivityRecord e;
    e.provider_id = provider;
    e.timestamp = at;
    e.event_type = type;
    e.initiated_by_id = by;
    e.initiated_by_type = "admin";
    e.organization = org;
    e.resource_type = "organization";
    e.resource_id = org;
    auto id = store_->transact(
        [&](store::Tx& tx) { return tx.appendActivity(store::TenantScope{provider}, e); });
    ASSERT_TRUE(id) << id.error().message;
  }
  ActivityPage page(const model::ActivityQuery& q) {
    ActivityService svc(*app_);
    auto p = svc.list(actorOf(owner_id_), q);
    EXPECT_TRUE(p) << p.error().message;
    return p.value_or(ActivityPage{});
  }
};

TEST_F(ActivityServiceTest, FiltersAndNewestFirst) {
  const std::int64_t t = now_;
  append("organization_create", t - 300, "o1", "alice");
  append("organization_update", t - 200, "o1", "bob");
  append("organization_update", t - 100, "o2", "alice");
  append("provider_update", t - 50, "", "alice");

  model::ActivityQuery all;
  auto p = page(all);
  ASSERT_EQ(p.events.size(), 4u);
  EXPECT_EQ(p.events[0].event_type, "provider_update");
  EXPECT_EQ(p.events[3].event_type, "organization_create");
  EXPECT_TRUE(p.search_after.empty()) << "one page";

  model::ActivityQuery q;
  q.event_type = "organization_update";
  EXPECT_EQ(page(q).events.size(), 2u);
  q.initiated_by = "alice";
  ASSERT_EQ(page(q).events.size(), 1u);
  EXPECT_EQ(page(q).events[0].organization, "o2");

  model::ActivityQuery window;
  window.start_time = t - 200;  // inclusive
  window.end_time = t - 50;     // exclusive
  auto w = page(window);
  ASSERT_EQ(w.events.size(), 2u);
  EXPECT_EQ(w.events[0].timestamp, t - 100);
  EXPECT_EQ(w.events[1].timestamp, t - 200);

  model::ActivityQuery org;
  org.organization = "o1";
  EXPECT_EQ(page(org).events.size(), 2u);
}

TEST_F(ActivityServiceTest, PagesFollowTheCursorWithoutGapsOrRepeats) {
  // Several events in the same second: the id breaks the tie.
  for (int i = 0; i < 7; ++i) append("organization_update", now_ - (i / 3), "o1");
  ActivityService svc(*app_);
  model::ActivityQuery q;
  q.limit = 3;
  std::set<std::string> seen;
  int pages = 0;
  std::int64_t last_ts = INT64_MAX;
  for (;;) {
    auto p = svc.list(actorOf(owner_id_), q);
    ASSERT_TRUE(p) << p.error().message;
    ++pages;
    for (const auto& e : p->events) {
      EXPECT_TRUE(seen.insert(e.id).second) << "repeated " << e.id;
      EXPECT_LE(e.timestamp, last_ts);
      last_ts = e.timestamp;
    }
    if (p->search_after.empty()) break;
    auto cursor = parseActivityCursor(p->search_after);
    ASSERT_TRUE(cursor);
    q.after_timestamp = cursor->first;
    q.after_id = cursor->second;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);

  q.limit = 0;
  EXPECT_TRUE(failsWith(svc.list(actorOf(owner_id_), q), "invalid_argument"));
  q.limit = kActivityExportLimit + 1;
  EXPECT_TRUE(failsWith(svc.list(actorOf(owner_id_), q), "invalid_argument"));
  EXPECT_FALSE(parseActivityCursor("not-a-cursor"));
  EXPECT_FALSE(parseActivityCursor("12.id;drop"));
}

TEST_F(ActivityServiceTest, AReaderOfSomeOrgsSeesOnlyTheirEvents) {
  append("organization_update", now_ - 30, "o1");
  append("organization_update", now_ - 20, "o2");
  append("provider_update", now_ - 10);
  model::ActivityQuery q;
  q.reach = model::OrgReach::only({"o2"});
  q.provider_level = false;
  auto p = page(q);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0].organization, "o2");
  q.provider_level = true;
  auto with_provider = page(q);
  ASSERT_EQ(with_provider.events.size(), 2u);
  EXPECT_EQ(with_provider.events[0].event_type, "provider_update");
  q.reach = model::OrgReach::only({});
  q.provider_level = false;
  EXPECT_TRUE(page(q).events.empty());
}

TEST_F(ActivityServiceTest, AnotherProvidersEventsAreNeverListed) {
  addProvider("p2", "owner2@example.com");
  append("organization_update", now_ - 20, "o1", "alice");
  append("organization_update", now_ - 10, "o1", "alice", "p2");
  append("provider_update", now_ - 5, "", "alice", "p2");
  model::ActivityQuery q;
  auto mine = page(q);
  ASSERT_EQ(mine.events.size(), 1u);
  EXPECT_EQ(mine.events[0].provider_id, "p1");
  q.organization = "o1";
  q.initiated_by = "alice";
  EXPECT_EQ(page(q).events.size(), 1u);
  const std::string csv = activityCsv(mine.events);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2) << "a header and one row";
  EXPECT_EQ(csvCell("=1+1"), "'=1+1");
  EXPECT_EQ(csvCell("a,\"b\""), "\"a,\"\"b\"\"\"");
}

}  // namespace
}  // namespace mtp::app::testing
