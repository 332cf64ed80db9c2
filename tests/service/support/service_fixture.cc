#include "service_fixture.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <random>

#include "auth/random.h"

namespace mtp::testing {
namespace {

std::string unique() { return "t" + auth::randomHex(6); }

bool pqExec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : std::filesystem::current_path();
}

}  // namespace

std::string ServiceTest::dbUrl() {
  if (!postgres()) return "sqlite:" + (dir_ / "mtp.db").string();
  pg_schema_ = unique();
  EXPECT_TRUE(pqExec(pg_base_, "CREATE SCHEMA " + pg_schema_));
  const std::string sep = pg_base_.find('?') == std::string::npos ? "?" : "&";
  return pg_base_ + sep + "options=-c%20search_path%3D" + pg_schema_;
}

void ServiceTest::SetUp() {
  if (postgres()) {
    const char* env = std::getenv("MTP_TEST_PG");
    if (!env || !*env) GTEST_SKIP() << "MTP_TEST_PG is not set: PostgreSQL skipped (scripts/test.sh sets it)";
    pg_base_ = env;
  }
  dir_ = std::filesystem::temp_directory_path() / ("mtpd-test-" + unique());
  std::filesystem::create_directories(dir_);
  service::MtpdOptions o;
  o.db = db_url_ = dbUrl();
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  o.policies = (sourceDir() / "policies" / "builtin").string();
  o.jwt_key_file = (dir_ / "jwt.key").string();
  o.clock = [this] { return now_.load(); };
  configure(o);
  auto m = service::Mtpd::start(o);
  ASSERT_TRUE(m.has_value()) << m.error();
  mtpd_ = std::move(*m);
}

void ServiceTest::TearDown() {
  if (mtpd_) mtpd_->stop();
  mtpd_.reset();
  if (!pg_schema_.empty()) pqExec(pg_base_, "DROP SCHEMA " + pg_schema_ + " CASCADE");
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

void ServiceTest::refresh() {
  auto r = app().refreshDirectory();
  ASSERT_TRUE(r.has_value()) << r.error().message;
}

std::string ServiceTest::createProvider(const std::string& name, bool require_admin_mfa) {
  const std::string id = auth::newId();
  model::ProviderRecord p{id, name, require_admin_mfa, 0, 0};
  auto r = app().store().transact([&](store::Tx& tx) { return tx.createProvider(model::TenantScope{id}, p); });
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  refresh();
  return id;
}

std::string ServiceTest::createOrg(const std::string& provider, const std::string& name,
                                   std::vector<std::string> tags) {
  model::OrganizationRecord o;
  o.provider_id = provider;
  o.name = name;
  o.tags = std::move(tags);
  auto id = app().store().transact([&](store::Tx& tx) { return tx.createOrganization(model::TenantScope{provider}, o); });
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
  refresh();
  return id.value_or("");
}

SeededAdmin ServiceTest::createAdmin(const std::string& provider, const SeedAdmin& spec) {
  SeededAdmin out;
  out.provider = provider;
  out.email = spec.email.empty() ? spec.role + "-" + std::to_string(++seq_) + "-" + unique() + "@msp.example" : spec.email;
  out.password = spec.password;
  model::AdminRecord a;
  a.provider_id = provider;
  a.email = out.email;
  a.firstname = "Test";
  a.lastname = spec.role;
  a.role_name = spec.role;
  a.status = spec.status == "active" ? model::AdminStatus::kActive
             : spec.status == "pending" ? model::AdminStatus::kPending
                                        : model::AdminStatus::kSuspended;
  a.enable_multi_factor = spec.enable_multi_factor;
  a.api_key_allowed = spec.api_key_allowed;
  a.all_organizations = spec.all_organizations;
  std::optional<std::string> hash;
  if (!spec.password.empty()) {
    auto h = app().passwords().hash(spec.password);
    EXPECT_TRUE(h.has_value());
    if (h) hash = *h;
  }
  const model::TenantScope scope{provider};
  auto id = app().store().transact([&](store::Tx& tx) -> Result<std::string> {
    auto created = tx.createAdmin(scope, a, hash);
    if (!created) return created;
    for (const auto& g : spec.organizations) {
      auto put = tx.putGrant(scope, model::GrantRecord{*created, g.org, g.role, g.expires_at, 0});
      if (!put) return fail(put.error());
    }
    return created;
  });
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
  out.id = id.value_or("");
  refresh();
  if (a.status == model::AdminStatus::kActive) out.token = mintToken(provider, out.id, true);
  return out;
}

std::string ServiceTest::mintToken(const std::string& provider, const std::string& admin_id, bool mfa) {
  auth::TokenClaims c;
  c.admin_id = admin_id;
  c.provider_id = provider;
  c.jti = auth::newId();
  c.mfa = mfa;
  c.iat = now();
  c.exp = now() + 3600;
  model::SessionRecord s{c.jti, provider, admin_id, model::SessionKind::kFull, "", mfa, c.iat, c.exp, std::nullopt};
  auto r = app().store().transact([&](store::Tx& tx) { return tx.createSession(model::TenantScope{provider}, s); });
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return app().tokens().issue(c);
}

HttpResponse ServiceTest::call(const std::string& method, const std::string& path, const std::string& token,
                               const std::string& json_body, Headers extra) {
  HttpClient client(port());
  if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + token);
  if (!json_body.empty()) return client.json(method, path, json_body, extra);
  return client.request(method, path, extra);
}

HttpResponse ServiceTest::callWithKey(const std::string& method, const std::string& path,
                                      const std::string& api_key, const std::string& json_body, Headers extra) {
  extra.emplace_back("x-api-key", api_key);
  return call(method, path, "", json_body, std::move(extra));
}

nlohmann::json ServiceTest::body(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::vector<model::ActivityRecord> ServiceTest::activity(const std::string& provider) {
  model::ActivityQuery q;
  q.limit = 1000;
  auto r = app().store().query([&](store::Tx& tx) { return tx.listActivity(model::TenantScope{provider}, q); });
  EXPECT_TRUE(r.has_value());
  return r.value_or(std::vector<model::ActivityRecord>{});
}

}  // namespace mtp::testing
