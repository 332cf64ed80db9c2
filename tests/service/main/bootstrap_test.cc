// mtpd's first start (bootstrap), --demo seeding and the operator's provider creation, on
// both backends, against a whole mtpd (its store, password hasher and login route).
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "main/bootstrap.h"
#include "main/demo.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class OpsBootstrapTest : public ServiceTest {
 protected:
  std::vector<model::ProviderRecord> providers() {
    auto r = app().store().query([](store::Tx& tx) { return tx.listProviders(); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(std::vector<model::ProviderRecord>{});
  }
  std::vector<model::AdminRecord> admins(const std::string& provider) {
    model::ListQuery q;
    q.limit = 100;
    auto r = app().store().query([&](store::Tx& tx) { return tx.listAdmins(model::TenantScope{provider}, q); });
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? r->results : std::vector<model::AdminRecord>{};
  }
  auth::PasswordStatus verify(const std::string& provider, const std::string& admin_id, const std::string& password) {
    auto c = app().store().query(
        [&](store::Tx& tx) { return tx.getAdminCredentials(model::TenantScope{provider}, admin_id); });
    EXPECT_TRUE(c.has_value());
    if (!c || !c->password_hash) return auth::PasswordStatus::kMismatch;
    return app().passwords().verify(*c->password_hash, password);
  }
  HttpResponse login(const std::string& email, const std::string& password) {
    return call("POST", "/api/v2/auth/login", "",
                nlohmann::json{{"email", email}, {"password", password}}.dump());
  }
};

TEST_P(OpsBootstrapTest, FirstStartCreatesOneProviderAndOwnerWithAOneTimePassword) {
  ASSERT_TRUE(providers().empty());
  auto b = service::bootstrapIfEmpty(app().store(), app().passwords(), {});
  ASSERT_TRUE(b.has_value()) << b.error();
  ASSERT_TRUE(b->created);
  refresh();
  EXPECT_EQ(b->email, service::kDefaultBootstrapEmail);
  ASSERT_FALSE(b->generated_password.empty());
  EXPECT_FALSE(auth::checkPasswordPolicy(b->generated_password).has_value());

  auto ps = providers();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].id, b->provider_id);
  EXPECT_EQ(ps[0].name, "MSP");
  auto as = admins(b->provider_id);
  ASSERT_EQ(as.size(), 1u);
  EXPECT_EQ(as[0].id, b->admin_id);
  EXPECT_EQ(as[0].role_name, "admin_billing");
  EXPECT_EQ(as[0].status, model::AdminStatus::kActive);
  EXPECT_TRUE(as[0].all_organizations);

  // Stored hashed only, and the printed password works: against the hash and at the login.
  auto creds = app().store().query(
      [&](store::Tx& tx) { return tx.getAdminCredentials(model::TenantScope{b->provider_id}, b->admin_id); });
  ASSERT_TRUE(creds.has_value() && creds->password_hash.has_value());
  EXPECT_EQ(creds->password_hash->find(b->generated_password), std::string::npos);
  EXPECT_EQ(creds->password_hash->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(verify(b->provider_id, b->admin_id, b->generated_password), auth::PasswordStatus::kOk);
  auto r = login(b->email, b->generated_password);
  ASSERT_EQ(r.status, 200) << r.body;
  auto token = body(r)["token"].get<std::string>();
  auto me = call("GET", "/api/v2/providers/" + b->provider_id, token);
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(login(b->email, b->generated_password + "x").status, 401);

  // The banner prints it once; the events say the system did it.
  const std::string banner = service::bootstrapBanner(*b);
  EXPECT_NE(banner.find(b->generated_password), std::string::npos);
  std::multiset<std::string> types;
  for (const auto& e : activity(b->provider_id)) {
    if (e.event_type == "admin_login_attempt") continue;
    types.insert(e.event_type);
    EXPECT_EQ(e.initiated_by_type, "system");
    EXPECT_EQ(e.changes_json.find(b->generated_password), std::string::npos);
  }
  EXPECT_EQ(types, (std::multiset<std::string>{"admin_create", "provider_create"}));
}

