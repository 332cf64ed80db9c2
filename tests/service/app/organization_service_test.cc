// app::OrganizationService on a real SQLite store, without HTTP (issue 9 item 5): create with
// its event (and the narrow creator's grant) in one transaction, updates under If-Match that
// raise the org's version and write one event only on a change, the reach of a list, and
// another provider's orgs out of sight.
#include "app/organization_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class OrganizationServiceTest : public AppTest {
 protected:
  model::OrganizationRecord org(const std::string& id) {
    auto o = store_->query([&](store::Tx& tx) { return tx.getOrganization(scope_, id); });
    EXPECT_TRUE(o) << o.error().message;
    return o.value_or(model::OrganizationRecord{});
  }
};

TEST_F(OrganizationServiceTest, CreateWritesTheOrgItsEventAndTheNarrowCreatorsGrant) {
  const std::string acme = addOrg("Acme");
  const std::string narrow = addAdmin("narrow@example.com", "admin_billing", false, {acme});
  OrganizationService svc(*app_);
  OrgCreate in;
  in.name = "  Globex  ";
  in.max_system_users = 7;
  in.tags = {"west", "east", "west"};
  auto made = svc.create(actorOf(narrow), in);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->name, "Globex") << "trimmed";
  EXPECT_EQ(made->tags, (std::vector<std::string>{"east", "west"})) << "sorted, unique";
  EXPECT_EQ(made->max_system_users, 7);

  auto ev = events("organization_create");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, made->id);
  EXPECT_EQ(ev[0].organization, made->id);
  EXPECT_EQ(ev[0].initiated_by_id, narrow);
  EXPECT_EQ(ev[0].initiated_by_email, "narrow@example.com");
  EXPECT_NE(ev[0].changes_json.find("Globex"), std::string::npos);

  // The narrow creator reaches what they created (a grant in the same transaction); the
  // owner reaches it through allOrganizations.
  auto admins = svc.administrators(actorOf(owner_id_), made->id);
  ASSERT_TRUE(admins) << admins.error().message;
  std::vector<std::string> ids;
  for (const auto& a : *admins) ids.push_back(a.admin.id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), narrow), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), owner_id_), ids.end());

  // An all-organizations creator gets no grant: the org's grants are the narrow one's only.
  auto by_owner = svc.create(actorOf(owner_id_), OrgCreate{"Initech", std::nullopt, {}});
  ASSERT_TRUE(by_owner) << by_owner.error().message;
  auto grants = store_->query(
      [&](store::Tx& tx) { return tx.listOrganizationGrants(scope_, by_owner->id); });
  ASSERT_TRUE(grants);
  EXPECT_TRUE(grants->empty());
}

TEST_F(OrganizationServiceTest, InvalidInputIsRefusedAndNothingWritten) {
  OrganizationService svc(*app_);
  const auto before = events("").size();
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), OrgCreate{"   ", std::nullopt, {}}), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), OrgCreate{"A\nB", std::nullopt, {}}), "invalid_argument"));
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), OrgCreate{"Neg", -1, {}}), "invalid_argument"));
  std::vector<std::string> many;
  for (int i = 0; i < 51; ++i) many.push_back("t" + std::to_string(i));
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), OrgCreate{"Tags", std::nullopt, many}), "invalid_argument"));
  auto page = svc.list(actorOf(owner_id_), model::OrgReach::everything(), model::ListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);
  EXPECT_EQ(events("").size(), before);
}

TEST_F(OrganizationServiceTest, UpdateUnderIfMatchRaisesTheVersionAndWritesOneEvent) {
  const std::string acme = addOrg("Acme");
  OrganizationService svc(*app_);
  const std::int64_t v1 = org(acme).version;

  OrgChanges stale;
  stale.name = "Stale";
  EXPECT_TRUE(failsWith(svc.update(actorOf(owner_id_), acme, stale, ifMatch({v1 + 5})), "precondition_failed"));
  EXPECT_TRUE(failsWith(svc.update(actorOf(owner_id_), acme, stale, ifMatch({})), "precondition_failed"))
      << "only weak or malformed tags never match";
  EXPECT_EQ(org(acme).name, "Acme");
  EXPECT_TRUE(events("organization_update").empty());

  OrgChanges ch;
  ch.name = "Acme Corp";
  ch.remote_assist = true;
  ch.max_system_users = std::optional<std::int64_t>(3);
  auto up = svc.update(actorOf(owner_id_), acme, ch, ifMatch({v1 - 1, v1}));
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->name, "Acme Corp");
  EXPECT_TRUE(up->remote_assist);
  EXPECT_EQ(up->max_system_users, 3);
  EXPECT_GT(up->version, v1);
  auto ev = events("organization_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_NE(ev[0].changes_json.find("remoteAssist"), std::string::npos);
  EXPECT_NE(ev[0].changes_json.find("maxSystemUsers"), std::string::npos);

  // The version it had before no longer matches; the same values again: no write, no event.
  EXPECT_TRUE(failsWith(svc.update(actorOf(owner_id_), acme, stale, ifMatch({v1})), "precondition_failed"));
  auto same = svc.update(actorOf(owner_id_), acme, ch, ifMatch({up->version}));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->version, up->version);
  EXPECT_EQ(events("organization_update").size(), 1u);

  // {nullopt} lifts the cap.
  OrgChanges uncap;
  uncap.max_system_users = std::optional<std::int64_t>();
  auto lifted = svc.update(actorOf(owner_id_), acme, uncap);
  ASSERT_TRUE(lifted);
  EXPECT_FALSE(lifted->max_system_users);
}

