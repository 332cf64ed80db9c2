// Decision records (decisions/decision_record.h): every Request field survives the line and
// back, text is escaped, malformed lines are refused with a reason.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decisions/decision_record.h"

namespace mtp::decisions {
namespace {

using engine::Request;

engine::ActionId action(std::string_view name) { return *engine::findAction(name); }

TEST(DecisionRecord, EveryRequestFieldRoundTrips) {
  const std::vector<engine::TargetGrant> grants = {{"o2", "help_desk"}, {"o3", ""}};
  Request r;
  r.admin = "a1";
  r.action = action("admins.update");
  r.organization = "";
  r.provider = "p1";
  r.auth_method = engine::AuthMethod::kApiKey;
  r.mfa = true;
  r.session_scope = engine::SessionScope::kOrgLaunch;
  r.launch_org = "o9";
  r.client_ip = engine::parseIpAddress("2001:db8::7");
  r.time = 1796594400;  // 2026-12-06T22:00:00Z
  r.any_organization = true;
  r.target.present = true;
  r.target.role = "manager";
  r.target.email = "t@msp.example";
  r.target.all_organizations = true;
  r.target.organizations = grants;
  std::string line;
  appendDecisionLine(line, r, engine::Decision{false, engine::Reason::kEscalation, "check:escalation"},
                     DecisionFields{"d-1", "0123456789abcdef"});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line

  DecisionRecord rec;
  ASSERT_EQ(parseDecisionLine(line, rec), std::nullopt) << line;
  EXPECT_EQ(rec.id, "d-1");
  EXPECT_EQ(rec.policy_version, "0123456789abcdef");
  EXPECT_FALSE(rec.allowed);
  EXPECT_EQ(rec.reason, engine::Reason::kEscalation);
  EXPECT_EQ(rec.decided_by, "check:escalation");
  const Request& back = rec.request();
  EXPECT_EQ(back.admin, "a1");
  EXPECT_EQ(back.action, r.action);
  EXPECT_EQ(back.organization, "");
  EXPECT_EQ(back.provider, "p1");
  EXPECT_EQ(back.auth_method, engine::AuthMethod::kApiKey);
  EXPECT_TRUE(back.mfa);
  EXPECT_EQ(back.session_scope, engine::SessionScope::kOrgLaunch);
  EXPECT_EQ(back.launch_org, "o9");
  EXPECT_EQ(back.client_ip, r.client_ip);
  EXPECT_EQ(back.time, r.time);
  EXPECT_TRUE(back.any_organization);
  EXPECT_TRUE(back.target.present);
  EXPECT_EQ(back.target.role, "manager");
  EXPECT_EQ(back.target.email, "t@msp.example");
  EXPECT_TRUE(back.target.all_organizations);
  ASSERT_EQ(back.target.organizations.size(), 2u);
  EXPECT_EQ(back.target.organizations[0].organization, "o2");
  EXPECT_EQ(back.target.organizations[0].role, "help_desk");
  EXPECT_EQ(back.target.organizations[1].organization, "o3");
  EXPECT_EQ(back.target.organizations[1].role, "");
}

TEST(DecisionRecord, NoAddressNoTargetAndIpv4) {
  Request r;
  r.admin = "a1";
  r.action = action("users.unlock");
  r.organization = "o1";
  r.time = 0;
  std::string line;
  appendDecisionLine(line, r, engine::Decision{true, engine::Reason::kAllowed, "help_desk"}, {"d", "v"});
  EXPECT_NE(line.find("\"clientIp\":null"), std::string::npos) << line;
  EXPECT_EQ(line.find("\"target\""), std::string::npos) << line;
  DecisionRecord rec;
  ASSERT_EQ(parseDecisionLine(line, rec), std::nullopt);
  EXPECT_FALSE(rec.request().client_ip.has_value());
  EXPECT_FALSE(rec.request().target.present);

  r.client_ip = engine::parseIpAddress("10.1.2.3");
  line.clear();
  appendDecisionLine(line, r, engine::Decision{true, engine::Reason::kAllowed, "help_desk"}, {"d", "v"});
  EXPECT_NE(line.find("\"clientIp\":\"10.1.2.3\""), std::string::npos) << line;
  ASSERT_EQ(parseDecisionLine(line, rec), std::nullopt);
  EXPECT_EQ(rec.request().client_ip, r.client_ip);
}

TEST(DecisionRecord, ControlCharactersAndQuotesAreEscaped) {
  const std::string nasty = "a\"b\\c\nd\x01\x7f";
  Request r;
  r.admin = nasty;
  r.action = action("users.unlock");
  std::string line;
  appendDecisionLine(line, r, engine::Decision{}, {"d", "v"});
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "no text may forge a second line";
  EXPECT_EQ(line.find('\x01'), std::string::npos);
  DecisionRecord rec;
  ASSERT_EQ(parseDecisionLine(line, rec), std::nullopt) << line;
  EXPECT_EQ(rec.admin, nasty);
}

TEST(DecisionRecord, AFieldALineLeavesOutIsNotTheLastLines) {
  Request r;
  r.admin = "a1";
  r.action = action("users.unlock");
  r.organization = "o1";
  r.provider = "p1";
  r.mfa = true;
  r.client_ip = engine::parseIpAddress("10.0.0.1");
  std::string line;
  appendDecisionLine(line, r, engine::Decision{true, engine::Reason::kAllowed, "help_desk"}, {"d", "v"});
  DecisionRecord rec;
  ASSERT_EQ(parseDecisionLine(line, rec), std::nullopt);
  ASSERT_EQ(parseDecisionLine("{\"admin\":\"a2\",\"action\":\"users.unlock\",\"allowed\":false,"
                              "\"time\":\"2026-12-06T22:40:00Z\"}", rec),
            std::nullopt);
  const Request& back = rec.request();
  EXPECT_EQ(back.admin, "a2");
  EXPECT_EQ(back.organization, "");
  EXPECT_EQ(back.provider, "");
  EXPECT_FALSE(back.mfa);
  EXPECT_FALSE(back.client_ip.has_value());
  EXPECT_TRUE(rec.id.empty());
}

TEST(DecisionRecord, MalformedLinesAreRefusedWithAReason) {
  DecisionRecord rec;
  EXPECT_TRUE(parseDecisionLine("", rec).has_value());
  EXPECT_TRUE(parseDecisionLine("not json", rec).has_value());
  EXPECT_TRUE(parseDecisionLine("{\"admin\":\"a\"", rec).has_value());
  EXPECT_TRUE(parseDecisionLine("{\"admin\":\"a\",\"action\":\"users.unlock\",\"allowed\":true}", rec).has_value())
      << "no time";
  EXPECT_TRUE(parseDecisionLine("{\"admin\":\"a\",\"action\":\"users.unlock\",\"allowed\":true,"
                                "\"time\":\"yesterday\"}", rec).has_value());
  EXPECT_TRUE(parseDecisionLine("{\"admin\":\"a\",\"action\":\"x\",\"allowed\":true,"
                                "\"time\":\"2026-12-06T22:40:00Z\",\"clientIp\":\"nope\"}", rec).has_value());
  // Unknown fields (a later version's) are skipped; an unknown action replays as such.
  EXPECT_EQ(parseDecisionLine("{\"admin\":\"a\",\"action\":\"no.such\",\"allowed\":false,"
                              "\"time\":\"2026-12-06T22:40:00Z\",\"later\":{\"x\":[1,2.5e3,null]}}", rec),
            std::nullopt);
  EXPECT_EQ(rec.request().action, engine::kNoAction);
}

}  // namespace
}  // namespace mtp::decisions
