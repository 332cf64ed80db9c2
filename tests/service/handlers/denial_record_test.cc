// Issue 10 items 5 and 6 over real HTTP on both backends: what a denial leaves behind.
//  - a denied read of another provider's org and of an id that exists nowhere record the same
//    reason (`org_unknown`) in the caller's activity log (the answer is the same 404);
//  - request text that is not an id (a 50,000-byte x-org-id) is not stored in the event, and
//    no field of an event grows past its cap;
//  - an id with `%0A` in a path cannot forge a server log line: control characters are
//    escaped in every line.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "http/log_format.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

using nlohmann::json;

class DenialRecordTest : public ServiceTest {
 protected:
  // The access_denied events of a provider, as {organization, reason}.
  std::vector<std::pair<std::string, std::string>> denials(const std::string& p) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : activity(p)) {
      if (e.event_type != "access_denied") continue;
      std::string reason;
      for (const auto& c : json::parse(e.changes_json))
        if (c["field"] == "reason") reason = c["to"];
      out.emplace_back(e.organization, reason);
    }
    return out;
  }
};

TEST_P(DenialRecordTest, AnotherProvidersOrgAndARandomIdRecordTheSameReason) {
  auto p1 = createProvider("MSP One");
  auto owner = createAdmin(p1, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  auto p2 = createProvider("MSP Two");
  auto theirs = createOrg(p2, "Their client");
  const std::string nowhere = "0123456789abcdef01234567";
  auto a = call("GET", "/api/systemusers", owner.token, "", {{"x-org-id", theirs}});
  auto b = call("GET", "/api/systemusers", owner.token, "", {{"x-org-id", nowhere}});
  EXPECT_EQ(a.status, 404) << a.body;
  EXPECT_EQ(b.status, 404) << b.body;
  const auto d = denials(p1);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].second, "org_unknown");
  EXPECT_EQ(d[1].second, "org_unknown");
  EXPECT_TRUE(denials(p2).empty());  // nothing in the other provider's log
}

TEST_P(DenialRecordTest, RequestTextThatIsNoIdIsNotStored) {
  auto p = createProvider("MSP");
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk"});  // reaches no org
  const std::string huge(50'000, 'a');
  auto r = call("GET", "/api/systemusers", hd.token, "", {{"x-org-id", huge}});
  EXPECT_EQ(r.status, 404) << r.body;
  std::size_t n = 0;
  for (const auto& e : activity(p)) {
    if (e.event_type != "access_denied") continue;
    ++n;
    EXPECT_EQ(e.organization, "");
    EXPECT_NE(e.changes_json.find("(not an id)"), std::string::npos) << e.changes_json;
    EXPECT_LT(e.organization.size() + e.changes_json.size() + e.resource_id.size() + e.client_ip.size(), 2048u);
  }
  EXPECT_EQ(n, 1u);
}

TEST_P(DenialRecordTest, AnIdWithALineBreakCannotForgeALogLine) {
  auto p = createProvider("MSP");
  auto owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  // A logger with the current sinks plus one the test reads; the old one stays alive.
  std::ostringstream captured;
  auto old = spdlog::default_logger();
  auto sinks = old->sinks();
  sinks.push_back(std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  auto logger = std::make_shared<spdlog::logger>("denial_record_test", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
  http::installEscapingLogFormat();

  auto r = call("GET", "/api/v2/providers/" + p + "/organizations/x%0Adecision%20id=forged%0D", owner.token);
  spdlog::set_default_logger(old);
  EXPECT_EQ(r.status, 404) << r.body;
  const std::string log = captured.str();
  ASSERT_NE(log.find("forged"), std::string::npos) << log;  // the id was logged...
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    // ...never as a line of its own: only inside the escaped id.
    if (line.find("decision id=forged") != std::string::npos) {
      EXPECT_NE(line.find("x\\ndecision id=forged"), std::string::npos) << line;
    }
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  }
  EXPECT_NE(log.find("x\\ndecision id=forged\\r"), std::string::npos) << log;
}

TEST(LogFormat, EscapesEveryControlCharacter) {
  EXPECT_EQ(http::escapeControlChars("plain text é"), "plain text é");
  EXPECT_EQ(http::escapeControlChars("a\nb\rc\td\x1b[31m\x7f"), "a\\nb\\rc\\td\\x1b[31m\\x7f");
}

MTP_SERVICE_BACKENDS(DenialRecordTest);

}  // namespace
}  // namespace mtp::testing
