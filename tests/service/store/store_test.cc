// One typed body against SQLite (a temp file) and PostgreSQL (MTP_TEST_PG; each test gets its
// own schema). Every test has two providers and checks that A never sees or changes B.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "store/store.h"
#include "store_backends.h"

namespace mtp::store {
namespace {

using test_db::Backends;
using test_db::BackendNames;
using test_db::PostgresBackend;
using test_db::pqExec;
using test_db::SqliteBackend;
using test_db::uniqueName;

template <class B>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!backend_.available(&why)) GTEST_SKIP() << why;
    store_ = open(4);
    ASSERT_TRUE(store_);
    auto v = store_->migrate();
    ASSERT_TRUE(v) << v.error().message;
    a_ = makeProvider("Provider A");
    b_ = makeProvider("Provider B");
  }

  std::unique_ptr<Store> open(std::size_t pool) {
    StoreOptions o;
    o.url = backend_.url();
    o.pool_size = pool;
    o.clock = [this] { return now_.load(); };
    auto s = openStore(o);
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

  TenantScope makeProvider(const std::string& name) {
    TenantScope scope{"p" + uniqueName()};
    auto r = store_->transact([&](Tx& tx) {
      return tx.createProvider(scope, ProviderRecord{.id = "", .name = name});
    });
    EXPECT_TRUE(r) << r.error().message;
    return scope;
  }

  std::string makeOrg(const TenantScope& s, const std::string& name,
                      std::vector<std::string> tags = {}) {
    OrganizationRecord o;
    o.name = name;
    o.tags = std::move(tags);
    auto id = store_->transact([&](Tx& tx) { return tx.createOrganization(s, o); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or("");
  }

  std::string makeAdmin(const TenantScope& s, const std::string& email,
                        std::optional<std::string> hash = std::nullopt) {
    AdminRecord a;
    a.email = email;
    a.role_name = "admin";
    a.status = AdminStatus::kActive;
    auto id = store_->transact([&](Tx& tx) { return tx.createAdmin(s, a, hash); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or("");
  }

  template <class F>
  auto read(F&& f) {
    return store_->query(std::forward<F>(f));
  }
  template <class F>
  auto write(F&& f) {
    return store_->transact(std::forward<F>(f));
  }

  B backend_;
  std::atomic<UnixTime> now_{1795363200};
  std::unique_ptr<Store> store_;
  TenantScope a_, b_;
};

TYPED_TEST_SUITE(StoreTest, Backends, BackendNames);

TYPED_TEST(StoreTest, MigrateTwiceIsANoOp) {
  EXPECT_EQ(this->store_->migrate().value_or(-1), Store::knownSchemaVersion());
  EXPECT_EQ(this->store_->schemaVersion().value_or(-1), Store::knownSchemaVersion());
  EXPECT_TRUE(this->store_->checkSchema());
  // The rows made in SetUp survived the second migration.
  auto p = this->read([&](Tx& tx) { return tx.getProvider(this->a_); });
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "Provider A");
}

TYPED_TEST(StoreTest, NewerSchemaIsRefused) {
  // A later binary migrated this database.
  if constexpr (TypeParam::kPostgres) {
    std::string err;
    ASSERT_TRUE(pqExec(this->backend_.base,
                       "INSERT INTO " + this->backend_.schema +
                           ".schema_version (version, name, applied_at) VALUES (99, 'x', 0)",
                       &err))
        << err;
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((this->backend_.dir / "mtp.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    EXPECT_EQ(sqlite3_exec(db,
                           "INSERT INTO schema_version (version, name, applied_at) "
                           "VALUES (99, 'x', 0)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto v = this->store_->migrate();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Status::Code::kPreconditionFailed);
  EXPECT_EQ(v.error().message, "database schema 99 is newer than this binary (" +
                                   std::to_string(Store::knownSchemaVersion()) + ")");
  EXPECT_FALSE(this->store_->checkSchema());
}

TYPED_TEST(StoreTest, ProvidersAndOrganizationsAreTenantScoped) {
  const std::string org = this->makeOrg(this->a_, "Acme", {"b", "a", "a"});
  auto got = this->read([&](Tx& tx) { return tx.getOrganization(this->a_, org); });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "Acme");
  EXPECT_EQ(got->tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(got->created, 1795363200);
  EXPECT_FALSE(got->max_system_users);
  // B can neither read, change nor delete A's org.
  auto other = this->read([&](Tx& tx) { return tx.getOrganization(this->b_, org); });
  ASSERT_FALSE(other);
  EXPECT_TRUE(other.error().isNotFound());
  OrganizationRecord change = *got;
  change.name = "Stolen";
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.updateOrganization(this->b_, change); }));
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.deleteOrganization(this->b_, org); }));
  EXPECT_FALSE(this->write([&](Tx& tx) {
    return tx.setOrganizationLogo(this->b_, org, LogoRecord{"image/png", "x"});
  }));

  change.name = "Acme 2";
  change.max_system_users = 50;
  change.remote_assist = true;
  change.tags = {"z"};
  this->now_ += 10;
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.updateOrganization(this->a_, change); }));
  std::string png("\x89PNG\r\n\x1a\n\0\xff binary", 18);
  ASSERT_TRUE(this->write(
      [&](Tx& tx) { return tx.setOrganizationLogo(this->a_, org, LogoRecord{"image/png", png}); }));
  got = this->read([&](Tx& tx) { return tx.getOrganization(this->a_, org); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Acme 2");
  EXPECT_EQ(got->max_system_users, 50);
  EXPECT_TRUE(got->remote_assist);
  EXPECT_TRUE(got->has_logo);
  EXPECT_EQ(got->tags, std::vector<std::string>{"z"});
  EXPECT_EQ(got->updated, 1795363210);
  auto logo = this->read([&](Tx& tx) { return tx.getOrganizationLogo(this->a_, org); });
  ASSERT_TRUE(logo);
  EXPECT_EQ(logo->data, png);
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getOrganizationLogo(this->b_, org); }));

  auto provider = this->read([&](Tx& tx) { return tx.getProvider(this->a_); });
  ASSERT_TRUE(provider);
  provider->require_admin_mfa = true;
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.updateProvider(this->a_, *provider); }));
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.getProvider(this->a_); })->require_admin_mfa);
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getProvider(this->b_); })->require_admin_mfa);
  auto all = this->read([&](Tx& tx) { return tx.listProviders(); });
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);

  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.deleteOrganization(this->a_, org); }));
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getOrganization(this->a_, org); }));
}