TEST_P(OpsBootstrapTest, LaterStartsDoNothing) {
  auto first = service::bootstrapIfEmpty(app().store(), app().passwords(), {});
  ASSERT_TRUE(first.has_value() && first->created);
  for (int i = 0; i < 2; ++i) {
    auto again = service::bootstrapIfEmpty(app().store(), app().passwords(), {});
    ASSERT_TRUE(again.has_value()) << again.error();
    EXPECT_FALSE(again->created);
    EXPECT_TRUE(again->generated_password.empty());
    EXPECT_TRUE(service::bootstrapBanner(*again).empty());
  }
  ASSERT_EQ(providers().size(), 1u);
  EXPECT_EQ(admins(first->provider_id).size(), 1u);
}

TEST_P(OpsBootstrapTest, ADatabaseWithAProviderIsNotBootstrapped) {
  createProvider("Existing MSP");
  auto b = service::bootstrapIfEmpty(app().store(), app().passwords(), {});
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->created);
  EXPECT_EQ(providers().size(), 1u);
}

TEST_P(OpsBootstrapTest, EnvironmentPasswordIsUsedAndChecked) {
  service::BootstrapInput weak{"MSP", "ops@msp.example", "short"};
  auto refused = service::bootstrapIfEmpty(app().store(), app().passwords(), weak);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("MTP_BOOTSTRAP_PASSWORD"), std::string::npos);
  EXPECT_EQ(refused.error().find("short"), std::string::npos);  // the password is not echoed
  EXPECT_TRUE(providers().empty());

  service::BootstrapInput good{"MSP", "ops@msp.example", "a long enough passphrase"};
  auto b = service::bootstrapIfEmpty(app().store(), app().passwords(), good);
  ASSERT_TRUE(b.has_value()) << b.error();
  ASSERT_TRUE(b->created);
  refresh();
  EXPECT_TRUE(b->generated_password.empty());
  EXPECT_EQ(service::bootstrapBanner(*b).find(good.password), std::string::npos);
  EXPECT_EQ(login("ops@msp.example", good.password).status, 200);
}

TEST_P(OpsBootstrapTest, DemoSeedsOneAdminPerBuiltInRole) {
  auto d = service::seedDemo(app().store(), app().passwords());
  ASSERT_TRUE(d.has_value()) << d.error();
  ASSERT_TRUE(d->created);
  refresh();
  auto ps = providers();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].name, "Demo MSP");

  model::ListQuery q;
  q.limit = 100;
  auto orgs = app().store().query([&](store::Tx& tx) {
    return tx.listOrganizations(model::TenantScope{d->provider_id}, model::OrgReach::everything(), q);
  });
  ASSERT_TRUE(orgs.has_value());
  ASSERT_EQ(orgs->results.size(), 4u);
  int frozen = 0;
  for (const auto& o : orgs->results)
    for (const auto& t : o.tags) frozen += t == "change-freeze";
  EXPECT_EQ(frozen, 1);

  const std::set<std::string> roles = {"admin_billing", "admin", "manager", "help_desk", "command_runner",
                                       "command_runner_billing", "read_only", "billing_only"};
  auto as = admins(d->provider_id);
  ASSERT_EQ(as.size(), 8u);
  std::map<std::string, model::AdminRecord> by_role;
  for (const auto& a : as) by_role[a.role_name] = a;
  ASSERT_EQ(by_role.size(), 8u);
  int mfa = 0;
  for (const auto& r : roles) {
    ASSERT_TRUE(by_role.count(r)) << r;
    const auto& a = by_role[r];
    EXPECT_EQ(a.status, model::AdminStatus::kActive) << r;
    const bool granted = r == "help_desk" || r == "manager";
    EXPECT_EQ(a.all_organizations, !granted) << r;
    if (granted) {
      EXPECT_EQ(a.organization_access_total, 2) << r;
    }
    mfa += a.enable_multi_factor;
  }
  EXPECT_EQ(mfa, 1);

  // Every printed login is the stored password; one logs in for real.
  ASSERT_EQ(d->logins.size(), 8u);
  for (const auto& l : d->logins) {
    const auto& a = by_role[l.role];
    EXPECT_EQ(a.email, l.email);
    EXPECT_EQ(verify(d->provider_id, a.id, l.password), auth::PasswordStatus::kOk) << l.role;
    EXPECT_EQ(l.mfa_required, a.enable_multi_factor);
  }
  const auto banner = service::demoBanner(*d, "http://127.0.0.1:8080");
  for (const auto& l : d->logins) EXPECT_NE(banner.find(l.password), std::string::npos);
  EXPECT_NE(banner.find("MFA required"), std::string::npos);
  EXPECT_NE(banner.find("curl"), std::string::npos);
  const auto& reader = d->logins[6];
  ASSERT_EQ(reader.role, "read_only");
  auto r = login(reader.email, reader.password);
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = call("GET", "/api/v2/providers/" + d->provider_id + "/organizations", body(r)["token"].get<std::string>());
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(body(list)["totalCount"], 4);

  // Seeding again writes nothing and cannot show passwords any more.
  auto again = service::seedDemo(app().store(), app().passwords());
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->created);
  EXPECT_TRUE(again->already_seeded);
  EXPECT_TRUE(again->logins.empty());
  EXPECT_NE(service::demoBanner(*again, "http://x").find("hashed only"), std::string::npos);
  EXPECT_EQ(admins(d->provider_id).size(), 8u);
}

