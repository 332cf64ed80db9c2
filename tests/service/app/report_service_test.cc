// app::ReportService and the report job on a real SQLite store, without HTTP (issue 9 item 5):
// a request validated and recorded with its event, built by the job with the rows of the orgs
// resolved at request time only, readable only by a reader whose reach covers them, purged
// after kReportDays, and never holding another provider's rows.
#include "app/report_service.h"

#include <gtest/gtest.h>

#include "app/user_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr std::int64_t kDay = 86400;

class ReportServiceTest : public AppTest {
 protected:
  void user(const std::string& org, const std::string& name, const std::string& provider = "p1",
            const std::string& admin = "") {
    UserService svc(*app_);
    UserCreate in;
    in.username = name;
    in.activated = true;
    auto u = svc.create(actorOf(admin.empty() ? owner_id_ : admin, provider), org, in);
    ASSERT_TRUE(u) << u.error().message;
  }
  static ReportReader readerOf(const std::string& kind, model::OrgReach reach) {
    ReportReader r;
    r.kinds.push_back({kind, std::move(reach)});
    return r;
  }
  static ReportRequest usersCsv() { return ReportRequest{"users", "csv", "", std::nullopt, std::nullopt}; }
};

TEST_F(ReportServiceTest, BadRequestsAreRefusedAndNothingRecorded) {
  const std::string org = addOrg("Acme");
  ReportService svc(*app_);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.request(me, ReportRequest{"secrets", "csv", "", {}, {}}, {org}), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.request(me, ReportRequest{"users", "xlsx", "", {}, {}}, {org}), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.request(me, ReportRequest{"activity", "csv", "", now_ - kDay, std::nullopt}, {org}),
                        "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.request(me, ReportRequest{"activity", "csv", "", now_.load(), now_ - kDay}, {org}),
                        "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.request(me, ReportRequest{"users", "csv", "", now_ - kDay, now_.load()}, {org}),
                        "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.request(me, usersCsv(), {}), "not_found")) << "no org in reach";
  auto all = svc.list(me, readerOf("users", model::OrgReach::everything()), 10, 0);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total_count, 0);
  EXPECT_TRUE(events("report_requested").empty());
}

TEST_F(ReportServiceTest, TheJobBuildsTheRequestedOrgsRowsOnly) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  user(acme, "alice");
  user(globex, "gina");
  ReportService svc(*app_);
  const Actor me = actorOf(owner_id_);
  auto r = svc.request(me, usersCsv(), {acme, acme});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->org_ids, std::vector<std::string>{acme}) << "unique";
  auto ev = events("report_requested");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, r->id);

  const ReportReader all = readerOf("users", model::OrgReach::everything());
  EXPECT_TRUE(failsWith(svc.file(me, all, r->id), "precondition_failed")) << "still pending";
  auto built = buildPendingReports(*store_, now_);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(*built, 1);
  auto ready = svc.get(me, all, r->id);
  ASSERT_TRUE(ready) << ready.error().message;
  EXPECT_EQ(ready->status, "ready");
  EXPECT_EQ(ready->row_count, 1);
  auto file = svc.file(me, all, r->id);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_NE(file->find("alice"), std::string::npos);
  EXPECT_EQ(file->find("gina"), std::string::npos) << "an org not requested";
  EXPECT_EQ(events("report_ready").size(), 1u);
  EXPECT_EQ(*buildPendingReports(*store_, now_), 0) << "built once";
}

TEST_F(ReportServiceTest, AReaderSeesAReportOnlyWhenItsReachCoversItsOrgs) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  ReportService svc(*app_);
  const Actor me = actorOf(owner_id_);
  auto both = svc.request(me, usersCsv(), {acme, globex});
  ASSERT_TRUE(both) << both.error().message;
  const ReportReader narrow = readerOf("users", model::OrgReach::only({acme}));
  EXPECT_TRUE(failsWith(svc.get(me, narrow, both->id), "not_found"));
  EXPECT_TRUE(failsWith(svc.file(me, narrow, both->id), "not_found"));
  auto listed = svc.list(me, narrow, 10, 0);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total_count, 0);
  const ReportReader wide = readerOf("users", model::OrgReach::only({acme, globex}));
  EXPECT_TRUE(svc.get(me, wide, both->id));
  EXPECT_TRUE(failsWith(svc.get(me, readerOf("devices", model::OrgReach::everything()), both->id), "not_found"))
      << "another kind's reach";

  // Kept kReportDays days.
  ASSERT_TRUE(buildPendingReports(*store_, now_));
  auto early = purgeOldReports(*store_, now_ + (kReportDays - 1) * kDay);
  ASSERT_TRUE(early);
  EXPECT_EQ(*early, 0);
  auto purged = purgeOldReports(*store_, now_ + (kReportDays + 1) * kDay);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_TRUE(failsWith(svc.get(me, wide, both->id), "not_found"));
}

TEST_F(ReportServiceTest, AnotherProvidersRowsAndReportsStayOut) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  const std::string ours = addOrg("Ours");
  user(theirs, "tom-of-p2", "p2", other_owner);
  user(ours, "olga");
  ReportService svc(*app_);
  const Actor me = actorOf(owner_id_);
  auto ids = svc.organizationIds(me);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, std::vector<std::string>{ours});
  auto their_report = svc.request(actorOf(other_owner, "p2"), usersCsv(), {theirs});
  ASSERT_TRUE(their_report) << their_report.error().message;
  const ReportReader all = readerOf("users", model::OrgReach::everything());
  EXPECT_TRUE(failsWith(svc.get(me, all, their_report->id), "not_found"));

  // Even an org id of p2 slipped into p1's request builds no row of p2.
  // (The handler resolves org ids from the engine, so this cannot come from a request; the
  // render is scoped to the report's provider all the same.)
  auto mine = svc.request(me, usersCsv(), {ours, theirs});
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_TRUE(buildPendingReports(*store_, now_));
  auto file = svc.file(me, all, mine->id);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_NE(file->find("olga"), std::string::npos);
  EXPECT_EQ(file->find("tom-of-p2"), std::string::npos);
  auto theirs_file = svc.file(actorOf(other_owner, "p2"), all, their_report->id);
  ASSERT_TRUE(theirs_file) << theirs_file.error().message;
  EXPECT_NE(theirs_file->find("tom-of-p2"), std::string::npos);
  EXPECT_EQ(theirs_file->find("olga"), std::string::npos);
  auto listed = svc.list(me, all, 10, 0);
  ASSERT_TRUE(listed);
  for (const auto& r : listed->results) EXPECT_NE(r.id, their_report->id);
}

}  // namespace
}  // namespace mtp::app::testing
