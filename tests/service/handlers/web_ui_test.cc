// The web UI served by mtpd (http/static_files.h) and the browser's cookie session
// (http/browser_session.h), over real HTTP on loopback, on both backends: files and client
// routes with the strict CSP, no traversal, the API untouched; sign-in into an HttpOnly
// SameSite=Strict cookie, the CSRF header demanded of state changes, logout clearing it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

namespace fs = std::filesystem;

void writeFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class WebUiTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    web_ = fs::temp_directory_path() / ("mtp-web-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    writeFile(web_ / "index.html", "<!doctype html><html lang=\"en\"><title>MTP</title></html>");
    writeFile(web_ / "assets" / "index-abc123.js", "console.log('ui')");
    writeFile(web_ / "assets" / "font-x.woff2", std::string("wOF2\0\1", 6));
    writeFile(web_ / "favicon.svg", "<svg/>");
    writeFile(web_.parent_path() / "mtp-web-secret.txt", "outside the web folder");
    o.web_dir = web_.string();
    o.cookie_secure = secure_;
  }
  void TearDown() override {
    ServiceTest::TearDown();
    std::error_code ec;
    fs::remove_all(web_, ec);
  }

  // Signs in as a fresh admin_billing with a password, asking for the cookie.
  std::string cookieLogin(HttpResponse* out = nullptr) {
    provider_ = createProvider("Web MSP");
    SeedAdmin spec;
    spec.all_organizations = true;
    spec.password = "correct horse battery staple";
    admin_ = createAdmin(provider_, spec);
    auto r = call("POST", "/api/v2/auth/login", "",
                  nlohmann::json{{"email", admin_.email}, {"password", spec.password}}.dump(),
                  {{"X-MTP-Session", "cookie"}});
    if (out) *out = r;
    const std::string sc = r.header("set-cookie");
    const auto eq = sc.find('=');
    const auto semi = sc.find(';');
    if (sc.rfind("mtp_session=", 0) != 0 || semi == std::string::npos) return "";
    return sc.substr(eq + 1, semi - eq - 1);
  }

  fs::path web_;
  bool secure_ = false;
  std::string provider_;
  SeededAdmin admin_;
};

TEST_P(WebUiTest, ServesIndexForClientRoutesWithTheStrictCsp) {
  for (const std::string path : {"/", "/organizations", "/administrators/abc?x=1", "/activate?token=t", "/org/123"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.body.find("<title>MTP</title>"), std::string::npos) << path;
    EXPECT_EQ(r.header("content-type").rfind("text/html", 0), 0u) << path;
    const std::string csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
    EXPECT_EQ(r.header("cache-control"), "no-cache");
  }
}

TEST_P(WebUiTest, AssetsAreImmutableAndAMissingAssetIsNotHtml) {
  auto js = call("GET", "/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('ui')");
  EXPECT_EQ(js.header("content-type").rfind("application/javascript", 0), 0u);
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
  auto font = call("GET", "/assets/font-x.woff2");
  EXPECT_EQ(font.status, 200);
  EXPECT_EQ(font.body.size(), 6u);
  auto missing = call("GET", "/assets/index-old.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("<html"), std::string::npos);
  auto head = call("HEAD", "/favicon.svg");
  EXPECT_EQ(head.status, 200);
}

TEST_P(WebUiTest, NoPathEscapesTheWebFolder) {
  for (const std::string path : {"/../mtp-web-secret.txt", "/%2e%2e/mtp-web-secret.txt", "/assets/../../mtp-web-secret.txt",
                                 "/..%2fmtp-web-secret.txt", "//etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.body.find("outside the web folder"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
    EXPECT_TRUE(r.status == 200 || r.status == 404 || r.status == 400) << path << " " << r.status;
  }
}

TEST_P(WebUiTest, TheApiAndOperationsRoutesStayTheApi) {
  auto unknown = call("GET", "/api/v2/no-such-thing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body(unknown)["error"]["code"], "not_found");
  auto bare = call("GET", "/api");
  EXPECT_EQ(bare.status, 404);
  EXPECT_EQ(body(bare)["error"]["code"], "not_found");
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  EXPECT_NE(call("GET", "/metrics").body.find("# TYPE"), std::string::npos);
  // A method the UI does not serve on a client route is not answered with index.html.
  auto post = call("POST", "/organizations", "", "{}");
  EXPECT_EQ(post.status, 404);
  EXPECT_EQ(post.body.find("<html"), std::string::npos);
}

TEST_P(WebUiTest, CookieLoginSetsAnHttpOnlyStrictCookieAndNoTokenInTheBody) {
  HttpResponse r;
  const std::string cookie = cookieLogin(&r);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(cookie.empty()) << r.header("set-cookie");
  const std::string sc = r.header("set-cookie");
  EXPECT_NE(sc.find("HttpOnly"), std::string::npos) << sc;
  EXPECT_NE(sc.find("SameSite=Strict"), std::string::npos) << sc;
  EXPECT_NE(sc.find("Path=/api/"), std::string::npos) << sc;
  EXPECT_EQ(sc.find("Secure"), std::string::npos) << sc;
  auto j = body(r);
  EXPECT_FALSE(j.contains("token")) << r.body;
  EXPECT_EQ(j["session"], "cookie");
  EXPECT_EQ(j["scope"], "full");
  EXPECT_EQ(r.body.find(cookie), std::string::npos);

  auto me = call("GET", "/api/v2/me", "", "", {{"Cookie", "mtp_session=" + cookie}});
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me)["email"], admin_.email);

  // Without the opt-in header the answer is the bearer token as before, and no cookie.
  auto plain = call("POST", "/api/v2/auth/login", "",
                    nlohmann::json{{"email", admin_.email}, {"password", "correct horse battery staple"}}.dump());
  EXPECT_EQ(plain.status, 200);
  EXPECT_TRUE(body(plain)["token"].is_string());
  EXPECT_EQ(plain.header("set-cookie"), "");
}

TEST_P(WebUiTest, ACookieRequestThatChangesStateNeedsTheCsrfHeader) {
  const std::string cookie = cookieLogin();
  ASSERT_FALSE(cookie.empty());
  const Headers jar = {{"Cookie", "mtp_session=" + cookie}};
  const std::string path = "/api/v2/providers/" + provider_ + "/organizations";
  auto refused = call("POST", path, "", R"({"name":"Forged Corp"})", jar);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(body(refused)["error"]["code"], "permission_denied");
  EXPECT_NE(body(refused)["error"]["message"].get<std::string>().find("X-Requested-With"), std::string::npos);
  auto wrong = call("POST", path, "", R"({"name":"Forged Corp"})", {jar[0], {"X-Requested-With", "XMLHttpRequest"}});
  EXPECT_EQ(wrong.status, 403);
  auto list = call("GET", path + "?limit=100", "", "", jar);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("Forged Corp"), std::string::npos) << "nothing ran";

  auto ok = call("POST", path, "", R"({"name":"Real Corp"})", {jar[0], {"X-Requested-With", "mtp"}});
  EXPECT_EQ(ok.status, 201) << ok.body;

  // Scripts: a bearer token needs no such header, and wins over a cookie.
  auto bearer = call("POST", path, admin_.token, R"({"name":"Script Corp"})");
  EXPECT_EQ(bearer.status, 201) << bearer.body;
  auto both = call("POST", path, admin_.token, R"({"name":"Both Corp"})", {{"Cookie", "mtp_session=garbage"}});
  EXPECT_EQ(both.status, 201) << both.body;
}

