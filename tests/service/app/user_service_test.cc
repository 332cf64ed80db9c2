// app::UserService on a real SQLite store, without HTTP (issue 9 item 5): create with its
// event and activation email in one transaction, the caps, updates under If-Match, the
// account actions answered per user as a bulk request runs them (a user of another org or
// another provider is not found and stays unchanged).
#include "app/user_service.h"

#include <gtest/gtest.h>

#include "app/organization_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

class UserServiceTest : public AppTest {
 protected:
  static UserCreate staged(const std::string& username) {
    UserCreate in;
    in.username = username;
    in.email = username + "@corp.example";
    in.firstname = "U";
    in.lastname = "Ser";
    return in;
  }
  model::SystemUserRecord made(UserService& svc, const std::string& org, const std::string& username,
                               bool activated = true, const std::string& provider = "p1",
                               const std::string& admin = "") {
    UserCreate in = staged(username);
    in.activated = activated;
    auto u = svc.create(actorOf(admin.empty() ? owner_id_ : admin, provider), org, in);
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
  std::vector<model::EmailRecord> emails(const std::string& provider = "p1") {
    auto out = store_->query(
        [&](store::Tx& tx) { return tx.listEmails(store::TenantScope{provider}, false, 100); });
    EXPECT_TRUE(out) << out.error().message;
    return out.value_or(std::vector<model::EmailRecord>{});
  }
  model::SystemUserRecord user(const std::string& org, const std::string& id,
                               const std::string& provider = "p1") {
    auto u = store_->query(
        [&](store::Tx& tx) { return tx.getSystemUser(store::TenantScope{provider}, org, id); });
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
};

TEST_F(UserServiceTest, CreateWritesTheUserItsEventAndTheActivationEmailTogether) {
  const std::string org = addOrg("Acme");
  UserService svc(*app_);
  auto u = svc.create(actorOf(owner_id_), org, staged("alice"));
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->state, model::UserState::kStaged);
  EXPECT_EQ(u->org_id, org);
  EXPECT_FALSE(u->password_set);

  auto ev = events("user_create");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_type, "user");
  EXPECT_EQ(ev[0].resource_id, u->id);
  EXPECT_EQ(ev[0].organization, org);
  EXPECT_EQ(ev[0].initiated_by_email, "owner@example.com");
  EXPECT_NE(ev[0].changes_json.find("STAGED"), std::string::npos);

  auto mail = emails();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].to_address, "alice@corp.example");
  EXPECT_NE(mail[0].body.find("/userconsole/activate?token="), std::string::npos);

  // With a password and activated: no activation email, the password is on file (never shown).
  UserCreate bob = staged("bob");
  bob.activated = true;
  bob.password = "correct horse battery staple";
  auto b = svc.create(actorOf(owner_id_), org, bob);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->state, model::UserState::kActivated);
  EXPECT_TRUE(b->password_set);
  EXPECT_EQ(emails().size(), 1u);
  EXPECT_EQ(ev[0].changes_json.find("correct horse"), std::string::npos);
  EXPECT_EQ(events("user_create")[0].changes_json.find("correct horse"), std::string::npos);
}

TEST_F(UserServiceTest, CreateRefusesBadInputDuplicatesAndAFullOrg) {
  const std::string org = addOrg("Acme");
  UserService svc(*app_);
  made(svc, org, "alice");
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), org, staged("ALICE")), "conflict"))
      << "usernames are unique per org, case-insensitively";
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), org, staged("with space")), "invalid_argument"));
  UserCreate bad_mail = staged("carol");
  bad_mail.email = "carol-at-example";
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), org, bad_mail), "invalid_argument"));
  UserCreate weak = staged("dave");
  weak.password = "short";
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), org, weak), "invalid_argument"));
  EXPECT_EQ(events("user_create").size(), 1u);

  OrganizationService orgs(*app_);
  OrgChanges cap;
  cap.max_system_users = std::optional<std::int64_t>(2);
  ASSERT_TRUE(orgs.update(actorOf(owner_id_), org, cap));
  made(svc, org, "erin");
  EXPECT_TRUE(failsWith(svc.create(actorOf(owner_id_), org, staged("frank")), "conflict"))
      << "maxSystemUsers reached";
  EXPECT_EQ(events("user_create").size(), 2u);
  // The same username in another org is another user.
  const std::string globex = addOrg("Globex");
  EXPECT_TRUE(svc.create(actorOf(owner_id_), globex, staged("alice")));
}