TYPED_TEST(StoreTest, SystemUserSignInLookups) {
  const std::string org = this->makeOrg(this->a_, "Acme");
  const std::string other = this->makeOrg(this->b_, "Other");
  SystemUserRecord u;
  u.org_id = org;
  u.username = "Alice";
  u.state = UserState::kActivated;
  auto id = this->write([&](Tx& tx) { return tx.createSystemUser(this->a_, u, std::string("$argon2id$x")); });
  ASSERT_TRUE(id) << id.error().message;
  u.username = "nopass";
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.createSystemUser(this->a_, u, std::nullopt); }));

  // The org alone names its provider.
  auto prov = this->read([&](Tx& tx) { return tx.findOrganizationProvider(other); });
  ASSERT_TRUE(prov);
  EXPECT_EQ(*prov, this->b_.provider_id);
  auto none = this->read([&](Tx& tx) { return tx.findOrganizationProvider("nosuchorg"); });
  ASSERT_FALSE(none);
  EXPECT_TRUE(none.error().isNotFound());

  // The username matches case-insensitively, within the org and the scope only.
  auto login = this->read([&](Tx& tx) { return tx.getSystemUserLogin(this->a_, org, "alice"); });
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_EQ(login->user.id, *id);
  EXPECT_EQ(login->password_hash, std::optional<std::string>("$argon2id$x"));
  auto nopass = this->read([&](Tx& tx) { return tx.getSystemUserLogin(this->a_, org, "NOPASS"); });
  ASSERT_TRUE(nopass);
  EXPECT_FALSE(nopass->password_hash);
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getSystemUserLogin(this->b_, org, "alice"); }));
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getSystemUserLogin(this->a_, other, "alice"); }));

  // A failed count is cleared without touching `updated` or a lock.
  this->now_ += 10;
  auto n = this->write([&](Tx& tx) { return tx.recordSystemUserFailedLogin(this->a_, org, *id, 5); });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.clearSystemUserFailedLogins(this->a_, org, *id); }));
  auto got = this->read([&](Tx& tx) { return tx.getSystemUser(this->a_, org, *id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->failed_logins, 0);
  EXPECT_EQ(got->updated, 1795363200);
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.clearSystemUserFailedLogins(this->b_, org, *id); }));

  // A new expiry policy dates every password on file from when it was set.
  auto n30 = this->write([&](Tx& tx) { return tx.applyPasswordExpirationDays(this->a_, org, 30); });
  ASSERT_TRUE(n30) << n30.error().message;
  EXPECT_EQ(*n30, 1);
  got = this->read([&](Tx& tx) { return tx.getSystemUser(this->a_, org, *id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->password_expiration_date, std::optional<UnixTime>(1795363200 + 30 * 86400));
  EXPECT_FALSE(got->password_expired);
  EXPECT_EQ(*this->write([&](Tx& tx) { return tx.applyPasswordExpirationDays(this->b_, org, 1); }), 0);
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.applyPasswordExpirationDays(this->a_, org, 0); }));
  got = this->read([&](Tx& tx) { return tx.getSystemUser(this->a_, org, *id); });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->password_expiration_date);
}

