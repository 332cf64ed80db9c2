// app::AccessReviewService on a real SQLite store, without HTTP (issue 9 item 5): each admin's
// reach per org as the engine decides it (all-organizations, a grant, an expired grant with no
// action), "last used" from the events the admin initiated there, certifications with their
// event, and remove-unused taking only the grants unused for N days; another provider's
// admins out of reach.
#include "app/access_review_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr std::int64_t kDay = 86400;

class AccessReviewTest : public AppTest {
 protected:
  const ReviewAdmin* find(const AccessReview& r, const std::string& id) {
    for (const auto& a : r.admins) {
      if (a.admin.id == id) return &a;
    }
    return nullptr;
  }
  static const ReviewOrgAccess* orgIn(const ReviewAdmin& a, const std::string& org) {
    for (const auto& o : a.organizations) {
      if (o.org_id == org) return &o;
    }
    return nullptr;
  }
  // An event `admin` initiated in `org` at `at` (what "last used" reads).
  void usedAt(const std::string& admin, const std::string& org, std::int64_t at) {
    model::ActivityRecord e = activityEvent(actorOf(admin), "organization_launch", "organization", org, {}, org);
    e.timestamp = at;
    ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.appendActivity(scope_, e); }));
  }
  std::vector<model::GrantRecord> grantsOf(const std::string& org) {
    auto g = store_->query([&](store::Tx& tx) { return tx.listOrganizationGrants(scope_, org); });
    EXPECT_TRUE(g) << g.error().message;
    return g.value_or(std::vector<model::GrantRecord>{});
  }
};

TEST_F(AccessReviewTest, EachAdminsReachAsTheEngineDecidesIt) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  const std::string narrow = addAdmin("narrow@example.com", "help_desk", false, {acme});
  // An expired grant on globex, with its own role.
  model::GrantRecord expired{narrow, globex, "read_only", now_ - kDay, now_ - 10 * kDay};
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.putGrant(scope_, expired); }));
  ASSERT_TRUE(app_->refreshDirectory());
  usedAt(narrow, acme, now_ - 3 * kDay);

  AccessReviewService svc(*app_);
  auto authz = authorizationOf(owner_id_);
  auto review = svc.review(actorOf(owner_id_), *authz);
  ASSERT_TRUE(review) << review.error().message;
  EXPECT_EQ(review->provider_id, "p1");
  ASSERT_EQ(review->admins.size(), 2u);

  const ReviewAdmin* owner = find(*review, owner_id_);
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->organizations.size(), 2u);
  for (const auto& o : owner->organizations) {
    EXPECT_EQ(o.reach, "allOrganizations");
    EXPECT_FALSE(o.actions.empty());
  }
  EXPECT_FALSE(owner->provider_actions.empty());

  const ReviewAdmin* n = find(*review, narrow);
  ASSERT_NE(n, nullptr);
  const ReviewOrgAccess* a = orgIn(*n, acme);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->reach, "grant");
  EXPECT_EQ(a->role, "help_desk");
  EXPECT_EQ(a->role_source, "default");
  EXPECT_TRUE(a->has_grant);
  EXPECT_FALSE(a->actions.empty());
  EXPECT_EQ(a->last_used_at, now_ - 3 * kDay);
  const ReviewOrgAccess* g = orgIn(*n, globex);
  ASSERT_NE(g, nullptr) << "an expired grant is listed";
  EXPECT_TRUE(g->grant_expired);
  EXPECT_TRUE(g->actions.empty()) << "with no action";
  EXPECT_EQ(g->role_source, "perOrg");
  EXPECT_FALSE(g->last_used_at);
  // A help desk admin has fewer org actions than the owner.
  EXPECT_LT(a->actions.size(), orgIn(*owner, acme)->actions.size());
}

