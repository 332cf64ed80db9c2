// The pipeline without a transport: client IP resolution, token scopes, engine request.
#include "http/errors.h"
#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace mtp::http {
namespace {

using testing::FakeAuthenticator;
using testing::FakeEngine;

class PipelineTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Pipeline> make(std::vector<std::string> trusted = {}) {
    auto table = RouteTable::build({
        Route{"GET", "/api/v2/providers/{pid}/organizations/{id}", Access::action("orgs.read"),
              OrgSource::pathParam("id"), count()},
        Route{"GET", "/api/systemusers", Access::action("users.read"), OrgSource::header(), count()},
        Route{"GET", "/api/v2/providers/{pid}/administrators", Access::action("admins.read"), {}, count()},
        Route{"POST", "/api/v2/me/totp", Access::action("self.mfa"), {}, count()},
        Route{"GET", "/api/v2/providers/{pid}/organizations", Access::action("orgs.read"),
              OrgSource::reach(), count()},
    });
    EXPECT_TRUE(table.has_value());
    PipelineOptions o;
    o.trusted_proxies = std::move(trusted);
    o.clock = [] { return std::int64_t{1'800'000'000}; };
    auto p = Pipeline::create(std::move(*table), auth_, engine_.fn(), nullptr, o);
    EXPECT_TRUE(p.has_value());
    return *p;
  }
  Handler count() {
    return [this](RequestContext& ctx) -> HandlerResult {
      ++handled_;
      return Response::json({{"ip", ctx.clientIp()}, {"org", ctx.organization()}});
    };
  }
  IncomingRequest get(std::string path, Params headers = {{"authorization", "Bearer t1"}}) {
    IncomingRequest in;
    in.method = "GET";
    in.path = std::move(path);
    in.headers = std::move(headers);
    in.peer_ip = "10.0.0.5";
    return in;
  }
  void SetUp() override { auth_->addBearer("t1", testing::principal()); }

  std::shared_ptr<FakeAuthenticator> auth_ = std::make_shared<FakeAuthenticator>();
  FakeEngine engine_;
  int handled_ = 0;
};

TEST_F(PipelineTest, EngineRequestCarriesAdminActionOrgProviderIpAndTime) {
  auto p = make();
  auto r = p->handle(get("/api/v2/providers/p1/organizations/o7"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(engine_.last.admin, "a1");
  EXPECT_EQ(engine_.last.action, "orgs.read");
  EXPECT_EQ(engine_.last.organization, "o7");
  EXPECT_EQ(engine_.last.provider, "p1");
  EXPECT_TRUE(engine_.last.mfa);
  EXPECT_TRUE(engine_.last.has_ip);
  EXPECT_EQ(engine_.last.ip, *engine::parseIpAddress("10.0.0.5"));
  EXPECT_EQ(engine_.last.time, 1'800'000'000);
}

TEST_F(PipelineTest, OrgFromHeaderAndProviderDefaultsToThePrincipals) {
  auto p = make();
  auto r = p->handle(get("/api/systemusers", {{"authorization", "Bearer t1"}, {"x-org-id", "o3"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(engine_.last.organization, "o3");
  EXPECT_EQ(engine_.last.provider, "p1");
  r = p->handle(get("/api/systemusers"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["message"], "the x-org-id header is required");
}

TEST_F(PipelineTest, ForwardedForIsIgnoredUnlessThePeerIsATrustedProxy) {
  auto in = get("/api/v2/providers/p1/organizations/o7",
                {{"authorization", "Bearer t1"}, {"x-forwarded-for", "1.2.3.4"}});
  auto r = make()->handle(in);
  EXPECT_EQ(nlohmann::json::parse(r.body)["ip"], "10.0.0.5");

  r = make({"10.0.0.0/8"})->handle(in);
  EXPECT_EQ(nlohmann::json::parse(r.body)["ip"], "1.2.3.4");

  // The client can prepend anything; only the hop the proxy appended counts.
  in.headers = {{"authorization", "Bearer t1"}, {"x-forwarded-for", "6.6.6.6, 1.2.3.4"}};
  r = make({"10.0.0.0/8"})->handle(in);
  EXPECT_EQ(nlohmann::json::parse(r.body)["ip"], "1.2.3.4");
}

TEST_F(PipelineTest, InvalidTrustedProxyRefusesToBuild) {
  auto table = RouteTable::build({});
  auto p = Pipeline::create(std::move(*table), auth_, engine_.fn(), nullptr, {{"not-an-ip"}, {}});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error()[0], "trusted proxy `not-an-ip` is not an address or CIDR");
}

// The token's scope is the engine's to apply (check 5, session_scope): the pipeline passes
// it with the request and maps the engine's session_scope denial.
TEST_F(PipelineTest, MfaEnrollTokenScopeGoesToTheEngine) {
  auto pr = testing::principal();
  pr.scope = auth::TokenScope::kMfaEnroll;
  pr.mfa = false;
  auth_->addBearer("enroll", pr);
  auto p = make();
  engine_.allow = false;
  engine_.deny_reason = engine::Reason::kSessionScope;
  auto r = p->handle(get("/api/v2/providers/p1/administrators", {{"authorization", "Bearer enroll"}}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "mfa_required");
  EXPECT_EQ(engine_.last.session_scope, engine::SessionScope::kEnrollmentOnly);
  EXPECT_EQ(engine_.last.launch_org, "");
  EXPECT_EQ(handled_, 0);
  engine_.allow = true;
  auto in = get("/api/v2/me/totp", {{"authorization", "Bearer enroll"}});
  in.method = "POST";
  r = p->handle(in);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(engine_.last.session_scope, engine::SessionScope::kEnrollmentOnly);
}

TEST_F(PipelineTest, OrgLaunchTokenScopeGoesToTheEngine) {
  auto pr = testing::principal();
  pr.scope = auth::TokenScope::kOrg;
  pr.org = "o7";
  auth_->addBearer("launch", pr);
  auto p = make();
  auto h = Params{{"authorization", "Bearer launch"}};
  EXPECT_EQ(p->handle(get("/api/v2/providers/p1/organizations/o7", h)).status, 200);
  EXPECT_EQ(engine_.last.session_scope, engine::SessionScope::kOrgLaunch);
  EXPECT_EQ(engine_.last.launch_org, "o7");
  EXPECT_EQ(engine_.last.organization, "o7");
  engine_.allow = false;
  engine_.deny_reason = engine::Reason::kSessionScope;
  // An org-scoped action out of the token's scope answers as any org out of reach ...
  EXPECT_EQ(p->handle(get("/api/v2/providers/p1/organizations/o8", h)).status, 404);
  EXPECT_EQ(engine_.last.organization, "o8");
  // ... a provider-wide one is a denial with its decision id.
  auto r = p->handle(get("/api/v2/providers/p1/administrators", h));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(nlohmann::json::parse(r.body)["error"].contains("decisionId"));
  EXPECT_EQ(engine_.last.launch_org, "o7");
  EXPECT_EQ(handled_, 1);
}

// A route's `also` action is asked by the pipeline after its own; a handler may ask only the
// actions its route declares.
TEST_F(PipelineTest, DeclaredSecondActionsAndNothingElse) {
  auto table = RouteTable::build({
      Route{"GET", "/o/{id}/admins", Access::action("orgs.read").also("admins.read"),
            OrgSource::pathParam("id"), count()},
      Route{"POST", "/o/{id}/bulk", Access::action("orgs.read").mayAsk("users.unlock"),
            OrgSource::pathParam("id"),
            [this](RequestContext& ctx) -> HandlerResult {
              ++handled_;
              const auto ask = ctx.queryParam("ask").value_or("users.unlock");
              if (auto ok = ctx.authorization().require(*engine::findAction(ask), "o2"); !ok)
                return fail(ok.error());
              return Response::json({{"ok", true}});
            }},
  });
  ASSERT_TRUE(table.has_value());
  auto p = *Pipeline::create(std::move(*table), auth_, engine_.fn(), nullptr, {});
  EXPECT_EQ(p->handle(get("/o/o1/admins")).status, 200);
  EXPECT_EQ(engine_.calls, 2);
  EXPECT_EQ(engine_.last.action, "admins.read");
  EXPECT_EQ(engine_.last.organization, "");  // provider-scoped: no org
  engine_.allow = false;
  EXPECT_EQ(p->handle(get("/o/o1/admins")).status, 403);
  EXPECT_EQ(handled_, 1);
  engine_.allow = true;
  auto post = get("/o/o1/bulk");
  post.method = "POST";
  EXPECT_EQ(p->handle(post).status, 200);
  EXPECT_EQ(engine_.last.action, "users.unlock");
  EXPECT_EQ(engine_.last.organization, "o2");
  const int calls = engine_.calls;
  post.query = {{"ask", "users.delete"}};
  EXPECT_EQ(p->handle(post).status, 500);  // undeclared: never asked
  EXPECT_EQ(engine_.calls, calls + 1);     // the route's own action only
}

TEST_F(PipelineTest, ReachListAsksTheEngineAboutAnyOrg) {
  auto p = make();
  const std::string path = "/api/v2/providers/p1/organizations";
  engine_.allow = true;
  auto r = p->handle(get(path));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(engine_.last.organization, "");
  EXPECT_TRUE(engine_.last.any_organization);
  EXPECT_EQ(engine_.last.action, "orgs.read");
  EXPECT_EQ(nlohmann::json::parse(r.body)["org"], "");
  engine_.allow = false;
  engine_.deny_reason = engine::Reason::kRoleLacksAction;
  EXPECT_EQ(p->handle(get(path)).status, 403);
  engine_.deny_reason = engine::Reason::kProviderMismatch;
  EXPECT_EQ(p->handle(get(path)).status, 404);
  engine_.deny_reason = engine::Reason::kMfaRequired;
  EXPECT_EQ(p->handle(get(path)).status, 401);
  engine_.deny_reason = engine::Reason::kAdminNotActive;
  EXPECT_EQ(p->handle(get(path)).status, 401);
  EXPECT_EQ(handled_, 1);
  // A launch token reaches the list (the handler narrows it to the token's org).
  auto pr = testing::principal();
  pr.scope = auth::TokenScope::kOrg;
  pr.org = "o7";
  auth_->addBearer("launch", pr);
  engine_.allow = true;
  EXPECT_EQ(p->handle(get(path, {{"authorization", "Bearer launch"}})).status, 200);
  EXPECT_TRUE(engine_.last.any_organization);
  EXPECT_EQ(engine_.last.launch_org, "o7");
  EXPECT_EQ(handled_, 2);
}

TEST_F(PipelineTest, CredentialsProblemsAre401) {
  auto p = make();
  const std::string path = "/api/v2/providers/p1/administrators";
  EXPECT_EQ(p->handle(get(path, {})).status, 401);
  EXPECT_EQ(p->handle(get(path, {{"authorization", "Basic dTpw"}})).status, 401);
  EXPECT_EQ(p->handle(get(path, {{"authorization", "Bearer wrong"}})).status, 401);
  auto r = p->handle(get(path, {}));
  EXPECT_EQ(r.status, 401);
  bool www = false;
  for (const auto& [k, v] : r.headers) www |= k == "WWW-Authenticate";
  EXPECT_TRUE(www);
  EXPECT_EQ(p->handle(get(path, {{"authorization", "Bearer t1"}, {"x-api-key", "k"}})).status, 400);
  EXPECT_EQ(handled_, 0);
  EXPECT_EQ(engine_.calls, 0);
}

TEST_F(PipelineTest, ApiKeyPrincipalIsPassedToTheEngine) {
  auto pr = testing::principal();
  pr.auth_method = engine::AuthMethod::kApiKey;
  pr.mfa = false;
  auth_->addApiKey("mtp_key", pr);
  auto r = make()->handle(get("/api/v2/providers/p1/administrators", {{"x-api-key", "mtp_key"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(engine_.last.auth_method, engine::AuthMethod::kApiKey);
  EXPECT_FALSE(engine_.last.mfa);
}

// Every decision of the request's Authorization goes to one sink (on_decision: the decision
// log's plug) with its id; a refusing denial also to on_denied, with the same id as the 403
// body; a "no" that only hides (permits) is logged but never recorded.
TEST_F(PipelineTest, EveryDecisionGoesToTheSinkAndRefusingDenialsAreRecorded) {
  struct Seen {
    std::string action, id;
    bool allowed = false, refuses = false;
  };
  std::vector<Seen> decided, denied;
  auto table = RouteTable::build({
      Route{"GET", "/o/{id}", Access::action("orgs.read").mayAsk("users.read"),
            OrgSource::pathParam("id"),
            [this](RequestContext& ctx) -> HandlerResult {
              ++handled_;
              const app::Authorization& authz = ctx.authorization();
              const bool shown = authz.permits(authz.request(*engine::findAction("users.read"), "o1"));
              return Response::json({{"shown", shown}});
            }},
  });
  ASSERT_TRUE(table.has_value());
  PipelineOptions o;
  o.on_decision = [&](const engine::Request& r, const engine::Decision& d, const app::DecisionInfo& info) {
    decided.push_back({std::string(engine::actionInfo(r.action).name), std::string(info.decision_id),
                       d.allowed, info.refuses});
    EXPECT_FALSE(info.request_id.empty());
  };
  o.on_denied = [&](const RequestContext&, const engine::Request& r, const engine::Decision& d,
                    std::string_view id) {
    denied.push_back({std::string(engine::actionInfo(r.action).name), std::string(id), d.allowed, true});
  };
  auto p = *Pipeline::create(std::move(*table), auth_, engine_.fn(), nullptr, o);

  auto r = p->handle(get("/o/o1"));
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(decided.size(), 2u);  // the route's action, then the handler's question
  EXPECT_EQ(decided[0].action, "orgs.read");
  EXPECT_TRUE(decided[0].allowed);
  EXPECT_EQ(decided[1].action, "users.read");
  EXPECT_TRUE(denied.empty());

  engine_.allow = false;
  r = p->handle(get("/o/o1"));
  EXPECT_EQ(r.status, 403);
  ASSERT_EQ(decided.size(), 3u);
  EXPECT_FALSE(decided[2].allowed);
  EXPECT_TRUE(decided[2].refuses);
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].id, decided[2].id);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["decisionId"], denied[0].id);
  EXPECT_EQ(handled_, 1);
}

// An enrollment-only session is told to enroll whichever check refused it first (the engine
// checks API access before the session's scope: asking for an API key is still "enroll").
TEST(DenialError, EnrollmentOnlySessionIsToldToEnroll) {
  engine::Request r;
  r.action = *engine::findAction("self.apikey");
  r.session_scope = engine::SessionScope::kEnrollmentOnly;
  for (auto reason : {engine::Reason::kApiAccessDisabled, engine::Reason::kMfaRequired,
                      engine::Reason::kSessionScope}) {
    const Status e = app::denialError(r, reason, "d1");
    EXPECT_EQ(e.code, Status::Code::kMfaRequired) << engine::reasonName(reason);
    EXPECT_EQ(e.message, "enroll multi-factor authentication first");
  }
  r.session_scope = engine::SessionScope::kFull;
  const Status full = app::denialError(r, engine::Reason::kApiAccessDisabled, "d1");
  EXPECT_EQ(full.code, Status::Code::kPermissionDenied);
  EXPECT_EQ(full.decision_id, "d1");
}

}  // namespace
}  // namespace mtp::http