TEST_P(OpsBootstrapTest, ProviderCreateAddsASecondProviderWithItsOwner) {
  auto first = service::bootstrapIfEmpty(app().store(), app().passwords(), {});
  ASSERT_TRUE(first.has_value() && first->created);
  service::ProviderOwnerSpec spec;
  spec.provider_name = "Second MSP";
  spec.owner_email = "boss@second.example";
  spec.owner_password = "second msp passphrase";
  auto made = service::createProviderWithOwner(app().store(), app().passwords(), spec);
  ASSERT_TRUE(made.has_value()) << made.error();
  ASSERT_TRUE(made->created);
  refresh();
  EXPECT_NE(made->provider_id, first->provider_id);
  EXPECT_EQ(providers().size(), 2u);
  auto as = admins(made->provider_id);
  ASSERT_EQ(as.size(), 1u);
  EXPECT_EQ(as[0].email, spec.owner_email);
  EXPECT_EQ(as[0].role_name, "admin_billing");
  auto r = login(spec.owner_email, spec.owner_password);
  ASSERT_EQ(r.status, 200) << r.body;
  // The new owner reaches its own provider, not the first one (404 like a missing one).
  const auto token = body(r)["token"].get<std::string>();
  EXPECT_EQ(call("GET", "/api/v2/providers/" + made->provider_id, token).status, 200);
  EXPECT_EQ(call("GET", "/api/v2/providers/" + first->provider_id, token).status, 404);

  // Bad input is refused without writing anything.
  spec.owner_password = "short";
  EXPECT_FALSE(service::createProviderWithOwner(app().store(), app().passwords(), spec).has_value());
  spec.owner_password = "another good passphrase";
  spec.owner_email = "not-an-address";
  EXPECT_FALSE(service::createProviderWithOwner(app().store(), app().passwords(), spec).has_value());
  EXPECT_EQ(providers().size(), 2u);
}

TEST_P(OpsBootstrapTest, GeneratedPasswordsDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto p = service::generatePassword();
    EXPECT_EQ(p.size(), 23u);
    EXPECT_FALSE(auth::checkPasswordPolicy(p).has_value());
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 50u);
}

MTP_SERVICE_BACKENDS(OpsBootstrapTest);

}  // namespace
}  // namespace mtp::testing