TEST_P(WebUiTest, LogoutClearsTheCookieAndRevokesTheSession) {
  const std::string cookie = cookieLogin();
  ASSERT_FALSE(cookie.empty());
  auto out = call("POST", "/api/v2/auth/logout", "", "", {{"Cookie", "mtp_session=" + cookie}, {"X-Requested-With", "mtp"}});
  EXPECT_EQ(out.status, 204) << out.body;
  const std::string sc = out.header("set-cookie");
  EXPECT_EQ(sc.rfind("mtp_session=;", 0), 0u) << sc;
  EXPECT_NE(sc.find("Max-Age=0"), std::string::npos) << sc;
  auto me = call("GET", "/api/v2/me", "", "", {{"Cookie", "mtp_session=" + cookie}});
  EXPECT_EQ(me.status, 401);
}

TEST_P(WebUiTest, LaunchByCookieGoesIntoTheLaunchCookieForTheOrgConsole) {
  const std::string cookie = cookieLogin();
  ASSERT_FALSE(cookie.empty());
  const std::string org = createOrg(provider_, "Console Corp");
  const std::string other = createOrg(provider_, "Other Corp");
  auto launch = call("POST", "/api/v2/providers/" + provider_ + "/organizations/" + org + "/launch", "", "",
                     {{"Cookie", "mtp_session=" + cookie}, {"X-Requested-With", "mtp"}});
  ASSERT_EQ(launch.status, 200) << launch.body;
  EXPECT_FALSE(body(launch).contains("token"));
  const std::string sc = launch.header("set-cookie");
  ASSERT_EQ(sc.rfind("mtp_launch=", 0), 0u) << sc;
  EXPECT_NE(sc.find("HttpOnly"), std::string::npos);
  const std::string launch_cookie = sc.substr(11, sc.find(';') - 11);
  const Headers console = {{"Cookie", "mtp_session=" + cookie + "; mtp_launch=" + launch_cookie},
                           {"X-MTP-Console", "org"}};
  auto users = call("GET", "/api/systemusers", "", "", {console[0], console[1], {"x-org-id", org}});
  EXPECT_EQ(users.status, 200) << users.body;
  auto elsewhere = call("GET", "/api/systemusers", "", "", {console[0], console[1], {"x-org-id", other}});
  EXPECT_EQ(elsewhere.status, 404) << "the launch session reaches its one org only";
  // The org console cannot fall back to the full session when its launch cookie is missing.
  auto missing = call("GET", "/api/systemusers", "", "", {{"Cookie", "mtp_session=" + cookie}, console[1], {"x-org-id", org}});
  EXPECT_EQ(missing.status, 401);
}

MTP_SERVICE_BACKENDS(WebUiTest);

class WebSecureCookieTest : public WebUiTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    secure_ = true;
    WebUiTest::configure(o);
  }
};

TEST_P(WebSecureCookieTest, CookieSecureAddsSecure) {
  HttpResponse r;
  ASSERT_FALSE(cookieLogin(&r).empty());
  EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos) << r.header("set-cookie");
}

MTP_SERVICE_BACKENDS(WebSecureCookieTest);

}  // namespace
}  // namespace mtp::testing
