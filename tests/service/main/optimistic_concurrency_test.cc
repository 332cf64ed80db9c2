// Issue 11 item 1: ETag / If-Match on every resource with PUT or DELETE (orgs, users,
// administrators), on both backends: the GET and the PUT answer carry the strong ETag
// "<version>", a stale If-Match answers 412 precondition_failed and writes nothing (no event),
// `*` or no If-Match writes as before, and two concurrent PUTs with the same If-Match give
// exactly one 200 and one 412.
#include <gtest/gtest.h>

#include <thread>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class OptimisticConcurrencyTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFailure() || IsSkipped()) return;
    p = createProvider("MSP");
    o = createOrg(p, "Org One");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  }
  std::string org() const { return "/api/v2/providers/" + p + "/organizations/" + o; }
  std::string admin(const std::string& id) const { return "/api/v2/providers/" + p + "/administrators/" + id; }
  int events(const std::string& type) {
    int n = 0;
    for (const auto& e : activity(p)) n += e.event_type == type;
    return n;
  }
  std::string p, o;
  SeededAdmin owner;
};

TEST_P(OptimisticConcurrencyTest, OrgEtagIfMatchAnd412) {
  auto r = call("GET", org(), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string etag = r.header("etag");
  ASSERT_EQ(etag, "\"1\"");
  EXPECT_EQ(body(r)["version"], 1);

  // A matching If-Match writes and answers the new ETag.
  r = call("PUT", org(), owner.token, R"({"name":"Renamed"})", {{"If-Match", etag}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("etag"), "\"2\"");
  EXPECT_EQ(body(r)["version"], 2);
  EXPECT_EQ(events("organization_update"), 1);

  // The stale one: 412, nothing written, no event.
  r = call("PUT", org(), owner.token, R"({"name":"Stale"})", {{"If-Match", etag}});
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "precondition_failed");
  EXPECT_EQ(body(call("GET", org(), owner.token))["name"], "Renamed");
  EXPECT_EQ(events("organization_update"), 1);
  // Weak or malformed tags never match; a list matches when one of its tags does.
  EXPECT_EQ(call("PUT", org(), owner.token, R"({"name":"W"})", {{"If-Match", "W/\"2\""}}).status, 412);
  EXPECT_EQ(call("PUT", org(), owner.token, R"({"name":"X"})", {{"If-Match", "2"}}).status, 412);
  r = call("PUT", org(), owner.token, R"({"name":"Listed"})", {{"If-Match", "\"7\", \"2\""}});
  EXPECT_EQ(r.status, 200) << r.body;
  // `*` and none: as before.
  EXPECT_EQ(call("PUT", org(), owner.token, R"({"name":"Star"})", {{"If-Match", "*"}}).status, 200);
  r = call("PUT", org(), owner.token, R"({"tags":["a"]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("etag"), "\"5\"");
  // The list shows the version too.
  auto list = body(call("GET", "/api/v2/providers/" + p + "/organizations", owner.token));
  EXPECT_EQ(list["results"][0]["version"], 5) << list.dump();

  // The logo is part of the org: If-Match on its PUT, and a new logo is a new version.
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(16, '\0');
  EXPECT_EQ(call("PUT", org() + "/logo", owner.token, png, {{"If-Match", "\"4\""}}).status, 412);
  EXPECT_EQ(call("PUT", org() + "/logo", owner.token, png, {{"If-Match", "\"5\""}}).status, 204);
  EXPECT_EQ(call("GET", org(), owner.token).header("etag"), "\"6\"");

  // DELETE: a stale If-Match keeps the org; the current one deletes it.
  r = call("DELETE", org(), owner.token, "", {{"If-Match", "\"5\""}});
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(call("GET", org(), owner.token).status, 200);
  EXPECT_EQ(call("DELETE", org(), owner.token, "", {{"If-Match", "\"6\""}}).status, 204);
}

TEST_P(OptimisticConcurrencyTest, UserEtagIfMatchAnd412) {
  const Headers in_org = {{"x-org-id", o}};
  auto r = call("POST", "/api/systemusers", owner.token, R"({"username":"alice"})", in_org);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string user = "/api/systemusers/" + body(r)["id"].get<std::string>();
  r = call("GET", user, owner.token, "", in_org);
  ASSERT_EQ(r.status, 200);
  const std::string etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  Headers h = in_org;
  h.emplace_back("If-Match", etag);
  r = call("PUT", user, owner.token, R"({"firstname":"Alice"})", h);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("etag"), etag);
  r = call("PUT", user, owner.token, R"({"lastname":"Stale"})", h);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(body(call("GET", user, owner.token, "", in_org))["lastname"], "");
  EXPECT_EQ(call("DELETE", user, owner.token, "", h).status, 412);
  EXPECT_EQ(events("user_delete"), 0);
}

TEST_P(OptimisticConcurrencyTest, AdminEtagIfMatchAnd412) {
  auto target = createAdmin(p, SeedAdmin{.role = "help_desk", .all_organizations = true});
  auto r = call("GET", admin(target.id), owner.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  r = call("PUT", admin(target.id), owner.token, R"({"firstname":"Tess"})", {{"If-Match", etag}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string next = r.header("etag");
  EXPECT_NE(next, etag);
  r = call("PUT", admin(target.id), owner.token, R"({"lastname":"Stale"})", {{"If-Match", etag}});
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(body(r)["error"]["code"], "precondition_failed");
  EXPECT_EQ(events("admin_update"), 1);
  EXPECT_EQ(call("DELETE", admin(target.id), owner.token, "", {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(call("DELETE", admin(target.id), owner.token, "", {{"If-Match", next}}).status, 204);
}

// Two PUTs on different fields with the same If-Match, at once, many rounds: exactly one
// 200 and one 412 each round, and the winner's change is the one kept.
TEST_P(OptimisticConcurrencyTest, ConcurrentPutsWithTheSameIfMatchOneWins) {
  for (int round = 0; round < 10; ++round) {
    auto r = call("GET", org(), owner.token);
    ASSERT_EQ(r.status, 200);
    const std::string etag = r.header("etag");
    HttpResponse a, b;
    const std::string cap = json{{"maxSystemUsers", 100 + round}}.dump();
    const std::string tags = json{{"tags", {"round" + std::to_string(round)}}}.dump();
    std::thread ta([&] { a = call("PUT", org(), owner.token, cap, {{"If-Match", etag}}); });
    std::thread tb([&] { b = call("PUT", org(), owner.token, tags, {{"If-Match", etag}}); });
    ta.join();
    tb.join();
    ASSERT_TRUE((a.status == 200 && b.status == 412) || (a.status == 412 && b.status == 200))
        << "round " << round << ": " << a.status << " " << a.body << " / " << b.status << " " << b.body;
    auto now = body(call("GET", org(), owner.token));
    if (a.status == 200) {
      EXPECT_EQ(now["maxSystemUsers"], 100 + round);
    } else {
      EXPECT_EQ(now["tags"], json::array({"round" + std::to_string(round)}));
    }
  }
  EXPECT_EQ(events("organization_update"), 10);
}

MTP_SERVICE_BACKENDS(OptimisticConcurrencyTest);

}  // namespace
}  // namespace mtp::testing
