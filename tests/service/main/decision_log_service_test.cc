// mtpd with --decision-log (issue 14 item 1): every decision of a real HTTP request becomes one
// line, with the policy version in force; requests made with a session token and with an API
// key never show the credential; the file is the owner's only.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "decisions/decision_record.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

class DecisionLogServiceTest : public ServiceTest {
 protected:
  void configure(service::MtpdOptions& o) override {
    log_ = std::filesystem::temp_directory_path() /
           ("mtp_decisions_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++) + ".log");
    std::filesystem::remove(log_);
    o.decision_log.path = log_.string();
  }
  void TearDown() override {
    ServiceTest::TearDown();
    std::error_code ec;
    std::filesystem::remove(log_, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  // The log's lines once it holds at least `n` (the writer thread is asynchronous).
  // The log's lines once it holds at least `n` and a denial (the last request's decision is
  // written last: the async writer keeps the order), or what is there after 5 s.
  std::vector<std::string> waitForLines(std::size_t n) {
    std::vector<std::string> out;
    for (int i = 0; i < 500; ++i) {
      out.clear();
      bool denial = false;
      std::ifstream in(log_);
      for (std::string l; std::getline(in, l);) {
        denial = denial || l.find("\"allowed\":false") != std::string::npos;
        out.push_back(l);
      }
      if (out.size() >= n && denial) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return out;
  }
  std::filesystem::path log_;
};

TEST_P(DecisionLogServiceTest, EveryDecisionIsALineWithoutAnyCredential) {
  const auto p = createProvider("A");
  const auto other = createProvider("B");
  auto a = createAdmin(p, SeedAdmin{.role = "admin", .all_organizations = true, .api_key_allowed = true});
  const std::string admins = "/api/v2/providers/" + p + "/administrators";
  ASSERT_EQ(call("GET", admins, a.token).status, 200);
  const auto key_resp = call("POST", "/api/v2/me/apikey", a.token);
  ASSERT_LT(key_resp.status, 300) << key_resp.body;
  const std::string key = body(key_resp)["apiKey"].get<std::string>();
  ASSERT_EQ(callWithKey("GET", admins, key).status, 200);
  const auto denied = call("GET", "/api/v2/providers/" + other + "/administrators", a.token);
  ASSERT_GE(denied.status, 400);

  const auto lines = waitForLines(3);
  ASSERT_GE(lines.size(), 3u);
  const std::string version(mtpd().authorizer().current()->policyVersion());
  bool session = false, api_key = false, denial = false;
  decisions::DecisionRecord rec;
  for (const auto& l : lines) {
    EXPECT_EQ(l.find(a.token), std::string::npos) << "the session token is in the log";
    EXPECT_EQ(l.find(key), std::string::npos) << "the API key is in the log";
    // Nor any long piece of either (a key's secret part, a token's signature).
    for (const std::string& secret : {key, a.token})
      for (std::size_t i = 0; i + 16 <= secret.size(); i += 8)
        EXPECT_EQ(l.find(secret.substr(i, 16)), std::string::npos) << l;
    ASSERT_EQ(decisions::parseDecisionLine(l, rec), std::nullopt) << l;
    EXPECT_EQ(rec.admin, a.id);
    EXPECT_EQ(rec.policy_version, version);
    EXPECT_FALSE(rec.id.empty());
    EXPECT_EQ(rec.client_ip, "127.0.0.1");
    if (rec.action == "admins.read" && rec.allowed) {
      if (rec.request().auth_method == engine::AuthMethod::kApiKey) api_key = true;
      else session = true;
    }
    if (!rec.allowed) denial = true;
  }
  EXPECT_TRUE(session);
  EXPECT_TRUE(api_key);
  EXPECT_TRUE(denial);
  struct stat st {};
  ASSERT_EQ(::stat(log_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

MTP_SERVICE_BACKENDS(DecisionLogServiceTest);

}  // namespace
}  // namespace mtp::testing
