// app::SessionService on a real SQLite store, without HTTP (issue 9 item 5): an admin's login
// (the session and its event together, lock-out after config().lockout_after failures and for
// lockout_for, each provider seeing only its own admins' attempts, the enrollment-only
// session when MFA is required), logout, password change and API keys revoking what they
// replace.
#include "app/session_service.h"

#include <gtest/gtest.h>

#include "app/authentication.h"
#include "app/provider_service.h"
#include "app_fixture.h"

namespace mtp::app::testing {
namespace {

constexpr const char* kPassword = "correct horse battery staple";

class SessionServiceTest : public AppTest {
 protected:
  // An active admin of `provider` with kPassword.
  std::string withPassword(const std::string& email, const std::string& provider = "p1") {
    auto hash = passwords_.hash(kPassword);
    EXPECT_TRUE(hash);
    model::AdminRecord a;
    a.email = email;
    a.firstname = "P";
    a.lastname = "W";
    a.role_name = "read_only";
    a.status = model::AdminStatus::kActive;
    a.all_organizations = true;
    a.api_key_allowed = true;
    auto id = store_->transact(
        [&](store::Tx& tx) { return tx.createAdmin(store::TenantScope{provider}, a, *hash); });
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(app_->refreshDirectory());
    return id.value_or("");
  }
  LoginInput login(const std::string& email, const std::string& password) const {
    return LoginInput{email, password, std::nullopt, "192.0.2.10"};
  }
  Actor sessionActor(const std::string& admin_id, const std::string& token) {
    Authentication auth(*app_);
    auto owner = auth.bearer(token);
    EXPECT_TRUE(owner) << owner.error().message;
    Actor a = actorOf(admin_id);
    a.session_jti = owner ? owner->jti : "";
    a.mfa = false;
    return a;
  }
};

TEST_F(SessionServiceTest, ALoginCreatesALiveSessionAndItsEvent) {
  const std::string id = withPassword("pat@example.com");
  SessionService svc(*app_);
  auto s = svc.login(login("PAT@example.com", kPassword));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->admin.id, id);
  EXPECT_EQ(s->scope, auth::TokenScope::kFull);
  EXPECT_FALSE(s->mfa);
  EXPECT_EQ(s->expires_in, 8 * 3600);
  Authentication auth(*app_);
  auto owner = auth.bearer(s->token);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_EQ(owner->admin_id, id);
  auto ev = events("admin_login_attempt");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].success);
  EXPECT_EQ(ev[0].resource_id, id);
  EXPECT_EQ(ev[0].client_ip, "192.0.2.10");

  auto wrong = svc.login(login("pat@example.com", "not the password"));
  ASSERT_TRUE(failsWith(wrong, "unauthenticated"));
  EXPECT_EQ(wrong.error().message, "invalid email or password");
  auto nobody = svc.login(login("nobody@example.com", kPassword));
  ASSERT_TRUE(failsWith(nobody, "unauthenticated"));
  EXPECT_EQ(nobody.error().message, wrong.error().message);
  EXPECT_EQ(events("admin_login_attempt").size(), 2u) << "no tenant for an unknown email";
}

TEST_F(SessionServiceTest, TheLockoutComesAtTheLimitAndEndsAfterItsTime) {
  const std::string id = withPassword("pat@example.com");
  SessionService svc(*app_);
  const int limit = app_->config().lockout_after;
  for (int i = 0; i < limit - 1; ++i) {
    EXPECT_TRUE(failsWith(svc.login(login("pat@example.com", "not the password")), "unauthenticated"));
  }
  EXPECT_TRUE(events("admin_lockout").empty());
  EXPECT_TRUE(failsWith(svc.login(login("pat@example.com", "not the password")), "unauthenticated"));
  auto lock = events("admin_lockout");
  ASSERT_EQ(lock.size(), 1u);
  EXPECT_EQ(lock[0].initiated_by_type, "system");
  EXPECT_EQ(lock[0].resource_id, id);
  EXPECT_TRUE(failsWith(svc.login(login("pat@example.com", kPassword)), "unauthenticated"))
      << "locked: the right password answers as a wrong one";
  EXPECT_EQ(events("admin_lockout").size(), 1u);

  now_ += app_->config().lockout_for.count() + 1;
  auto s = svc.login(login("pat@example.com", kPassword));
  ASSERT_TRUE(s) << s.error().message;
  auto admin = store_->query([&](store::Tx& tx) { return tx.getAdmin(scope_, id); });
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->failed_logins, 0);
  EXPECT_FALSE(admin->locked_until && *admin->locked_until > now_);
}

