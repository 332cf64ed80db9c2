// app::UserLoginService on a real SQLite store, without HTTP (issue 9 item 5): the user
// portal's sign-in under the org's password policy (lock-out after N failures with its
// events, 0 never locks, STAGED and SUSPENDED users told only after the right password), the
// activation link, and the policy under If-Match (another provider's org out of reach).
#include "app/user_login_service.h"

#include <gtest/gtest.h>

#include "app/user_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr const char* kPassword = "correct horse battery staple";

class UserLoginServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    org_ = addOrg("Acme");
  }
  model::SystemUserRecord user(const std::string& username, bool activated = true,
                               bool with_password = true) {
    UserService users(*app_);
    UserCreate in;
    in.username = username;
    in.email = username + "@corp.example";
    in.activated = activated;
    if (with_password) in.password = kPassword;
    auto u = users.create(actorOf(owner_id_), org_, in);
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
  UserLoginInput attempt(const std::string& username, const std::string& password) const {
    return UserLoginInput{org_, username, password, "203.0.113.9"};
  }
  void setLockout(int n) {
    UserLoginService login(*app_);
    PasswordPolicyChanges ch;
    ch.lockout_after_failures = n;
    auto p = login.putPolicy(actorOf(owner_id_), org_, ch);
    ASSERT_TRUE(p) << p.error().message;
    ASSERT_EQ(p->lockout_after_failures, n);
  }
  model::SystemUserRecord reread(const std::string& id) {
    auto u = store_->query([&](store::Tx& tx) { return tx.getSystemUser(scope_, org_, id); });
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(model::SystemUserRecord{});
  }
  std::string org_;
};

TEST_F(UserLoginServiceTest, TheRightPasswordSignsInAndClearsTheFailures) {
  auto u = user("alice");
  UserLoginService login(*app_);
  EXPECT_TRUE(failsWith(login.login(attempt("alice", "wrong password here")), "unauthenticated"));
  EXPECT_EQ(reread(u.id).failed_logins, 1);
  now_ += 1;  // the events' order is by time, then by (random) id
  auto ok = login.login(attempt("ALICE", kPassword));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->id, u.id);
  EXPECT_EQ(reread(u.id).failed_logins, 0);
  auto ev = events("user_login_attempt");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_TRUE(ev[0].success);  // newest first
  EXPECT_FALSE(ev[1].success);
  EXPECT_EQ(ev[0].initiated_by_type, "user");
  EXPECT_EQ(ev[0].resource_id, u.id);
  EXPECT_EQ(ev[0].organization, org_);
  EXPECT_EQ(ev[0].client_ip, "203.0.113.9");
}

TEST_F(UserLoginServiceTest, TheNthFailureLocksWithOneLockoutEventAndTheLockHidesThePassword) {
  setLockout(3);
  auto u = user("alice");
  UserLoginService login(*app_);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(failsWith(login.login(attempt("alice", "wrong password here")), "unauthenticated"));
  }
  EXPECT_FALSE(reread(u.id).account_locked);
  EXPECT_TRUE(events("user_lockout").empty());
  EXPECT_TRUE(failsWith(login.login(attempt("alice", "wrong password here")), "unauthenticated"));
  EXPECT_TRUE(reread(u.id).account_locked);
  auto lock = events("user_lockout");
  ASSERT_EQ(lock.size(), 1u);
  EXPECT_EQ(lock[0].initiated_by_type, "system");
  EXPECT_EQ(lock[0].resource_id, u.id);

  // Locked: the right password answers as a wrong one, and locks nothing again.
  auto locked = login.login(attempt("alice", kPassword));
  ASSERT_TRUE(failsWith(locked, "unauthenticated"));
  EXPECT_EQ(locked.error().message, "invalid organization, username or password");
  EXPECT_TRUE(failsWith(login.login(attempt("alice", "wrong password here")), "unauthenticated"));
  EXPECT_EQ(events("user_lockout").size(), 1u);
  EXPECT_EQ(events("user_login_attempt").size(), 5u);

  // An admin's unlock lets the right password in again.
  UserService users(*app_);
  ASSERT_TRUE(users.act(actorOf(owner_id_), org_, u.id, UserAction::kUnlock));
  EXPECT_TRUE(login.login(attempt("alice", kPassword)));
}