TYPED_TEST(StoreTest, AdminsCredentialsAndEmailConflict) {
  const std::string id = this->makeAdmin(this->a_, "Jo@Example.com", "hash1");
  // The same email, any case, is a conflict in A and in B too: emails are unique across
  // providers (schema 15), so a sign-in names exactly one account.
  AdminRecord dup;
  dup.email = "jo@example.COM";
  dup.role_name = "admin";
  auto conflict = this->write([&](Tx& tx) { return tx.createAdmin(this->a_, dup, std::nullopt); });
  ASSERT_FALSE(conflict);
  EXPECT_TRUE(conflict.error().isConflict()) << conflict.error().message;
  auto in_b = this->write([&](Tx& tx) { return tx.createAdmin(this->b_, dup, std::nullopt); });
  ASSERT_FALSE(in_b);
  EXPECT_TRUE(in_b.error().isConflict()) << in_b.error().message;
  auto candidates = this->read([&](Tx& tx) { return tx.findAdminsByEmail("JO@example.com"); });
  ASSERT_TRUE(candidates);
  EXPECT_EQ(candidates->size(), 1u);

  auto by_email = this->read([&](Tx& tx) { return tx.getAdminByEmail(this->a_, "jo@EXAMPLE.com"); });
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, id);
  EXPECT_TRUE(by_email->password_set);
  EXPECT_EQ(by_email->status, AdminStatus::kActive);
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getAdmin(this->b_, id); }));
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getAdminCredentials(this->b_, id); }));

  AdminRecord edit = *by_email;
  edit.firstname = "Jo";
  edit.status = AdminStatus::kSuspended;
  edit.api_key_allowed = true;
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.updateAdmin(this->a_, edit); }));
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.updateAdmin(this->b_, edit); }));
  auto got = this->read([&](Tx& tx) { return tx.getAdmin(this->a_, id); });
  EXPECT_EQ(got->firstname, "Jo");
  EXPECT_EQ(got->status, AdminStatus::kSuspended);
  EXPECT_TRUE(got->api_key_allowed);

  // TOTP: enroll, accept a step once, refuse a replay or an older step.
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.setTotpSecret(this->a_, id, "sealed-secret"); }));
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.setTotpEnrolled(this->a_, id, true); }));
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.acceptTotpStep(this->a_, id, 100); }), true);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.acceptTotpStep(this->a_, id, 100); }), false);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.acceptTotpStep(this->a_, id, 99); }), false);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.acceptTotpStep(this->a_, id, 101); }), true);
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.acceptTotpStep(this->b_, id, 200); }));

  // Lock-out after three failures.
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); })->count, 1);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); })->count, 2);
  auto creds = this->read([&](Tx& tx) { return tx.getAdminCredentials(this->a_, id); });
  ASSERT_TRUE(creds);
  EXPECT_FALSE(creds->locked_until);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); })->count, 3);
  creds = this->read([&](Tx& tx) { return tx.getAdminCredentials(this->a_, id); });
  EXPECT_EQ(creds->password_hash, "hash1");
  EXPECT_EQ(creds->totp_secret, "sealed-secret");
  EXPECT_TRUE(creds->totp_enrolled);
  EXPECT_EQ(creds->totp_last_step, 101);
  EXPECT_EQ(creds->failed_logins, 3);
  EXPECT_EQ(creds->locked_until, 2000000000);
  {  // While locked a failure changes nothing; after the lock, a fresh count (issue 11 item 6).
    auto locked = this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000500); });
    ASSERT_TRUE(locked);
    EXPECT_FALSE(locked->counted);
    EXPECT_FALSE(locked->locked);
    EXPECT_EQ(locked->count, 3);
    auto fresh = this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 2000000000, 2000000900); });
    ASSERT_TRUE(fresh);
    EXPECT_TRUE(fresh->counted);
    EXPECT_FALSE(fresh->locked);
    EXPECT_EQ(fresh->count, 1);
    auto again = this->read([&](Tx& tx) { return tx.getAdminCredentials(this->a_, id); });
    EXPECT_FALSE(again->locked_until);
    for (int i = 0; i < 2; ++i)
      EXPECT_EQ(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 2000000000, 2000000900); })->locked, i == 1);
    ASSERT_TRUE(this->write([&](Tx& tx) { return tx.clearFailedLogins(this->a_, id); }));
    ASSERT_TRUE(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); }));
    ASSERT_TRUE(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); }));
    ASSERT_TRUE(this->write([&](Tx& tx) { return tx.recordFailedLogin(this->a_, id, 3, 1000, 2000000000); }));
  }
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.clearFailedLogins(this->a_, id); }));
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.setPasswordHash(this->a_, id, "hash2"); }));
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.setTotpSecret(this->a_, id, std::nullopt); }));
  creds = this->read([&](Tx& tx) { return tx.getAdminCredentials(this->a_, id); });
  EXPECT_EQ(creds->failed_logins, 0);
  EXPECT_FALSE(creds->locked_until);
  EXPECT_EQ(creds->password_hash, "hash2");
  EXPECT_FALSE(creds->totp_secret);
  EXPECT_FALSE(creds->totp_enrolled);
  EXPECT_FALSE(creds->totp_last_step);

  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.deleteAdmin(this->b_, id); }));
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.deleteAdmin(this->a_, id); }));
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getAdmin(this->a_, id); }));
  // Once deleted in A, the email is free again, in B too.
  const std::string in_b_now = this->makeAdmin(this->b_, "jo@example.com");
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.getAdmin(this->b_, in_b_now); }));
}

