// Issue 11 items 2 and 3, on both backends over real HTTP: a replayed Idempotency-Key answer
// carries the first answer's Location, ETag and Content-Type; the Public POSTs that change
// something once (the one-time links, an agent's command result) accept the key and replay
// their first 2xx answer, forget it after any other answer, and the sign-ins ignore it.
#include <gtest/gtest.h>

#include "auth/digest.h"
#include "session_test_support.h"
#include "store/idempotency_store.h"

namespace mtp::testing {
namespace {

class IdempotencyReplayTest : public SessionTest {
 protected:
  void SetUp() override {
    SessionTest::SetUp();
    if (HasFailure() || IsSkipped()) return;
    p = createProvider("MSP");
    o = createOrg(p, "Org One");
    owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  }
  // Whether the store holds a record of a Public POST's key.
  bool publicKeyKept(const std::string& path, const std::string& key) {
    const std::string hash = auth::sha256Hex("public\nPOST\n" + path + "\n" + key);
    auto r = app().store().query([&](store::Tx& tx) { return tx.getIdempotencyKey(hash); });
    return r.has_value();
  }
  // Whether the store holds a record of an authenticated POST's key.
  bool adminKeyKept(const SeededAdmin& a, const std::string& path, const std::string& key) {
    const std::string hash = auth::sha256Hex(a.id + "\n" + p + "\nPOST\n" + path + "\n" + key);
    auto r = app().store().query([&](store::Tx& tx) { return tx.getIdempotencyKey(hash); });
    return r.has_value();
  }
  std::string p, o;
  SeededAdmin owner;
};

TEST_P(IdempotencyReplayTest, ReplayCarriesLocationEtagAndContentType) {
  const Headers h = {{"x-org-id", o}, {"Idempotency-Key", "cmd-1"}};
  const std::string req = R"({"name":"Hello","targetOS":"linux","shell":"bash","script":"true"})";
  auto first = call("POST", "/api/commands", owner.token, req, h);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string id = body(first)["id"];
  EXPECT_EQ(first.header("location"), "/api/commands/" + id);
  EXPECT_EQ(first.header("etag"), "\"1\"");
  auto again = call("POST", "/api/commands", owner.token, req, h);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("location"), first.header("location"));
  EXPECT_EQ(again.header("etag"), first.header("etag"));
  EXPECT_EQ(again.header("content-type"), first.header("content-type"));
  EXPECT_NE(again.header("content-type"), "");
  EXPECT_EQ(body(call("GET", "/api/commands", owner.token, "", {{"x-org-id", o}}))["totalCount"], 1);