TEST_F(UserLoginServiceTest, APolicyOfZeroNeverLocks) {
  setLockout(0);
  auto u = user("alice");
  UserLoginService login(*app_);
  for (int i = 0; i < 12; ++i) {
    EXPECT_TRUE(failsWith(login.login(attempt("alice", "wrong password here")), "unauthenticated"));
  }
  EXPECT_FALSE(reread(u.id).account_locked);
  EXPECT_TRUE(events("user_lockout").empty());
  EXPECT_TRUE(login.login(attempt("alice", kPassword)));
}

TEST_F(UserLoginServiceTest, StagedAndSuspendedUsersAreToldOnlyWithTheRightPassword) {
  setLockout(2);
  auto staged = user("sam", false);
  auto suspended = user("sue");
  UserService users(*app_);
  ASSERT_TRUE(users.act(actorOf(owner_id_), org_, suspended.id, UserAction::kSuspend));
  UserLoginService login(*app_);
  for (const auto* name : {"sam", "sue"}) {
    auto wrong = login.login(attempt(name, "wrong password here"));
    ASSERT_TRUE(failsWith(wrong, "unauthenticated")) << name;
    EXPECT_TRUE(failsWith(login.login(attempt(name, "wrong password here")), "unauthenticated"));
    auto right = login.login(attempt(name, kPassword));
    ASSERT_TRUE(failsWith(right, "precondition_failed")) << name;
    EXPECT_EQ(right.error().message, "account not active");
  }
  // Wrong passwords against an account that cannot sign in count nothing and lock nothing.
  EXPECT_EQ(reread(staged.id).failed_logins, 0);
  EXPECT_FALSE(reread(staged.id).account_locked);
  EXPECT_FALSE(reread(suspended.id).account_locked);
  EXPECT_TRUE(events("user_lockout").empty());

  // Unknown user, a user without a password, an unknown org: the one answer.
  user("nopass", true, false);
  for (const auto& in : {attempt("nobody", kPassword), attempt("nopass", kPassword),
                         UserLoginInput{"no-such-org", "alice", kPassword, "203.0.113.9"}}) {
    auto r = login.login(in);
    ASSERT_TRUE(failsWith(r, "unauthenticated"));
    EXPECT_EQ(r.error().message, "invalid organization, username or password");
  }
}

TEST_F(UserLoginServiceTest, TheActivationLinkWorksOnceForAStagedUser) {
  auto staged = user("sam", false, false);
  // The activation email holds the only copy of the token.
  auto mail = store_->query([&](store::Tx& tx) { return tx.listEmails(scope_, false, 10); });
  ASSERT_TRUE(mail);
  ASSERT_EQ(mail->size(), 1u);
  const std::string& body = (*mail)[0].body;
  const auto at = body.find("token=");
  ASSERT_NE(at, std::string::npos);
  const std::string token = body.substr(at + 6, 64);
  UserLoginService login(*app_);
  EXPECT_TRUE(failsWith(login.activate(UserActivationInput{token, "short", "203.0.113.9"}), "invalid_argument"));
  auto ok = login.activate(UserActivationInput{token, kPassword, "203.0.113.9"});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->state, model::UserState::kActivated);
  EXPECT_TRUE(ok->password_set);
  auto ev = events("user_activated");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, staged.id);
  EXPECT_EQ(ev[0].initiated_by_type, "user");
  EXPECT_TRUE(failsWith(login.activate(UserActivationInput{token, kPassword, "203.0.113.9"}), "invalid_argument"))
      << "used once";
  EXPECT_TRUE(login.login(attempt("sam", kPassword)));
}