TYPED_TEST(StoreTest, GrantsSessionsApiKeysAndTokens) {
  const std::string admin = this->makeAdmin(this->a_, "a@x.io");
  const std::string admin_b = this->makeAdmin(this->b_, "b@x.io");
  const std::string org = this->makeOrg(this->a_, "One");
  const std::string org_b = this->makeOrg(this->b_, "Other");

  ASSERT_TRUE(this->write([&](Tx& tx) {
    return tx.putGrant(this->a_, GrantRecord{admin, org, "help_desk", 1800000000, 0});
  }));
  // Cross-tenant links are impossible: A's admin to B's org, or through B's scope.
  auto cross = this->write(
      [&](Tx& tx) { return tx.putGrant(this->a_, GrantRecord{admin, org_b, "", {}, 0}); });
  ASSERT_FALSE(cross);
  EXPECT_TRUE(cross.error().isNotFound()) << cross.error().message;
  EXPECT_FALSE(this->write(
      [&](Tx& tx) { return tx.putGrant(this->b_, GrantRecord{admin, org, "", {}, 0}); }));
  auto grants = this->read([&](Tx& tx) { return tx.listGrants(this->a_, admin); });
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].role_name, "help_desk");
  EXPECT_EQ((*grants)[0].expires_at, 1800000000);
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.listGrants(this->b_, admin); })->empty());
  auto on_org = this->read([&](Tx& tx) { return tx.listOrganizationGrants(this->a_, org); });
  ASSERT_TRUE(on_org);
  ASSERT_EQ(on_org->size(), 1u);
  EXPECT_EQ((*on_org)[0].admin_id, admin);
  EXPECT_EQ((*on_org)[0].role_name, "help_desk");
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.listOrganizationGrants(this->b_, org); })->empty());
  auto links = this->read(
      [&](Tx& tx) { return tx.listOrganizationAdmins(this->a_, org, 1795363200); });
  ASSERT_TRUE(links);
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].organization_access_total, 1);
  EXPECT_TRUE(this->read([&](Tx& tx) {
                    return tx.listOrganizationAdmins(this->a_, org, 1900000000);
                  })->empty());  // the grant has expired by then
  ASSERT_TRUE(this->write([&](Tx& tx) {
    return tx.replaceGrants(this->a_, admin, {GrantRecord{"", org, "", {}, 0}});
  }));
  grants = this->read([&](Tx& tx) { return tx.listGrants(this->a_, admin); });
  EXPECT_EQ((*grants)[0].role_name, "");
  EXPECT_FALSE((*grants)[0].expires_at);
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.deleteGrant(this->b_, admin, org); }));
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.deleteGrant(this->a_, admin, org); }));

  // Sessions.
  SessionRecord s{"jti-1", "", admin, SessionKind::kOrgLaunch, org, true, 0, 1795366800, {}};
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.createSession(this->a_, s); }));
  SessionRecord sb{"jti-x", "", admin, SessionKind::kFull, "", false, 0, 1795366800, {}};
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.createSession(this->b_, sb); }));
  auto got = this->read([&](Tx& tx) { return tx.findSession("jti-1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->provider_id, this->a_.provider_id);
  EXPECT_EQ(got->kind, SessionKind::kOrgLaunch);
  EXPECT_EQ(got->org_id, org);
  EXPECT_TRUE(got->mfa);
  EXPECT_FALSE(got->revoked_at);
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getSession(this->b_, "jti-1"); }));
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.revokeSession(this->b_, "jti-1", 1); }));
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.revokeAdminSessions(this->a_, admin, 1795363300); }),
            1);
  EXPECT_EQ(this->read([&](Tx& tx) { return tx.getSession(this->a_, "jti-1"); })->revoked_at,
            1795363300);
  EXPECT_EQ(this->write([&](Tx& tx) { return tx.deleteExpiredSessions(1795366801); }), 1);

  // API keys: a new key revokes the old one; only prefix and hash are stored.
  auto k1 = this->write([&](Tx& tx) { return tx.replaceApiKey(this->a_, admin, "abcd", "h1"); });
  ASSERT_TRUE(k1);
  auto k2 = this->write([&](Tx& tx) { return tx.replaceApiKey(this->a_, admin, "abcd", "h2"); });
  ASSERT_TRUE(k2);
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.replaceApiKey(this->b_, admin, "abcd", "h3"); }));
  auto keys = this->read([&](Tx& tx) { return tx.findApiKeys("abcd"); });
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_hash, "h2");
  EXPECT_EQ((*keys)[0].provider_id, this->a_.provider_id);
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.getAdmin(this->a_, admin); })->api_key_set);
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.revokeApiKeys(this->a_, admin); }));
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.findApiKeys("abcd"); })->empty());

  // Tokens are good once, before they expire, for their kind only.
  TokenRecord t{"th1", "", admin, TokenKind::kActivation, 0, 1795370000, {}};
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.createToken(this->a_, t); }));
  TokenRecord tb{"th2", "", admin, TokenKind::kActivation, 0, 1795370000, {}};
  EXPECT_FALSE(this->write([&](Tx& tx) { return tx.createToken(this->b_, tb); }));
  EXPECT_FALSE(this->write(
      [&](Tx& tx) { return tx.consumeToken("th1", TokenKind::kPasswordReset, 1795363200); }));
  EXPECT_FALSE(this->write(
      [&](Tx& tx) { return tx.consumeToken("th1", TokenKind::kActivation, 1795370001); }));
  auto used = this->write(
      [&](Tx& tx) { return tx.consumeToken("th1", TokenKind::kActivation, 1795363200); });
  ASSERT_TRUE(used) << used.error().message;
  EXPECT_EQ(used->admin_id, admin);
  EXPECT_EQ(used->provider_id, this->a_.provider_id);
  EXPECT_FALSE(this->write(
      [&](Tx& tx) { return tx.consumeToken("th1", TokenKind::kActivation, 1795363200); }));
  (void)admin_b;
}