TEST_F(SessionServiceTest, EachProviderSeesOnlyItsOwnAdminsLogins) {
  const std::string mine = withPassword("pat@example.com");
  addProvider("p2", "owner2@example.com");
  const std::string theirs = withPassword("quinn@example.com", "p2");
  // An admin's email is one across every provider (schema 15): p2 cannot take p1's.
  model::AdminRecord dup;
  dup.email = "PAT@example.com";
  dup.role_name = "read_only";
  dup.status = model::AdminStatus::kActive;
  auto taken = store_->transact(
      [&](store::Tx& tx) { return tx.createAdmin(store::TenantScope{"p2"}, dup, std::nullopt); });
  ASSERT_FALSE(taken);
  EXPECT_TRUE(taken.error().isConflict());

  SessionService svc(*app_);
  auto s = svc.login(login("quinn@example.com", kPassword));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->admin.id, theirs);
  EXPECT_EQ(s->admin.provider_id, "p2");
  EXPECT_TRUE(failsWith(svc.login(login("quinn@example.com", "not the password")), "unauthenticated"));
  EXPECT_TRUE(events("admin_login_attempt").empty()) << "p1 learns nothing of p2's logins";
  EXPECT_EQ(events("admin_login_attempt", "p2").size(), 2u);
  auto me = store_->query([&](store::Tx& tx) { return tx.getAdmin(scope_, mine); });
  ASSERT_TRUE(me);
  EXPECT_EQ(me->failed_logins, 0);
  // A p1 session's actor cannot end or re-key a p2 admin.
  EXPECT_TRUE(failsWith(svc.newApiKey(actorOf(theirs)), "not_found"));
}

TEST_F(SessionServiceTest, ARequiredMfaWithoutEnrollmentGivesAnEnrollmentOnlySession) {
  withPassword("pat@example.com");
  ProviderService provider(*app_);
  ProviderSettings on;
  on.require_admin_mfa = true;
  ASSERT_TRUE(provider.updateSettings(actorOf(owner_id_), on));
  SessionService svc(*app_);
  auto s = svc.login(login("pat@example.com", kPassword));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->scope, auth::TokenScope::kMfaEnroll);
  EXPECT_FALSE(s->mfa);
  EXPECT_EQ(s->expires_in, app_->config().mfa_enroll_ttl.count());
  Authentication auth(*app_);
  auto owner = auth.bearer(s->token);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->scope, auth::TokenScope::kMfaEnroll);
}

TEST_F(SessionServiceTest, LogoutAndAPasswordChangeRevokeSessions) {
  const std::string id = withPassword("pat@example.com");
  SessionService svc(*app_);
  Authentication auth(*app_);
  auto one = svc.login(login("pat@example.com", kPassword));
  auto two = svc.login(login("pat@example.com", kPassword));
  ASSERT_TRUE(one && two);

  ASSERT_TRUE(svc.logout(sessionActor(id, one->token)));
  EXPECT_TRUE(failsWith(auth.bearer(one->token), "unauthenticated"));
  EXPECT_TRUE(auth.bearer(two->token)) << "only the caller's session ends";
  EXPECT_EQ(events("admin_logout").size(), 1u);
  EXPECT_TRUE(failsWith(svc.logout(actorOf(id)), "invalid_argument")) << "an API key has no session";

  const Actor on_two = sessionActor(id, two->token);
  const std::string next = "a brand new passphrase";
  EXPECT_TRUE(failsWith(svc.changePassword(on_two, "not the password", next), "invalid_argument"));
  EXPECT_TRUE(auth.bearer(two->token)) << "a wrong current password changes nothing";
  auto changed = svc.changePassword(on_two, kPassword, next);
  ASSERT_TRUE(changed) << changed.error().message;
  ASSERT_TRUE(changed->has_value()) << "a session caller gets a fresh session";
  EXPECT_TRUE(failsWith(auth.bearer(two->token), "unauthenticated"));
  EXPECT_TRUE(auth.bearer((*changed)->token));
  EXPECT_TRUE(failsWith(svc.login(login("pat@example.com", kPassword)), "unauthenticated"));
  EXPECT_TRUE(svc.login(login("pat@example.com", next)));
}

TEST_F(SessionServiceTest, ANewApiKeyRevokesTheOldOne) {
  const std::string id = withPassword("pat@example.com");
  SessionService svc(*app_);
  Authentication auth(*app_);
  auto first = svc.newApiKey(actorOf(id));
  ASSERT_TRUE(first) << first.error().message;
  auto owner = auth.apiKey(*first);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_EQ(owner->admin_id, id);
  auto second = svc.newApiKey(actorOf(id));
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(failsWith(auth.apiKey(*first), "unauthenticated"));
  EXPECT_TRUE(auth.apiKey(*second));
  auto ev = events("admin_update");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_NE(ev[0].changes_json.find("apiKeySet"), std::string::npos);
  EXPECT_EQ(ev[0].changes_json.find(*second), std::string::npos) << "the key is never recorded";
}

}  // namespace
}  // namespace mtp::app::testing