  // An org create too (Location of the new org).
  const std::string orgs = "/api/v2/providers/" + p + "/organizations";
  auto made = call("POST", orgs, owner.token, R"({"name":"Once"})", {{"Idempotency-Key", "org-1"}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.header("location"), orgs + "/" + body(made)["id"].get<std::string>());
  auto replayed = call("POST", orgs, owner.token, R"({"name":"Once"})", {{"Idempotency-Key", "org-1"}});
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");
  EXPECT_EQ(replayed.header("location"), made.header("location"));
  EXPECT_EQ(replayed.header("etag"), made.header("etag"));
}

TEST_P(IdempotencyReplayTest, OneTimeLinksReplayTheirFirstAnswer) {
  auto a = createAdmin(p, SeedAdmin{.status = "pending"});
  const std::string path = "/api/v2/auth/activate";
  const std::string token = makeLinkToken(p, a.id, store::TokenKind::kActivation);
  const std::string req = json({{"token", token}, {"password", kPassword}}).dump();
  // A failed attempt (a bad token) leaves no trace of its key.
  const std::string bad = json({{"token", "0000" + token.substr(4)}, {"password", kPassword}}).dump();
  EXPECT_EQ(call("POST", path, "", bad, {{"Idempotency-Key", "act-1"}}).status, 400);
  EXPECT_FALSE(publicKeyKept(path, "act-1"));
  // The real one, then its retry: the first answer again (without the key: "link used").
  auto first = call("POST", path, "", req, {{"Idempotency-Key", "act-1"}});
  ASSERT_EQ(first.status, 204) << first.body;
  EXPECT_TRUE(publicKeyKept(path, "act-1"));
  auto again = call("POST", path, "", req, {{"Idempotency-Key", "act-1"}});
  EXPECT_EQ(again.status, 204) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(call("POST", path, "", req).status, 400);
  // The same key with another body: 422, nothing run.
  const std::string other = json({{"token", token}, {"password", kOtherPassword}}).dump();
  EXPECT_EQ(call("POST", path, "", other, {{"Idempotency-Key", "act-1"}}).status, 422);
  EXPECT_EQ(login(a.email, kPassword).status, 200);

  // A password-reset link: the same.
  const std::string reset = makeLinkToken(p, a.id, store::TokenKind::kPasswordReset);
  const std::string reset_req = json({{"token", reset}, {"password", kOtherPassword}}).dump();
  ASSERT_EQ(call("POST", "/api/v2/auth/password-reset", "", reset_req, {{"Idempotency-Key", "r-1"}}).status, 204);
  auto r = call("POST", "/api/v2/auth/password-reset", "", reset_req, {{"Idempotency-Key", "r-1"}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.header("idempotent-replayed"), "true");
  // A malformed key on a Public POST that accepts it: 400.
  EXPECT_EQ(call("POST", "/api/v2/auth/password-reset", "", reset_req, {{"Idempotency-Key", std::string(300, 'k')}}).status,
            400);
}

TEST_P(IdempotencyReplayTest, SignInIgnoresTheKey) {
  auto a = createAdmin(p, SeedAdmin{.password = kPassword});
  const Headers h = {{"Idempotency-Key", "login-1"}};
  const json req = {{"email", a.email}, {"password", kPassword}};
  auto first = call("POST", "/api/v2/auth/login", "", req.dump(), h);
  ASSERT_EQ(first.status, 200) << first.body;
  auto second = call("POST", "/api/v2/auth/login", "", req.dump(), h);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.header("idempotent-replayed"), "");
  EXPECT_NE(body(first)["token"], body(second)["token"]);  // two sessions: both ran
  EXPECT_FALSE(publicKeyKept("/api/v2/auth/login", "login-1"));
  // A wrong password counts each time, key or not.
  const json wrong = {{"email", a.email}, {"password", "wrong password"}};
  EXPECT_EQ(call("POST", "/api/v2/auth/login", "", wrong.dump(), {{"Idempotency-Key", "w"}}).status, 401);
  EXPECT_EQ(call("POST", "/api/v2/auth/login", "", wrong.dump(), {{"Idempotency-Key", "w"}}).status, 401);
  EXPECT_EQ(loginEvents(p).size(), 4u);
}

TEST_P(IdempotencyReplayTest, AnswersHoldingACredentialIgnoreTheKey) {
  // An answer with an API key, a launch token or a TOTP secret is never stored: each retry
  // runs again and gets a new credential (docs/consistency.md).
  const std::string orgs = "/api/v2/providers/" + p + "/organizations";
  EXPECT_EQ(call("POST", orgs, owner.token, R"({"name":"Kept"})", {{"Idempotency-Key", "k"}}).status, 201);
  EXPECT_TRUE(adminKeyKept(owner, orgs, "k"));  // the control: an ordinary POST keeps its key
  auto keyed = createAdmin(p, SeedAdmin{.all_organizations = true, .api_key_allowed = true});
  const std::string launch = orgs + "/" + o + "/launch";
  for (const std::string& path : {std::string("/api/v2/me/apikey"), launch}) {
    auto first = call("POST", path, keyed.token, "", {{"Idempotency-Key", "cred-1"}});
    ASSERT_TRUE(first.status == 200 || first.status == 201) << path << " " << first.body;
    auto second = call("POST", path, keyed.token, "", {{"Idempotency-Key", "cred-1"}});
    ASSERT_TRUE(second.status == 200 || second.status == 201) << path << " " << second.body;
    EXPECT_EQ(second.header("idempotent-replayed"), "") << path;
    EXPECT_NE(first.body, second.body) << path;
    EXPECT_FALSE(adminKeyKept(keyed, path, "cred-1")) << path;
  }
  auto enrolling = createAdmin(p, SeedAdmin{});
  auto t = call("POST", "/api/v2/me/totp", enrolling.token, "", {{"Idempotency-Key", "totp-1"}});
  ASSERT_EQ(t.status, 201) << t.body;
  EXPECT_FALSE(adminKeyKept(enrolling, "/api/v2/me/totp", "totp-1"));
}

TEST_P(IdempotencyReplayTest, AgentCommandResultReplaysItsFirstAnswer) {
  auto k = call("GET", "/api/v2/providers/" + p + "/organizations/" + o + "/connectkey", owner.token);
  ASSERT_EQ(k.status, 200) << k.body;
  json reg = {{"connectKey", body(k)["connectKey"]}, {"hostname", "h1"}, {"os", "Some OS"},
              {"osFamily", "linux"}, {"version", "1.0"}};
  auto d = call("POST", "/api/agent/v1/register", "", reg.dump());
  ASSERT_EQ(d.status, 201) << d.body;
  const std::string device = body(d)["id"], device_key = body(d)["deviceKey"];
  const Headers in_org = {{"x-org-id", o}};
  auto c = call("POST", "/api/commands", owner.token,
                R"({"name":"Hello","targetOS":"linux","shell":"bash","script":"true"})", in_org);
  ASSERT_EQ(c.status, 201) << c.body;
  auto run = call("POST", "/api/commands/" + body(c)["id"].get<std::string>() + "/run", owner.token,
                  json{{"devices", {device}}}.dump(), in_org);
  ASSERT_EQ(run.status, 201) << run.body;
  const std::string rid = body(run)["results"][0]["id"];
  ASSERT_EQ(call("POST", "/api/agent/v1/checkin", "", "{}", {{"x-device-key", device_key}}).status, 200);
  const std::string path = "/api/agent/v1/commands/" + rid + "/result";
  const std::string result = R"({"status":"done","exitCode":0,"output":"ok"})";
  auto first = call("POST", path, "", result, {{"x-device-key", device_key}, {"Idempotency-Key", "res-1"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = call("POST", path, "", result, {{"x-device-key", device_key}, {"Idempotency-Key", "res-1"}});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  // Without the key the result is already finished: 404.
  EXPECT_EQ(call("POST", path, "", result, {{"x-device-key", device_key}}).status, 404);
  // Another credential with the same key and body is another request: 422.
  EXPECT_EQ(call("POST", path, "", result, {{"x-device-key", "not-the-key"}, {"Idempotency-Key", "res-1"}}).status,
            422);
}

MTP_SERVICE_BACKENDS(IdempotencyReplayTest);

}  // namespace
}  // namespace mtp::testing