TEST_F(AccessReviewTest, ACertificationIsRecordedWithItsEvent) {
  const std::string helper = addAdmin("helper@example.com", "help_desk", true);
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  AccessReviewService svc(*app_);
  EXPECT_TRUE(failsWith(svc.certify(actorOf(owner_id_), helper, std::string(kMaxCertificationNote + 1, 'n')),
                        "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.certify(actorOf(owner_id_), other_owner, "theirs"), "not_found"));
  EXPECT_TRUE(failsWith(svc.certify(actorOf(owner_id_), "", "none"), "invalid_argument"));
  EXPECT_TRUE(events("access_review_certify").empty());
  EXPECT_TRUE(events("", "p2").empty());

  auto c = svc.certify(actorOf(owner_id_), helper, "quarterly review");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->certified_by_id, owner_id_);
  EXPECT_EQ(c->certified_by_email, "owner@example.com");
  auto ev = events("access_review_certify");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, helper);
  EXPECT_NE(ev[0].changes_json.find("quarterly review"), std::string::npos);

  auto authz = authorizationOf(owner_id_);
  auto review = svc.review(actorOf(owner_id_), *authz);
  ASSERT_TRUE(review);
  const ReviewAdmin* h = find(*review, helper);
  ASSERT_NE(h, nullptr);
  ASSERT_TRUE(h->certification);
  EXPECT_EQ(h->certification->note, "quarterly review");
  EXPECT_EQ(find(*review, other_owner), nullptr) << "p2's admins are not in p1's review";
}

TEST_F(AccessReviewTest, RemoveUnusedTakesOnlyGrantsUnusedForNDays) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  const std::string initech = addOrg("Initech");
  const std::string narrow = addAdmin("narrow@example.com", "help_desk", false, {acme, globex});
  const std::string fresh_admin = addAdmin("fresh@example.com", "help_desk", false);
  now_ += 100 * kDay;  // the grants above are 100 days old now
  model::GrantRecord fresh{fresh_admin, initech, "", std::nullopt, now_ - kDay};
  ASSERT_TRUE(store_->transact([&](store::Tx& tx) { return tx.putGrant(scope_, fresh); }));
  ASSERT_TRUE(app_->refreshDirectory());
  usedAt(narrow, acme, now_ - 5 * kDay);

  AccessReviewService svc(*app_);
  auto authz = authorizationOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.removeUnused(actorOf(owner_id_), 0, {}, *authz), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.removeUnused(actorOf(owner_id_), kMaxUnusedDays + 1, {}, *authz), "invalid_argument"));

  auto out = svc.removeUnused(actorOf(owner_id_), 30, {narrow, fresh_admin, "no-such-admin"}, *authz);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->size(), 2u);
  const auto missing = std::find_if(out->begin(), out->end(), [](const RemovalOutcome& r) {
    return r.admin_id == "no-such-admin";
  });
  ASSERT_NE(missing, out->end());
  EXPECT_TRUE(failsWith(missing->error, "not_found"));
  const auto removed = std::find_if(out->begin(), out->end(), [&](const RemovalOutcome& r) {
    return r.admin_id == narrow;
  });
  ASSERT_NE(removed, out->end());
  EXPECT_EQ(removed->org_id, globex);
  EXPECT_FALSE(removed->error) << removed->error->message;

  EXPECT_EQ(grantsOf(acme).size(), 1u) << "used 5 days ago: kept";
  EXPECT_TRUE(grantsOf(globex).empty()) << "unused for 100 days: removed";
  EXPECT_EQ(grantsOf(initech).size(), 1u) << "granted yesterday: kept";
  auto ev = events("admin_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, narrow);

  // An admin without admin management removes nothing.
  const std::string helper = addAdmin("helper@example.com", "help_desk", true);
  auto helper_authz = authorizationOf(helper);
  auto refused = svc.removeUnused(actorOf(helper), 1, {fresh_admin}, *helper_authz);
  ASSERT_TRUE(refused) << refused.error().message;
  ASSERT_EQ(refused->size(), 1u) << "the day-old grant is due, and answered per item";
  EXPECT_TRUE(failsWith((*refused)[0].error, "permission_denied"));
  EXPECT_EQ(grantsOf(initech).size(), 1u);
}

}  // namespace
}  // namespace mtp::app::testing
