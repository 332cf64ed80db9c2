#include "http/route_table.h"

#include <gtest/gtest.h>

namespace mtp::http {
namespace {

HandlerResult ok(RequestContext&) { return Response::json({{"ok", true}}); }

bool anyContains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(RouteTable, RouteWithoutAccessDeclarationIsRefused) {
  std::vector<Route> routes;
  routes.push_back(Route{"GET", "/api/v2/providers/{pid}", Access::action("settings.read"), {}, ok});
  Route undeclared;
  undeclared.method = "GET";
  undeclared.pattern = "/api/v2/oops";
  undeclared.handler = ok;
  routes.push_back(undeclared);
  auto t = RouteTable::build(routes);
  ASSERT_FALSE(t.has_value());
  EXPECT_TRUE(anyContains(t.error(), "GET /api/v2/oops: no access declared")) << t.error()[0];
}

TEST(RouteTable, UnknownActionIsRefused) {
  auto t = RouteTable::build({Route{"GET", "/x", Access::action("orgs.frobnicate"), {}, ok}});
  ASSERT_FALSE(t.has_value());
  EXPECT_TRUE(anyContains(t.error(), "unknown action `orgs.frobnicate`"));
}

TEST(RouteTable, OrgScopedActionNeedsAnOrgSource) {
  auto t = RouteTable::build({Route{"GET", "/api/v2/organizations", Access::action("orgs.read"), {}, ok}});
  ASSERT_FALSE(t.has_value());
  EXPECT_TRUE(anyContains(t.error(), "needs an org source"));
  auto t2 = RouteTable::build(
      {Route{"GET", "/o/{id}", Access::action("orgs.read"), OrgSource::pathParam("oid"), ok}});
  ASSERT_FALSE(t2.has_value());
  EXPECT_TRUE(anyContains(t2.error(), "org source `{oid}` is not in the pattern"));
  auto t3 = RouteTable::build(
      {Route{"GET", "/p", Access::action("admins.read"), OrgSource::header(), ok}});
  ASSERT_FALSE(t3.has_value());
  EXPECT_TRUE(anyContains(t3.error(), "not org-scoped"));
}

TEST(RouteTable, SecondActionsAreDeclaredAndChecked) {
  auto t = RouteTable::build(
      {Route{"GET", "/o/{id}/admins", Access::action("orgs.read").also("admins.read").mayAsk("users.unlock"),
             OrgSource::pathParam("id"), ok}});
  ASSERT_TRUE(t.has_value()) << t.error()[0];
  const Route& r = t->routes()[0];
  ASSERT_EQ(t->alsoOf(r).size(), 1u);
  EXPECT_EQ(t->alsoOf(r)[0], *engine::findAction("admins.read"));
  const auto set = t->declaredOf(r);
  EXPECT_TRUE(set.has(*engine::findAction("orgs.read")));
  EXPECT_TRUE(set.has(*engine::findAction("admins.read")));
  EXPECT_TRUE(set.has(*engine::findAction("users.unlock")));
  EXPECT_FALSE(set.has(*engine::findAction("users.delete")));
  auto bad = RouteTable::build({Route{"GET", "/p", Access::action("admins.read").mayAsk("admins.frob"), {}, ok}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(anyContains(bad.error(), "unknown second action `admins.frob`"));
  auto no_org = RouteTable::build({Route{"GET", "/p", Access::action("admins.read").also("users.read"), {}, ok}});
  ASSERT_FALSE(no_org.has_value());
  EXPECT_TRUE(anyContains(no_org.error(), "org-scoped second action `users.read` needs an org source"));
  auto pub = RouteTable::build({Route{"GET", "/p", Access::publicRoute().mayAsk("admins.read"), {}, ok}});
  ASSERT_FALSE(pub.has_value());
  EXPECT_TRUE(anyContains(pub.error(), "second actions without an action"));
}

TEST(RouteTable, ReachSourceIsForOrgScopedListsOnly) {
  auto t = RouteTable::build({Route{"GET", "/api/v2/providers/{pid}/organizations",
                                    Access::action("orgs.read"), OrgSource::reach(), ok}});
  ASSERT_TRUE(t.has_value()) << t.error()[0];
  auto t2 = RouteTable::build(
      {Route{"GET", "/p", Access::action("admins.read"), OrgSource::reach(), ok}});
  ASSERT_FALSE(t2.has_value());
  EXPECT_TRUE(anyContains(t2.error(), "not org-scoped"));
  auto t3 = RouteTable::build({Route{"GET", "/q", Access::authenticatedAny(), OrgSource::reach(), ok}});
  ASSERT_FALSE(t3.has_value());
  EXPECT_TRUE(anyContains(t3.error(), "an org source without an action checks nothing"));
}

TEST(RouteTable, EveryProblemIsReported) {
  Route a{"GET", "/a", {}, {}, ok};
  Route b{"BREW", "/b", Access::publicRoute(), {}, ok};
  Route c{"GET", "/c", Access::publicRoute(), {}, nullptr};
  Route d1{"GET", "/d/{x}", Access::publicRoute(), {}, ok};
  Route d2{"GET", "/d/{y}", Access::publicRoute(), {}, ok};
  auto t = RouteTable::build({a, b, c, d1, d2});
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().size(), 4u);
  EXPECT_TRUE(anyContains(t.error(), "unknown method `BREW`"));
  EXPECT_TRUE(anyContains(t.error(), "GET /c: no handler"));
  EXPECT_TRUE(anyContains(t.error(), "GET /d/{y}: duplicate route"));
}

TEST(RouteTable, MatchesParamsAndPrefersLiterals) {
  auto t = RouteTable::build({
      Route{"GET", "/api/v2/me/{what}", Access::authenticatedAny(), {}, ok},
      Route{"GET", "/api/v2/me/totp", Access::action("self.mfa"), {}, ok},
      Route{"PUT", "/api/v2/providers/{pid}/organizations/{id}", Access::action("orgs.update"),
            OrgSource::pathParam("id"), ok},
  });
  ASSERT_TRUE(t.has_value()) << t.error()[0];
  auto m = t->match("GET", "/api/v2/me/totp");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v2/me/totp");
  EXPECT_EQ(t->actionOf(*m.route), *engine::findAction("self.mfa"));
  m = t->match("GET", "/api/v2/me/home");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v2/me/{what}");
  EXPECT_EQ(t->actionOf(*m.route), engine::kNoAction);

  m = t->match("PUT", "/api/v2/providers/p%201/organizations/o1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params, (Params{{"pid", "p 1"}, {"id", "o1"}}));
}

TEST(RouteTable, WrongMethodReportsAllowedMethods) {
  auto t = RouteTable::build({
      Route{"GET", "/r/{id}", Access::publicRoute(), {}, ok},
      Route{"DELETE", "/r/{id}", Access::publicRoute(), {}, ok},
  });
  ASSERT_TRUE(t.has_value());
  auto m = t->match("POST", "/r/1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, (std::vector<std::string>{"DELETE", "GET"}));
  m = t->match("GET", "/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allow.empty());
}

TEST(RouteTable, NoMatchForEmptyOrBadlyEncodedSegments) {
  auto t = RouteTable::build({Route{"GET", "/r/{id}", Access::publicRoute(), {}, ok}});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->match("GET", "/r/").route, nullptr);
  EXPECT_EQ(t->match("GET", "/r/%zz").route, nullptr);
  EXPECT_EQ(t->match("GET", "/r/a%2Fb").route, nullptr);  // no smuggled '/'
  EXPECT_EQ(t->match("GET", "/r/1/extra").route, nullptr);
  EXPECT_EQ(t->match("GET", "r/1").route, nullptr);
}

}  // namespace
}  // namespace mtp::http
