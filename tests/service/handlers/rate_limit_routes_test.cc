// Issue 10 item 4 over real HTTP on loopback: a whole mtpd with tight limits answers 429
// too_many_requests with Retry-After per client IP and per account on the admin and org user
// sign-ins, the password change and the agent's register, before any password work, while
// other clients and /healthz are unaffected. Distinct client IPs come from X-Forwarded-For
// (the test's mtpd trusts loopback as its proxy); every byte goes to 127.0.0.1.
#include <nlohmann/json.hpp>

#include "auth/random.h"
#include "main/bootstrap.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

constexpr const char* kOwnerPassword = "correct horse battery staple";

std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? d : std::filesystem::current_path();
}

class RateLimitRoutesTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();  // the fixture's database: this test's own mtpd shares it
    if (IsSkipped()) return;
    dir_ = std::filesystem::temp_directory_path() / ("mtp-limits-" + auth::randomHex(6));
    std::filesystem::create_directories(dir_);
    service::MtpdOptions o;
    o.db = databaseUrl();
    o.listen = "127.0.0.1:0";
    o.threads = 2;
    o.policies = (sourceDir() / "policies" / "builtin").string();
    o.jwt_key_file = (dir_ / "jwt.key").string();
    o.trusted_proxies = {"127.0.0.1/32"};
    o.rate_limits.sign_in_ip = {3, 0.01};
    o.rate_limits.sign_in_account = {2, 0.01};
    o.rate_limits.agent_register_ip = {2, 0.01};
    auto m = service::Mtpd::start(o);
    ASSERT_TRUE(m.has_value()) << m.error();
    limited_ = std::move(*m);
    auto made = service::createProviderWithOwner(limited_->store(), limited_->app().passwords(),
                                                 {"MSP", "owner@msp.example", kOwnerPassword});
    ASSERT_TRUE(made.has_value()) << made.error();
    provider_ = made->provider_id;
    ASSERT_TRUE(limited_->app().refreshDirectory().has_value());
  }
  void TearDown() override {
    if (limited_) limited_->stop();
    limited_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    ServiceTest::TearDown();
  }
  HttpResponse post(const std::string& path, const json& b, const std::string& ip, const std::string& token = "") {
    HttpClient c(limited_->port());
    Headers h{{"X-Forwarded-For", ip}};
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    return c.json("POST", path, b.dump(), h);
  }
  HttpResponse adminLogin(const std::string& email, const std::string& password, const std::string& ip) {
    return post("/api/v2/auth/login", {{"email", email}, {"password", password}}, ip);
  }
  static void expectLimited(const HttpResponse& r) {
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(body(r)["error"]["code"], "too_many_requests") << r.body;
    EXPECT_FALSE(r.header("retry-after").empty());
    EXPECT_GE(std::atoi(r.header("retry-after").c_str()), 1);
  }

  std::filesystem::path dir_;
  std::unique_ptr<service::Mtpd> limited_;
  std::string provider_;
};

TEST_P(RateLimitRoutesTest, AdminSignInIsLimitedPerClientIp) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(adminLogin("nobody" + std::to_string(i) + "@x.example", "some wrong password", "203.0.113.7").status, 401);
  expectLimited(adminLogin("nobody9@x.example", "some wrong password", "203.0.113.7"));
  // Even the right password waits: the limit is decided before the password is looked at.
  expectLimited(adminLogin("owner@msp.example", kOwnerPassword, "203.0.113.7"));
  // Another client is not limited, and the service stays alive for everyone.
  EXPECT_EQ(adminLogin("owner@msp.example", kOwnerPassword, "203.0.113.8").status, 200);
  HttpClient c(limited_->port());
  EXPECT_EQ(c.request("GET", "/healthz").status, 200);
}

TEST_P(RateLimitRoutesTest, AdminSignInIsLimitedPerAccountAcrossIps) {
  EXPECT_EQ(adminLogin("owner@msp.example", "wrong guess one", "198.51.100.1").status, 401);
  EXPECT_EQ(adminLogin("OWNER@msp.example", "wrong guess two", "198.51.100.2").status, 401);
  expectLimited(adminLogin("owner@msp.example", "wrong guess three", "198.51.100.3"));
  EXPECT_EQ(adminLogin("other@msp.example", "wrong guess four", "198.51.100.4").status, 401);
}

TEST_P(RateLimitRoutesTest, OrgUserSignInPasswordChangeAndAgentRegisterAreLimited) {
  for (int i = 0; i < 3; ++i) {
    auto r = post("/api/v1/users/login",
                  {{"organization", "org" + std::to_string(i)}, {"username", "u"}, {"password", "wrong password x"}},
                  "192.0.2.10");
    EXPECT_EQ(r.status, 401) << r.body;
  }
  expectLimited(post("/api/v1/users/login", {{"organization", "o"}, {"username", "u"}, {"password", "p"}}, "192.0.2.10"));

  auto signed_in = adminLogin("owner@msp.example", kOwnerPassword, "192.0.2.20");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string token = body(signed_in)["token"];
  auto change = [&](const std::string& ip) {
    HttpClient c(limited_->port());
    return c.json("PUT", "/api/v2/me/password",
                  json{{"currentPassword", "not the password"}, {"newPassword", "another long passphrase 42"}}.dump(),
                  {{"X-Forwarded-For", ip}, {"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(change("192.0.2.21").status, 400);
  EXPECT_EQ(change("192.0.2.22").status, 400);
  expectLimited(change("192.0.2.23"));  // the admin's own bucket, whatever the IP

  EXPECT_NE(post("/api/agent/v1/register", json::object(), "192.0.2.30").status, 429);
  EXPECT_NE(post("/api/agent/v1/register", json::object(), "192.0.2.30").status, 429);
  expectLimited(post("/api/agent/v1/register", json::object(), "192.0.2.30"));
}

MTP_SERVICE_BACKENDS(RateLimitRoutesTest);

}  // namespace
}  // namespace mtp::testing