TEST_F(OrganizationServiceTest, ListShowsOnlyTheReachedOrgs) {
  const std::string a = addOrg("Alpha");
  const std::string b = addOrg("Beta");
  addOrg("Gamma");
  OrganizationService svc(*app_);
  model::ListQuery q;
  q.sort.push_back({"name", false});
  auto all = svc.list(actorOf(owner_id_), model::OrgReach::everything(), q);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->total_count, 3);
  auto some = svc.list(actorOf(owner_id_), model::OrgReach::only({b, a}), q);
  ASSERT_TRUE(some) << some.error().message;
  ASSERT_EQ(some->total_count, 2);
  ASSERT_EQ(some->results.size(), 2u);
  EXPECT_EQ(some->results[0].id, a);
  EXPECT_EQ(some->results[1].id, b);
  auto none = svc.list(actorOf(owner_id_), model::OrgReach::only({}), q);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total_count, 0);
  EXPECT_TRUE(none->results.empty());
}

TEST_F(OrganizationServiceTest, RemoveAndLaunchWriteTheirEvents) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  OrganizationService svc(*app_);
  auto launched = svc.launch(actorOf(owner_id_), acme);
  ASSERT_TRUE(launched) << launched.error().message;
  EXPECT_FALSE(launched->token.empty());
  EXPECT_EQ(launched->organization.id, acme);
  EXPECT_EQ(events("organization_launch").size(), 1u);

  const std::int64_t v = org(globex).version;
  EXPECT_TRUE(failsWith(svc.remove(actorOf(owner_id_), globex, ifMatch({v + 1})), "precondition_failed"));
  EXPECT_TRUE(svc.get(actorOf(owner_id_), globex)) << "still there";
  ASSERT_TRUE(svc.remove(actorOf(owner_id_), globex, ifMatch({v})));
  EXPECT_TRUE(failsWith(svc.get(actorOf(owner_id_), globex), "not_found"));
  auto ev = events("organization_delete");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, globex);
  EXPECT_TRUE(failsWith(svc.remove(actorOf(owner_id_), globex), "not_found"));
}

TEST_F(OrganizationServiceTest, ALogoMustBeAnImageAndRaisesTheVersion) {
  const std::string acme = addOrg("Acme");
  OrganizationService svc(*app_);
  EXPECT_TRUE(failsWith(svc.setLogo(actorOf(owner_id_), acme, "GIF89a-not-an-image"), "invalid_argument"));
  const std::int64_t v = org(acme).version;
  const std::string jpeg("\xFF\xD8\xFF\xE0rest-of-a-jpeg", 18);
  ASSERT_TRUE(svc.setLogo(actorOf(owner_id_), acme, jpeg, ifMatch({v})));
  auto o = org(acme);
  EXPECT_TRUE(o.has_logo);
  EXPECT_GT(o.version, v);
  auto logo = svc.getLogo(actorOf(owner_id_), acme);
  ASSERT_TRUE(logo);
  EXPECT_EQ(logo->content_type, "image/jpeg");
  EXPECT_EQ(logo->data, jpeg);
  EXPECT_TRUE(failsWith(svc.setLogo(actorOf(owner_id_), acme, jpeg, ifMatch({v})), "precondition_failed"));
  EXPECT_EQ(events("organization_update").size(), 1u);
}

TEST_F(OrganizationServiceTest, AnotherProvidersOrgIsNotFoundAndUnchanged) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  addOrg("Ours");
  OrganizationService svc(*app_);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.get(me, theirs), "not_found"));
  OrgChanges ch;
  ch.name = "Taken";
  EXPECT_TRUE(failsWith(svc.update(me, theirs, ch), "not_found"));
  EXPECT_TRUE(failsWith(svc.remove(me, theirs), "not_found"));
  EXPECT_TRUE(failsWith(svc.launch(me, theirs), "not_found"));
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + "data";
  EXPECT_TRUE(failsWith(svc.setLogo(me, theirs, png), "not_found"));
  auto admins = svc.administrators(me, theirs);
  ASSERT_TRUE(admins);
  EXPECT_TRUE(admins->empty()) << "p2's owner is not listed to p1";
  // Even a reach that names it lists p1's orgs only.
  auto page = svc.list(me, model::OrgReach::only({theirs}), model::ListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);

  auto still = svc.get(actorOf(other_owner, "p2"), theirs);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->name, "Theirs");
  EXPECT_EQ(still->version, 1);
  EXPECT_FALSE(still->has_logo);
  EXPECT_TRUE(events("", "p2").empty());
  EXPECT_TRUE(events("organization_update").empty());
  EXPECT_TRUE(events("organization_launch").empty());
}

}  // namespace
}  // namespace mtp::app::testing