TEST_F(UserLoginServiceTest, AnExpiredPasswordIsChangedButDoesNotSignIn) {
  auto u = user("alice");
  UserService users(*app_);
  ASSERT_TRUE(users.act(actorOf(owner_id_), org_, u.id, UserAction::kForcePasswordReset));
  UserLoginService login(*app_);
  auto refused = login.login(attempt("alice", kPassword));
  ASSERT_TRUE(failsWith(refused, "precondition_failed"));
  EXPECT_NE(refused.error().message.find("password expired"), std::string::npos);

  const std::string next = "a brand new passphrase";
  EXPECT_TRUE(failsWith(login.changePassword({attempt("alice", kPassword), kPassword}), "invalid_argument"))
      << "the same password";
  EXPECT_TRUE(failsWith(login.changePassword({attempt("alice", kPassword), "short"}), "invalid_argument"));
  EXPECT_TRUE(failsWith(login.changePassword({attempt("alice", "wrong password here"), next}), "unauthenticated"));
  EXPECT_EQ(reread(u.id).failed_logins, 1) << "a wrong current password counts as a failed login";
  EXPECT_TRUE(events("user_password_changed").empty());

  auto changed = login.changePassword({attempt("alice", kPassword), next});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_FALSE(changed->password_expired);
  auto ev = events("user_password_changed");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].resource_id, u.id);
  EXPECT_EQ(ev[0].initiated_by_type, "user");
  EXPECT_TRUE(failsWith(login.login(attempt("alice", kPassword)), "unauthenticated"));
  EXPECT_TRUE(login.login(attempt("alice", next)));
}

TEST_F(UserLoginServiceTest, ThePolicyUnderIfMatchAndAnotherProvidersOrgOutOfReach) {
  UserLoginService login(*app_);
  auto p0 = login.policy(actorOf(owner_id_), org_);
  ASSERT_TRUE(p0) << p0.error().message;
  EXPECT_EQ(p0->version, 0) << "never set";
  EXPECT_EQ(p0->lockout_after_failures, 5);
  PasswordPolicyChanges ch;
  ch.lockout_after_failures = 7;
  EXPECT_TRUE(failsWith(login.putPolicy(actorOf(owner_id_), org_, ch, ifMatch({1})), "precondition_failed"));
  EXPECT_TRUE(events("organization_password_policy_update").empty());
  auto p1 = login.putPolicy(actorOf(owner_id_), org_, ch, ifMatch({0}));
  ASSERT_TRUE(p1) << p1.error().message;
  EXPECT_EQ(p1->version, 1);
  auto read = login.policy(actorOf(owner_id_), org_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->lockout_after_failures, 7);
  EXPECT_EQ(events("organization_password_policy_update").size(), 1u);
  auto same = login.putPolicy(actorOf(owner_id_), org_, ch, ifMatch({1}));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, 1) << "no change, no write";
  EXPECT_EQ(events("organization_password_policy_update").size(), 1u);
  ch.lockout_after_failures = 101;
  EXPECT_TRUE(failsWith(login.putPolicy(actorOf(owner_id_), org_, ch), "invalid_argument"));

  addProvider("p2", "owner2@example.com");
  const std::string theirs = addOrgOf("p2", "Theirs");
  ch.lockout_after_failures = 1;
  EXPECT_TRUE(failsWith(login.putPolicy(actorOf(owner_id_), theirs, ch), "not_found"));
  EXPECT_TRUE(failsWith(login.policy(actorOf(owner_id_), theirs), "not_found"));
  auto untouched = store_->query(
      [&](store::Tx& tx) { return tx.getPasswordPolicy(store::TenantScope{"p2"}, theirs); });
  ASSERT_TRUE(untouched);
  EXPECT_EQ(untouched->version, 0);
  EXPECT_EQ(untouched->lockout_after_failures, 5);
  EXPECT_TRUE(events("", "p2").empty());
}

}  // namespace
}  // namespace mtp::app::testing