TEST_F(UserServiceTest, UpdateUnderIfMatchWritesOneEventPerChange) {
  const std::string org = addOrg("Acme");
  UserService svc(*app_);
  auto u = made(svc, org, "alice");
  UserChanges ch;
  ch.firstname = "Alicia";
  ch.sudo = true;
  EXPECT_TRUE(failsWith(svc.update(actorOf(owner_id_), org, u.id, ch, ifMatch({u.version + 1})),
                        "precondition_failed"));
  EXPECT_EQ(user(org, u.id).firstname, "U");
  EXPECT_TRUE(events("user_update").empty());

  auto up = svc.update(actorOf(owner_id_), org, u.id, ch, ifMatch({u.version}));
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->firstname, "Alicia");
  EXPECT_TRUE(up->sudo);
  EXPECT_GT(up->version, u.version);
  auto ev = events("user_update");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, u.id);
  EXPECT_EQ(ev[0].organization, org);
  EXPECT_NE(ev[0].changes_json.find("Alicia"), std::string::npos);
  EXPECT_NE(ev[0].changes_json.find("sudo"), std::string::npos);

  // Nothing changed: no write (the version stays), no event.
  auto same = svc.update(actorOf(owner_id_), org, u.id, ch, ifMatch({up->version}));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, up->version);
  EXPECT_EQ(events("user_update").size(), 1u);

  // A rename onto another user's name conflicts.
  made(svc, org, "bob");
  UserChanges rename;
  rename.username = "Bob";
  EXPECT_TRUE(failsWith(svc.update(actorOf(owner_id_), org, u.id, rename), "conflict"));
}

TEST_F(UserServiceTest, ActionsAnswerPerUserAndRefuseUsersOfAnotherOrg) {
  const std::string acme = addOrg("Acme");
  const std::string globex = addOrg("Globex");
  UserService svc(*app_);
  auto a = made(svc, acme, "alice");
  auto b = made(svc, acme, "bob");
  auto g = made(svc, globex, "gina");
  // As the bulk route runs them: each id on its own, in the org the request names.
  auto results = eachOf({a.id, "no-such-user", g.id, b.id},
                        [&](const std::string& id) { return svc.act(actorOf(owner_id_), acme, id, UserAction::kSuspend); });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_FALSE(results[0]);
  EXPECT_TRUE(failsWith(results[1], "not_found"));
  EXPECT_TRUE(failsWith(results[2], "not_found")) << "a user of another org";
  EXPECT_FALSE(results[3]);
  EXPECT_EQ(user(acme, a.id).state, model::UserState::kSuspended);
  EXPECT_EQ(user(acme, b.id).state, model::UserState::kSuspended);
  EXPECT_EQ(user(globex, g.id).state, model::UserState::kActivated);
  auto ev = events("user_suspended");
  ASSERT_EQ(ev.size(), 2u);
  for (const auto& e : ev) {
    EXPECT_EQ(e.organization, acme);
    EXPECT_NE(e.resource_id, g.id);
  }

  auto back = svc.act(actorOf(owner_id_), acme, a.id, UserAction::kActivate);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->state, model::UserState::kActivated);
  EXPECT_EQ(events("user_activated").size(), 1u);
}

TEST_F(UserServiceTest, ForcedResetAndResendActivationKeepTheirRules) {
  const std::string org = addOrg("Acme");
  UserService svc(*app_);
  auto active = made(svc, org, "alice");
  auto stagedUser = made(svc, org, "sam", false);
  const std::size_t mails = emails().size();
  ASSERT_EQ(mails, 1u) << "sam's activation email";

  EXPECT_TRUE(failsWith(svc.act(actorOf(owner_id_), org, active.id, UserAction::kResendActivation),
                        "precondition_failed"));
  EXPECT_TRUE(events("user_activation_resent").empty());
  EXPECT_EQ(emails().size(), mails);

  ASSERT_TRUE(svc.act(actorOf(owner_id_), org, stagedUser.id, UserAction::kResendActivation));
  EXPECT_EQ(events("user_activation_resent").size(), 1u);
  EXPECT_EQ(emails().size(), mails + 1);

  auto expired = svc.act(actorOf(owner_id_), org, active.id, UserAction::kForcePasswordReset);
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_TRUE(expired->password_expired);
  EXPECT_EQ(events("user_password_expired").size(), 1u);
  EXPECT_EQ(emails().size(), mails + 2);
}

TEST_F(UserServiceTest, AnotherProvidersUserIsNotFoundAndUnchanged) {
  const std::string other_owner = addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  UserService svc(*app_);
  auto t = made(svc, theirs, "tom", true, "p2", other_owner);
  const Actor me = actorOf(owner_id_);
  EXPECT_TRUE(failsWith(svc.get(me, theirs, t.id), "not_found"));
  UserChanges ch;
  ch.firstname = "Taken";
  EXPECT_TRUE(failsWith(svc.update(me, theirs, t.id, ch), "not_found"));
  EXPECT_TRUE(failsWith(svc.act(me, theirs, t.id, UserAction::kSuspend), "not_found"));
  EXPECT_TRUE(failsWith(svc.remove(me, theirs, t.id), "not_found"));
  EXPECT_TRUE(failsWith(svc.create(me, theirs, staged("intruder")), "not_found"))
      << "p1 cannot add users to p2's org";
  auto page = svc.list(me, model::OrgReach::only({theirs}), model::ListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);

  auto still = user(theirs, t.id, "p2");
  EXPECT_EQ(still.firstname, "U");
  EXPECT_EQ(still.state, model::UserState::kActivated);
  EXPECT_EQ(still.version, t.version);
  EXPECT_EQ(events("", "p2").size(), 1u) << "p2's own user_create only";
  EXPECT_TRUE(events("").empty());
}

}  // namespace
}  // namespace mtp::app::testing