TYPED_TEST(StoreTest, ListsPageSortAndFilterWithinTheReach) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    this->now_ = 1795363200 + i;
    ids.push_back(this->makeOrg(this->a_, "org-" + std::to_string(i),
                                {i % 2 == 0 ? "even" : "odd", "all"}));
  }
  this->makeOrg(this->b_, "org-b1", {"even"});
  this->makeOrg(this->b_, "org-b2");

  auto list = [&](OrgReach reach, ListQuery q) {
    return this->read([&](Tx& tx) { return tx.listOrganizations(this->a_, reach, q); });
  };
  auto names = [](const Page<OrganizationRecord>& p) {
    std::vector<std::string> out;
    for (const auto& o : p.results) out.push_back(o.name);
    return out;
  };
  auto page = list(OrgReach::everything(), ListQuery{.limit = 2, .skip = 1, .sort = {{"name", true}}});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total_count, 5);
  EXPECT_EQ(names(*page), (std::vector<std::string>{"org-3", "org-2"}));
  EXPECT_EQ(page->results[0].tags, (std::vector<std::string>{"all", "odd"}));

  page = list(OrgReach::only({ids[0], ids[3]}), ListQuery{.sort = {{"created", false}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 2);
  EXPECT_EQ(names(*page), (std::vector<std::string>{"org-0", "org-3"}));
  page = list(OrgReach::only({}), ListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);

  page = list(OrgReach::everything(),
              ListQuery{.sort = {{"name", false}},
                        .filters = {{"tags", FilterOp::kEq, "even"},
                                    {"created", FilterOp::kGe, "2026-11-22T16:00:01Z"}}});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(names(*page), (std::vector<std::string>{"org-2", "org-4"}));
  page = list(OrgReach::everything(), ListQuery{.sort = {{"name", false}},
                        .filters = {{"name", FilterOp::kIn, "org-1|org-4|org-b1"}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(names(*page), (std::vector<std::string>{"org-1", "org-4"}));
  page = list(OrgReach::everything(), ListQuery{.filters = {{"name", FilterOp::kSearch, "RG-3"}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(names(*page), std::vector<std::string>{"org-3"});
  page = list(OrgReach::everything(), ListQuery{.filters = {{"name", FilterOp::kSearch, "%"}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);  // % is a character, not a wildcard
  page = list(OrgReach::everything(), ListQuery{.filters = {{"remoteAssist", FilterOp::kEq, "false"}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 5);

  // Whitelists and bounds.
  auto bad = list(OrgReach::everything(), ListQuery{.sort = {{"provider_id", false}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Status::Code::kInvalidArgument);
  EXPECT_FALSE(list(OrgReach::everything(), ListQuery{.filters = {{"name; DROP", FilterOp::kEq, "x"}}}));
  EXPECT_FALSE(list(OrgReach::everything(), ListQuery{.filters = {{"created", FilterOp::kGt, "soon"}}}));
  EXPECT_FALSE(list(OrgReach::everything(), ListQuery{.limit = 101}));
  // A value is never SQL.
  page = list(OrgReach::everything(), ListQuery{.filters = {{"name", FilterOp::kEq, "x' OR '1'='1"}}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, 0);

  // Admins: filters on whitelisted fields; no secret leaves a list (AdminRecord has none).
  this->makeAdmin(this->a_, "zed@x.io", "secret-hash");
  this->makeAdmin(this->a_, "amy@x.io");
  this->makeAdmin(this->b_, "bob@x.io");
  auto admins = this->read([&](Tx& tx) {
    return tx.listAdmins(this->a_, ListQuery{.sort = {{"email", false}}});
  });
  ASSERT_TRUE(admins) << admins.error().message;
  ASSERT_EQ(admins->total_count, 2);
  EXPECT_EQ(admins->results[0].email, "amy@x.io");
  EXPECT_FALSE(admins->results[0].password_set);
  EXPECT_TRUE(admins->results[1].password_set);
  admins = this->read([&](Tx& tx) {
    return tx.listAdmins(this->a_, ListQuery{.filters = {{"email", FilterOp::kEq, "ZED@x.io"},
                                                         {"status", FilterOp::kEq, "active"}}});
  });
  ASSERT_TRUE(admins);
  EXPECT_EQ(admins->total_count, 1);
}

TYPED_TEST(StoreTest, MutationAndActivityCommitOrRollBackTogether) {
  // The unit fails after both inserts: nothing of it remains.
  std::string org_id;
  auto failed = this->write([&](Tx& tx) -> Result<void> {
    auto id = tx.createOrganization(this->a_, OrganizationRecord{.name = "Ghost"});
    if (!id) return fail(id.error());
    org_id = *id;
    auto ev = tx.appendActivity(this->a_, ActivityRecord{.event_type = "organization_create",
                                                         .resource_type = "organization",
                                                         .resource_id = *id});
    if (!ev) return fail(ev.error());
    return fail(Status::conflict("the caller changed its mind"));
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(failed.error().isConflict());
  EXPECT_FALSE(this->read([&](Tx& tx) { return tx.getOrganization(this->a_, org_id); }));
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.listActivity(this->a_, {}); })->empty());

  // A failing statement inside the unit (duplicate email) also rolls back the activity.
  this->makeAdmin(this->a_, "dup@x.io");
  auto dup = this->write([&](Tx& tx) -> Result<void> {
    auto ev = tx.appendActivity(this->a_, ActivityRecord{.event_type = "admin_create"});
    if (!ev) return fail(ev.error());
    auto id = tx.createAdmin(this->a_, AdminRecord{.email = "DUP@x.io", .role_name = "admin"},
                             std::nullopt);
    if (!id) return fail(id.error());
    return {};
  });
  ASSERT_FALSE(dup);
  EXPECT_TRUE(dup.error().isConflict());
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.listActivity(this->a_, {}); })->empty());

  // Committed: both are there. Activity is newest first and pages with search_after.
  for (int i = 0; i < 3; ++i) {
    this->now_ = 1795363200 + i;
    auto ok = this->write([&](Tx& tx) -> Result<std::string> {
      auto id = tx.createOrganization(this->a_, OrganizationRecord{.name = "Org " + std::to_string(i)});
      if (!id) return id;
      return tx.appendActivity(this->a_, ActivityRecord{.event_type = "organization_create",
                                                        .initiated_by_id = "admin1",
                                                        .organization = *id,
                                                        .changes_json = R"([{"field":"name"}])",
                                                        .success = i != 1});
    });
    ASSERT_TRUE(ok) << ok.error().message;
  }
  this->write([&](Tx& tx) { return tx.appendActivity(this->b_, ActivityRecord{.event_type = "x"}); });
  auto events = this->read([&](Tx& tx) { return tx.listActivity(this->a_, ActivityQuery{.limit = 2}); });
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].timestamp, 1795363202);
  EXPECT_EQ((*events)[0].changes_json, R"([{"field":"name"}])");
  EXPECT_FALSE((*events)[1].success);
  auto rest = this->read([&](Tx& tx) {
    return tx.listActivity(this->a_, ActivityQuery{.limit = 10,
                                                   .after_timestamp = (*events)[1].timestamp,
                                                   .after_id = (*events)[1].id});
  });
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].timestamp, 1795363200);
  auto filtered = this->read([&](Tx& tx) {
    return tx.listActivity(this->a_, ActivityQuery{.start_time = 1795363201,
                                                   .end_time = 1795363202,
                                                   .event_type = "organization_create",
                                                   .initiated_by = "admin1"});
  });
  ASSERT_TRUE(filtered);
  EXPECT_EQ(filtered->size(), 1u);
}

TYPED_TEST(StoreTest, OutboxQueuesPerProvider) {
  auto id = this->write([&](Tx& tx) {
    return tx.enqueueEmail(this->a_, EmailRecord{.to_address = "a@x.io", .subject = "Hi", .body = "B"});
  });
  ASSERT_TRUE(id);
  this->write([&](Tx& tx) {
    return tx.enqueueEmail(this->b_, EmailRecord{.to_address = "b@x.io", .subject = "Hi", .body = "B"});
  });
  EXPECT_EQ(this->read([&](Tx& tx) { return tx.listEmails(this->a_, true, 10); })->size(), 1u);
  EXPECT_EQ(this->read([&](Tx& tx) { return tx.pendingEmails(10, 3); })->size(), 2u);
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.markEmailFailed(*id, "smtp down"); }));
  auto mail = this->read([&](Tx& tx) { return tx.listEmails(this->a_, false, 10); });
  EXPECT_EQ((*mail)[0].attempts, 1);
  EXPECT_EQ((*mail)[0].last_error, "smtp down");
  ASSERT_TRUE(this->write([&](Tx& tx) { return tx.markEmailSent(*id, 1795363300); }));
  EXPECT_TRUE(this->read([&](Tx& tx) { return tx.listEmails(this->a_, true, 10); })->empty());
  EXPECT_EQ(this->read([&](Tx& tx) { return tx.pendingEmails(10, 3); })->size(), 1u);
}

TYPED_TEST(StoreTest, LoadsTheEnginesDirectory) {
  const std::string org = this->makeOrg(this->a_, "One", {"vip"});
  this->makeOrg(this->b_, "Two");
  const std::string admin = this->makeAdmin(this->a_, "a@x.io");
  ASSERT_TRUE(this->write([&](Tx& tx) {
    return tx.putGrant(this->a_, GrantRecord{admin, org, "manager", 1800000000, 0});
  }));
  auto dir = this->store_->loadDirectory();
  ASSERT_TRUE(dir) << dir.error().message;
  ASSERT_EQ(dir->providers.size(), 2u);
  ASSERT_EQ(dir->admins.size(), 1u);
  const auto& a = dir->admins[0];
  EXPECT_EQ(a.provider, this->a_.provider_id);
  ASSERT_EQ(a.organizations.size(), 1u);
  EXPECT_EQ(a.organizations[0].organization, org);
  EXPECT_EQ(a.organizations[0].role, "manager");
  EXPECT_EQ(a.organizations[0].expires_at, 1800000000);
  for (const auto& p : dir->providers) {
    ASSERT_EQ(p.organizations.size(), 1u);
    if (p.id == this->a_.provider_id) {
      EXPECT_EQ(p.organizations[0].tags, std::vector<std::string>{"vip"});
    }
  }
}

TYPED_TEST(StoreTest, ConcurrentWritersThroughThePoolDoNotFail) {
  constexpr int kThreads = 8, kEach = 20;
  std::atomic<int> failures{0};
  std::string first_error;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = this->store_->transact([&](Tx& tx) -> Result<std::string> {
          auto id = tx.createOrganization(t % 2 ? this->a_ : this->b_,
                                          OrganizationRecord{.name = "c" + std::to_string(t)});
          if (!id) return id;
          // Read then write in one unit: the pattern that deadlocks SQLite's deferred BEGIN.
          auto got = tx.getOrganization(t % 2 ? this->a_ : this->b_, *id);
          if (!got) return fail(got.error());
          return tx.appendActivity(t % 2 ? this->a_ : this->b_,
                                   ActivityRecord{.event_type = "organization_create"});
        });
        if (!r) {
          failures++;
          std::lock_guard lock(mu);
          if (first_error.empty()) first_error = r.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  auto page = this->read([&](Tx& tx) {
    return tx.listOrganizations(this->a_, OrgReach::everything(), ListQuery{});
  });
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_count, kThreads / 2 * kEach);
}

TYPED_TEST(StoreTest, ReconnectsAfterTheServerDropsConnections) {
  if constexpr (!TypeParam::kPostgres) {
    GTEST_SKIP() << "PostgreSQL only";
  } else {
    auto store = this->open(2);
    ASSERT_TRUE(store->ping());
    const std::string org = this->makeOrg(this->a_, "Survivor");
    // Warm both pooled connections, then have the server kill them.
    auto warm = [&] {
      std::thread other([&] { (void)store->ping(); });
      (void)store->ping();
      other.join();
    };
    warm();
    auto kill = [&] {
      std::string err;
      ASSERT_TRUE(pqExec(this->backend_.base,
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         "application_name = '" + this->backend_.schema + "'",
                         &err))
          << err;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    };
    kill();
    // A read meets the dead connection, reconnects and is retried: the caller sees success.
    auto got = store->query([&](Tx& tx) { return tx.getOrganization(this->a_, org); });
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->name, "Survivor");
    kill();
    // A write that fails at BEGIN ran nothing: retried too.
    auto wrote = store->transact([&](Tx& tx) {
      return tx.createOrganization(this->a_, OrganizationRecord{.name = "After"});
    });
    ASSERT_TRUE(wrote) << wrote.error().message;
    EXPECT_TRUE(store->ping());
  }
}

TYPED_TEST(StoreTest, AnUnreachableServerAnswersUnavailableQuickly) {
  if constexpr (!TypeParam::kPostgres) {
    GTEST_SKIP() << "PostgreSQL only";
  } else {
    StoreOptions o;
    o.url = "postgresql://mtp:x@127.0.0.1:1/none";  // nothing listens on port 1
    o.pool_size = 1;
    o.connect_timeout_seconds = 2;
    auto store = openStore(o);
    ASSERT_TRUE(store);
    auto start = std::chrono::steady_clock::now();
    auto r = (*store)->query([&](Tx& tx) { return tx.getProvider(this->a_); });
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().isUnavailable()) << r.error().message;
    // The client reads no driver text (host, port, the driver's words); the log does.
    EXPECT_EQ(r.error().message, "service unavailable: cannot connect to the database");
    EXPECT_GT(r.error().detail.size(), std::string("cannot connect to the database: ").size());
    EXPECT_FALSE((*store)->ping());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
}

}  // namespace
}  // namespace mtp::store
