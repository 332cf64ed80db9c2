// A whole mtpd on loopback port 0 for service tests, on SQLite or on the PostgreSQL that
// scripts/test.sh starts (MTP_TEST_PG), with a clock the test controls, seeding helpers that
// write straight to the store, and real session tokens (JWTs backed by store sessions).
//
//   class OrgsTest : public mtp::testing::ServiceTest {};
//   TEST_P(OrgsTest, Lists) { auto p = createProvider("A"); ... call("GET", path, token) ... }
//   MTP_SERVICE_BACKENDS(OrgsTest);
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http_client.h"
#include "main/mtpd.h"

namespace mtp::testing {

using mtp::test::Headers;
using mtp::test::HttpClient;
using mtp::test::HttpResponse;

struct SeedGrant {
  std::string org;
  std::string role;  // empty: the default role
  std::optional<std::int64_t> expires_at;
};

struct SeedAdmin {
  std::string role = "admin_billing";
  bool all_organizations = false;
  std::vector<SeedGrant> organizations;
  bool enable_multi_factor = false;
  bool api_key_allowed = false;
  std::string status = "active";
  std::string email;     // empty: a unique one @msp.example
  std::string password;  // empty: none set (tokens are minted directly)
};

struct SeededAdmin {
  std::string id;
  std::string provider;
  std::string email;
  std::string password;
  std::string token;  // a full session with MFA verified
};

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Called just before mtpd starts, for a suite that needs more options (e.g. the web UI).
  virtual void configure(service::MtpdOptions&) {}

  service::Mtpd& mtpd() { return *mtpd_; }
  app::AppContext& app() { return mtpd_->app(); }
  std::uint16_t port() const { return mtpd_->port(); }
  bool postgres() const { return GetParam() == "postgresql"; }
  // The URL of this test's database (for tools run against it, such as mtpctl).
  const std::string& databaseUrl() const { return db_url_; }

  // The service clock (seconds since the epoch); starts at the real time (cpp-jwt checks
  // `exp` against the system clock too) and only moves forward.
  std::int64_t now() const { return now_.load(); }
  void advance(std::int64_t seconds) { now_ += seconds; }

  // --- seeding, straight into the store (then the engine's directory is refreshed)
  std::string createProvider(const std::string& name, bool require_admin_mfa = false);
  std::string createOrg(const std::string& provider, const std::string& name,
                        std::vector<std::string> tags = {});
  SeededAdmin createAdmin(const std::string& provider, const SeedAdmin& spec);
  // A real session token for an existing admin.
  std::string mintToken(const std::string& provider, const std::string& admin_id, bool mfa = true);
  void refresh();

  // --- HTTP
  HttpResponse call(const std::string& method, const std::string& path, const std::string& token = "",
                    const std::string& json_body = "", Headers extra = {});
  HttpResponse callWithKey(const std::string& method, const std::string& path, const std::string& api_key,
                           const std::string& json_body = "", Headers extra = {});
  static nlohmann::json body(const HttpResponse& r);

  // Every activity event of a provider, newest first.
  std::vector<model::ActivityRecord> activity(const std::string& provider);

 private:
  std::string dbUrl();
  std::filesystem::path dir_;
  std::string pg_base_, pg_schema_;
  std::string db_url_;
  std::atomic<std::int64_t> now_{service::systemNow()};
  std::unique_ptr<service::Mtpd> mtpd_;
  int seq_ = 0;
};

// Both backends; PostgreSQL is skipped (with a message) when MTP_TEST_PG is not set.
#define MTP_SERVICE_BACKENDS(Suite)                                                       \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgresql"),   \
                           [](const ::testing::TestParamInfo<std::string>& i) { return i.param; })

}  // namespace mtp::testing
