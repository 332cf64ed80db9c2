// Evaluating compiled conditions against hand-built contexts: every operator, and the
// three-valued semantics when the request lacks an attribute.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/compiled.h"
#include "policy/conditions.h"
#include "policy_test_util.h"

namespace mtp::engine {
namespace {

using detail::EvalContext;
using detail::Tri;
using policy_test::CondEval;

constexpr Tri T = Tri::kTrue;
constexpr Tri F = Tri::kFalse;
constexpr Tri E = Tri::kError;

UnixTime at(const char* rfc3339) {
  auto t = parseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(0);
}

struct Fixture {
  Request request;
  detail::OrgView org;
  std::vector<std::string> tags{"change-freeze", "eu"};
  Target target;
  EvalContext ctx;

  Fixture() {
    request.admin = "a1";
    request.action = *findAction("users.unlock");
    request.mfa = true;
    request.auth_method = AuthMethod::kSession;
    request.client_ip = parseIpAddress("10.1.2.3");
    request.time = at("2026-11-23T12:30:00Z");  // a monday
    org.id = "o1";
    org.name = "Acme";
    org.tags = tags;
    target.present = true;
    target.email = "new@msp.example";
    target.role = "help_desk";
    ctx.request = &request;
    ctx.action = request.action;
    ctx.principal.id = "a1";
    ctx.principal.email = "alice@msp.example";
    ctx.principal.provider = "p1";
    ctx.org = &org;
  }
  void setAction(const char* name) { ctx.action = request.action = *findAction(name); }
};

TEST(Conditions, StringEqualityAndLists) {
  Fixture f;
  EXPECT_EQ(CondEval("principal.email == \"alice@msp.example\"")(f.ctx), T);
  EXPECT_EQ(CondEval("principal.email != \"alice@msp.example\"")(f.ctx), F);
  EXPECT_EQ(CondEval("principal.id in [\"a0\", \"a1\"]")(f.ctx), T);
  EXPECT_EQ(CondEval("principal.provider not in [\"p1\"]")(f.ctx), F);
  EXPECT_EQ(CondEval("action.verb == \"unlock\"")(f.ctx), T);
  EXPECT_EQ(CondEval("action.resource == \"users\"")(f.ctx), T);
  EXPECT_EQ(CondEval("principal.email == \"say \\\"hi\\\" \\\\ bye\"")(f.ctx), F);
  f.ctx.principal.email = "say \"hi\" \\ bye";
  EXPECT_EQ(CondEval("principal.email == \"say \\\"hi\\\" \\\\ bye\"")(f.ctx), T);
  f.ctx.action = kNoAction;
  EXPECT_EQ(CondEval("action.verb == \"unlock\"")(f.ctx), E);
}

TEST(Conditions, RegexIsAFullMatch) {
  Fixture f;
  CondEval domain("principal.email matches \".*@msp\\\\.example\"");
  CondEval not_domain("principal.email not matches \".*@msp\\\\.example\"");
  EXPECT_EQ(domain(f.ctx), T);
  EXPECT_EQ(not_domain(f.ctx), F);
  f.ctx.principal.email = "mallory@msp.example.evil.com";
  EXPECT_EQ(domain(f.ctx), F);
  EXPECT_EQ(not_domain(f.ctx), T);
  f.ctx.principal.email = "mallory@mspXexample";
  EXPECT_EQ(domain(f.ctx), F);
}

TEST(Conditions, Bools) {
  Fixture f;
  EXPECT_EQ(CondEval("request.mfa == true")(f.ctx), T);
  EXPECT_EQ(CondEval("request.mfa != true")(f.ctx), F);
  EXPECT_EQ(CondEval("principal.mfaRequired == false")(f.ctx), T);
  f.ctx.principal.api_key_allowed = true;
  f.ctx.principal.all_organizations = true;
  EXPECT_EQ(CondEval("principal.apiKeyAllowed == true")(f.ctx), T);
  EXPECT_EQ(CondEval("principal.allOrganizations == true")(f.ctx), T);
  f.ctx.request = nullptr;
  EXPECT_EQ(CondEval("request.mfa == true")(f.ctx), E);
}

TEST(Conditions, RolesCompareIds) {
  Fixture f;
  CondEval is_help("principal.role == \"help_desk\"");
  CondEval in_list("principal.role in [\"admin\", \"manager\"]");
  CondEval default_not("principal.defaultRole != \"admin\"");
  f.ctx.principal.role = is_help.role("help_desk");
  f.ctx.principal.default_role = is_help.role("admin");
  EXPECT_EQ(is_help(f.ctx), T);
  EXPECT_EQ(in_list(f.ctx), F);
  EXPECT_EQ(default_not(f.ctx), F);
  f.ctx.principal.role = is_help.role("manager");
  EXPECT_EQ(is_help(f.ctx), F);
  EXPECT_EQ(in_list(f.ctx), T);
  f.ctx.principal.role = kNoRole;
  EXPECT_EQ(is_help(f.ctx), F);
}

TEST(Conditions, ActionsByNameAndPattern) {
  Fixture f;
  CondEval users("action == \"users.*\"");
  CondEval listed("action in [\"devices.shutdown\", \"*.read\"]");
  CondEval not_listed("action not in [\"users.unlock\"]");
  EXPECT_EQ(users(f.ctx), T);
  EXPECT_EQ(listed(f.ctx), F);
  EXPECT_EQ(not_listed(f.ctx), F);
  f.setAction("billing.read");
  EXPECT_EQ(users(f.ctx), F);
  EXPECT_EQ(listed(f.ctx), T);
  EXPECT_EQ(not_listed(f.ctx), T);
  f.ctx.action = kNoAction;
  EXPECT_EQ(users(f.ctx), E);
}

TEST(Conditions, Enums) {
  Fixture f;
  CondEval api("request.authMethod == \"api_key\"");
  EXPECT_EQ(api(f.ctx), F);
  f.request.auth_method = AuthMethod::kApiKey;
  EXPECT_EQ(api(f.ctx), T);
  EXPECT_EQ(CondEval("request.authMethod in [\"session\"]")(f.ctx), F);

  CondEval weekend("request.weekday in [\"sat\", \"sun\"]");
  CondEval monday("request.weekday == \"mon\"");
  EXPECT_EQ(monday(f.ctx), T);
  EXPECT_EQ(weekend(f.ctx), F);
  f.request.time = at("2026-11-22T23:59:59Z");  // sunday
  EXPECT_EQ(weekend(f.ctx), T);
  EXPECT_EQ(monday(f.ctx), F);
  f.request.time = at("2026-11-23T00:00:00Z");
  EXPECT_EQ(monday(f.ctx), T);
  f.request.time = 0;  // 1970-01-01, a thursday
  EXPECT_EQ(CondEval("request.weekday == \"thu\"")(f.ctx), T);
  f.request.time = -1;  // 1969-12-31 23:59:59, a wednesday
  EXPECT_EQ(CondEval("request.weekday == \"wed\"")(f.ctx), T);
}

TEST(Conditions, OrgAttributesNeedAnOrg) {
  Fixture f;
  const std::string org_actions = "[devices.shutdown]";
  CondEval frozen("org.tags contains \"change-freeze\"", org_actions);
  CondEval not_frozen("org.tags not contains \"change-freeze\"", org_actions);
  CondEval acme("org.name == \"Acme\"", org_actions);
  CondEval id("org.id in [\"o1\", \"o2\"]", org_actions);
  EXPECT_EQ(frozen(f.ctx), T);
  EXPECT_EQ(not_frozen(f.ctx), F);
  EXPECT_EQ(acme(f.ctx), T);
  EXPECT_EQ(id(f.ctx), T);
  f.tags = {"eu"};
  f.org.tags = f.tags;
  EXPECT_EQ(frozen(f.ctx), F);
  EXPECT_EQ(not_frozen(f.ctx), T);
  f.ctx.org = nullptr;
  EXPECT_EQ(frozen(f.ctx), E);
  EXPECT_EQ(not_frozen(f.ctx), E);
  EXPECT_EQ(acme(f.ctx), E);
  EXPECT_EQ(id(f.ctx), E);
}

TEST(Conditions, ClientIpV4AndV6) {
  Fixture f;
  CondEval office("request.clientIp in [\"10.0.0.0/8\", \"2001:db8::/32\"]");
  CondEval outside("request.clientIp not in [\"10.0.0.0/8\", \"2001:db8::/32\"]");
  CondEval single("request.clientIp in \"192.168.1.1\"");
  EXPECT_EQ(office(f.ctx), T);
  EXPECT_EQ(outside(f.ctx), F);
  f.request.client_ip = parseIpAddress("11.0.0.1");
  EXPECT_EQ(office(f.ctx), F);
  EXPECT_EQ(outside(f.ctx), T);
  f.request.client_ip = parseIpAddress("2001:db8:ffff::1");
  EXPECT_EQ(office(f.ctx), T);
  f.request.client_ip = parseIpAddress("2001:db9::1");
  EXPECT_EQ(office(f.ctx), F);
  f.request.client_ip = parseIpAddress("192.168.1.1");
  EXPECT_EQ(single(f.ctx), T);
  f.request.client_ip = parseIpAddress("192.168.1.2");
  EXPECT_EQ(single(f.ctx), F);
  f.request.client_ip.reset();
  EXPECT_EQ(office(f.ctx), E);
  EXPECT_EQ(outside(f.ctx), E);
}

TEST(Conditions, TimeWindows) {
  Fixture f;
  CondEval day("request.time between \"09:00\" and \"17:00\"");
  CondEval night("request.time between \"22:00\" and \"06:00\"");
  auto check = [&](const char* when, Tri d, Tri n) {
    f.request.time = at(when);
    EXPECT_EQ(day(f.ctx), d) << when;
    EXPECT_EQ(night(f.ctx), n) << when;
  };
  check("2026-11-23T08:59:59Z", F, F);
  check("2026-11-23T09:00:00Z", T, F);  // start is inclusive
  check("2026-11-23T16:59:59Z", T, F);
  check("2026-11-23T17:00:00Z", F, F);  // end is exclusive
  check("2026-11-23T21:59:59Z", F, F);
  check("2026-11-23T22:00:00Z", F, T);
  check("2026-11-23T23:59:59Z", F, T);
  check("2026-11-24T00:00:00Z", F, T);  // wraps midnight
  check("2026-11-24T05:59:59Z", F, T);
  check("2026-11-24T06:00:00Z", F, F);
  check("2026-11-24T01:00:00+02:00", F, T);  // 23:00 UTC: the window is in UTC
}

TEST(Conditions, TimeComparisons) {
  Fixture f;
  CondEval before("request.time < \"2026-12-01T00:00:00Z\"");
  CondEval until("request.time <= \"2026-12-01T00:00:00Z\"");
  CondEval after("request.time > \"2026-12-01T01:00:00+01:00\"");
  CondEval from("request.time >= \"2026-12-01T00:00:00Z\"");
  f.request.time = at("2026-12-01T00:00:00Z");
  EXPECT_EQ(before(f.ctx), F);
  EXPECT_EQ(until(f.ctx), T);
  EXPECT_EQ(after(f.ctx), F);
  EXPECT_EQ(from(f.ctx), T);
  f.request.time -= 1;
  EXPECT_EQ(before(f.ctx), T);
  EXPECT_EQ(from(f.ctx), F);
  f.request.time += 2;
  EXPECT_EQ(after(f.ctx), T);
}

TEST(Conditions, TargetAttributesNeedATarget) {
  Fixture f;
  const std::string esc = "[admins.create, admins.update]";
  CondEval role("target.role == \"admin_billing\"", esc);
  CondEval email("target.email matches \".*@msp\\\\.example\"", esc);
  CondEval all("target.allOrganizations == true", esc);
  f.ctx.target.target = &f.target;
  f.ctx.target.role = role.role("help_desk");
  EXPECT_EQ(role(f.ctx), F);
  EXPECT_EQ(email(f.ctx), T);
  EXPECT_EQ(all(f.ctx), F);
  f.ctx.target.role = role.role("admin_billing");
  f.target.all_organizations = true;
  EXPECT_EQ(role(f.ctx), T);
  EXPECT_EQ(all(f.ctx), T);
  f.ctx.target.role = kNoRole;  // role unchanged: equals no literal
  EXPECT_EQ(role(f.ctx), F);
  f.ctx.target.target = nullptr;
  EXPECT_EQ(role(f.ctx), E);
  EXPECT_EQ(email(f.ctx), E);
  EXPECT_EQ(all(f.ctx), E);
}

// when: all must hold; unless: any cancels. False beats error in `when`, true beats error in
// `unless`.
TEST(Conditions, PolicyCombinesWhenAndUnlessThreeValued) {
  Fixture f;
  auto set = policy_test::compileText(R"(
policies:
  - id: p
    effect: forbid
    actions: [admins.create]
    when:
      - request.mfa == true
      - request.clientIp in ["10.0.0.0/8"]
    unless:
      - principal.email == "boss@msp.example"
      - target.email == "x"
  - id: empty
    effect: forbid
    actions: ["*"]
)");
  ASSERT_TRUE(set.has_value()) << policy_test::render(set.error());
  const auto& p = (*set)->compiled().policies.at(0);
  const auto& empty = (*set)->compiled().policies.at(1);
  EXPECT_EQ(detail::evalPolicy(empty, f.ctx), T);
  // The `unless` on target errors (no target): the outcome is unknown.
  EXPECT_EQ(detail::evalPolicy(p, f.ctx), E);
  f.ctx.target.target = &f.target;
  EXPECT_EQ(detail::evalPolicy(p, f.ctx), T);
  f.ctx.target.target = nullptr;
  f.ctx.principal.email = "boss@msp.example";
  EXPECT_EQ(detail::evalPolicy(p, f.ctx), F);  // a true unless settles it
  f.ctx.principal.email = "alice@msp.example";
  f.request.client_ip.reset();
  EXPECT_EQ(detail::evalPolicy(p, f.ctx), E);  // a `when` errors
  f.request.mfa = false;
  EXPECT_EQ(detail::evalPolicy(p, f.ctx), F);  // a false `when` settles it
}

TEST(Conditions, WeekdayAndSecondOfDayHelpers) {
  EXPECT_EQ(detail::weekdayOf(0), 3);
  EXPECT_EQ(detail::weekdayOf(4 * 86400), 0);
  EXPECT_EQ(detail::weekdayOf(-86400), 2);
  EXPECT_EQ(detail::secondOfDay(-1), 86399);
  EXPECT_EQ(detail::secondOfDay(86400 + 61), 61);
}

}  // namespace
}  // namespace mtp::engine
