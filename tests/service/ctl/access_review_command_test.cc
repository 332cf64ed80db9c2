// `mtpctl access-review` end to end on both backends: the real mtpctl prints the fixture
// database's review of one provider (the same use case as GET .../access-review), as JSON
// and as CSV, and refuses an unknown provider or format.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "service_fixture.h"

namespace mtp::testing {
namespace {

#ifdef MTP_MTPCTL_BIN

struct Ran {
  int code = -1;
  std::string out;
};

Ran run(const std::string& args) {
  Ran r;
  FILE* p = ::popen((std::string(MTP_MTPCTL_BIN) + " " + args + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string builtin() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return (std::filesystem::path(d ? d : ".") / "policies" / "builtin").string();
}

class AccessReviewCommandTest : public ServiceTest {};

TEST_P(AccessReviewCommandTest, PrintsTheReviewAsJsonAndCsv) {
  const std::string p = createProvider("Provider A");
  const std::string o1 = createOrg(p, "Acme");
  const std::string other = createProvider("Provider B");
  auto owner = createAdmin(p, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  auto hd = createAdmin(p, SeedAdmin{.role = "help_desk", .organizations = {{o1, "manager"}}});
  auto b = createAdmin(other, SeedAdmin{.role = "admin_billing", .all_organizations = true});
  const std::string common = " --db '" + databaseUrl() + "' --policies '" + builtin() + "'";

  Ran r = run("access-review --provider " + p + common);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["totalCount"], 2);
  EXPECT_EQ(r.out.find(b.id), std::string::npos);  // another provider's admin never appears
  bool found = false;
  for (const auto& a : j["results"]) {
    if (a["adminId"] != hd.id) continue;
    found = true;
    ASSERT_EQ(a["organizations"].size(), 1u);
    EXPECT_EQ(a["organizations"][0]["roleSource"], "perOrg");
    EXPECT_EQ(a["organizations"][0]["role"], "manager");
  }
  EXPECT_TRUE(found);

  r = run("access-review --format csv --provider " + p + common);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("adminId,email,", 0), 0u);
  EXPECT_NE(r.out.find(hd.id + "," + hd.email + ",active,help_desk,false," + o1 + ",Acme,grant,manager,perOrg,"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(owner.id), std::string::npos);

  EXPECT_EQ(run("access-review --provider nope" + common).code, 2);
  EXPECT_EQ(run("access-review --format xml --provider " + p + common).code, 2);
}

MTP_SERVICE_BACKENDS(AccessReviewCommandTest);

#endif

}  // namespace
}  // namespace mtp::testing
