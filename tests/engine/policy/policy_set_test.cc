// Loading and compiling whole policy sets: the shipped files, role expansion, load().
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "policy/compiled.h"
#include "policy_test_util.h"

namespace mtp::engine {
namespace {

using policy_test::render;
using policy_test::sourceDir;

std::set<std::string> namesOf(ActionSet s) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < allActions().size(); ++i) {
    if (s.has(static_cast<ActionId>(i))) out.insert(std::string(allActions()[i].name));
  }
  return out;
}

// Written by hand from the table of spec/authorization.md, not from the role file.
const std::map<std::string, std::pair<std::string, std::set<std::string>>>& specRoles() {
  static const auto* table = [] {
    std::set<std::string> every = {
        "orgs.read", "orgs.create", "orgs.update", "orgs.launch", "orgs.remove",
        "admins.read", "admins.create", "admins.update", "admins.suspend", "admins.restore",
        "admins.delete", "admins.reset_password", "admins.reset_mfa", "admins.grant_access",
        "admins.enable_api",
        "users.read", "users.create", "users.update", "users.delete", "users.unlock",
        "users.suspend", "users.activate", "users.reset_password", "users.reset_mfa",
        "devices.read", "devices.update", "devices.lock", "devices.restart", "devices.shutdown",
        "devices.remote_assist", "commands.read", "commands.run", "billing.read",
        "billing.update", "activity.read", "activity.export", "settings.read",
        "settings.update", "integrations.read", "integrations.update", "home.read",
        "access_review.read", "access_review.certify"};
    auto minus = [](std::set<std::string> s, std::initializer_list<const char*> drop) {
      for (auto d : drop) s.erase(d);
      return s;
    };
    auto* t = new std::map<std::string, std::pair<std::string, std::set<std::string>>>;
    (*t)["admin_billing"] = {"Administrator with Billing", every};
    (*t)["admin"] = {"Administrator",
                     minus(every, {"billing.read", "billing.update", "orgs.create", "orgs.remove",
                                   "admins.create", "admins.update", "admins.suspend",
                                   "admins.restore", "admins.delete", "admins.reset_password",
                                   "admins.reset_mfa", "admins.grant_access",
                                   "admins.enable_api", "access_review.certify", "settings.update",
                                   "integrations.update"})};
    (*t)["manager"] = {"Manager",
                       {"users.read", "users.create", "users.update", "users.unlock",
                        "users.suspend", "users.activate", "users.reset_password",
                        "users.reset_mfa", "devices.read", "devices.update", "devices.lock",
                        "devices.restart", "devices.remote_assist", "commands.read", "orgs.read",
                        "orgs.launch", "admins.read", "activity.read", "home.read",
                        "settings.read"}};
    (*t)["help_desk"] = {"Help Desk",
                         {"users.read", "users.unlock", "users.suspend", "users.activate",
                          "users.reset_password", "users.reset_mfa", "devices.read",
                          "devices.lock", "devices.restart", "devices.remote_assist",
                          "orgs.read", "orgs.launch", "admins.read", "activity.read",
                          "home.read"}};
    (*t)["command_runner"] = {"Command Runner",
                              {"commands.read", "commands.run", "devices.read", "orgs.read",
                               "orgs.launch", "home.read"}};
    (*t)["command_runner_billing"] = {"Command Runner with Billing",
                                      {"commands.read", "commands.run", "devices.read",
                                       "orgs.read", "orgs.launch", "home.read", "billing.read",
                                       "billing.update"}};
    (*t)["read_only"] = {"Read Only",
                         {"orgs.read", "admins.read", "users.read", "devices.read",
                          "commands.read", "activity.read", "settings.read",
                          "integrations.read", "home.read", "activity.export",
                          "orgs.launch"}};
    (*t)["billing_only"] = {"Billing Only", {"billing.read", "billing.update"}};
    return t;
  }();
  return *table;
}

TEST(PolicySet, BuiltinRolesMatchTheSpecTable) {
  auto set = PolicySet::compile(std::vector<PolicySource>{policy_test::builtinRoles()});
  ASSERT_TRUE(set.has_value()) << render(set.error());
  const PolicySet& ps = **set;
  ASSERT_EQ(ps.roleCount(), 8u);
  for (const auto& [id, expected] : specRoles()) {
    auto rid = ps.findRole(id);
    ASSERT_TRUE(rid.has_value()) << id;
    EXPECT_EQ(ps.role(*rid).title, expected.first) << id;
    EXPECT_EQ(namesOf(ps.role(*rid).actions), expected.second) << id;
  }
  EXPECT_EQ(ps.policyCount(), 0u);
}

TEST(PolicySet, RolesNeverHoldSelfActions) {
  auto set = PolicySet::compile(std::vector<PolicySource>{policy_test::builtinRoles()});
  ASSERT_TRUE(set.has_value());
  const ActionSet self = actionsWithScope(Scope::kSelf);
  for (RoleId r = 0; r < (*set)->roleCount(); ++r) {
    EXPECT_EQ((*set)->role(r).actions.bits() & self.bits(), 0u) << (*set)->role(r).id;
  }
}

TEST(PolicySet, ShippedDirectoryLoadsWithExamples) {
  auto set = PolicySet::load(sourceDir() / "policies");
  ASSERT_TRUE(set.has_value()) << render(set.error());
  EXPECT_EQ((*set)->roleCount(), 8u);
  EXPECT_EQ((*set)->policyCount(), 7u);
  for (std::size_t i = 0; i < (*set)->policyCount(); ++i) {
    EXPECT_NE((*set)->policy(i).file.find("policies/examples/"), std::string::npos);
  }
  EXPECT_TRUE((*set)->hasPoliciesFor(*findAction("billing.update")));
  EXPECT_TRUE((*set)->hasPoliciesFor(*findAction("devices.shutdown")));
}

TEST(PolicySet, IndexesPoliciesByActionAndEffect) {
  auto set = policy_test::compileText(R"(
policies:
  - id: f1
    effect: forbid
    actions: [devices.shutdown, users.*]
  - id: p1
    effect: permit
    actions: [commands.run]
    when: principal.role == "help_desk"
)");
  ASSERT_TRUE(set.has_value()) << render(set.error());
  const auto& c = (*set)->compiled();
  ActionId shutdown = *findAction("devices.shutdown");
  ActionId run = *findAction("commands.run");
  ActionId unlock = *findAction("users.unlock");
  EXPECT_EQ(c.forbids_by_action[shutdown], std::vector<std::uint16_t>{0});
  EXPECT_EQ(c.forbids_by_action[unlock], std::vector<std::uint16_t>{0});
  EXPECT_EQ(c.permits_by_action[run], std::vector<std::uint16_t>{1});
  EXPECT_TRUE(c.permits_by_action[shutdown].empty());
  EXPECT_FALSE((*set)->hasPoliciesFor(*findAction("billing.read")));
  EXPECT_EQ((*set)->policy(1).effect, Effect::kPermit);
  EXPECT_EQ((*set)->policy(1).file, "t.yaml");
  EXPECT_EQ((*set)->policy(1).line, 6);
  EXPECT_EQ(c.role_ids.at("help_desk"), *(*set)->findRole("help_desk"));
  EXPECT_FALSE((*set)->findRole("nobody").has_value());
}

TEST(PolicySet, PolicyStarCoversSelfActions) {
  auto set = policy_test::compileText("policies:\n  - id: all\n    effect: forbid\n    actions: [\"*\"]\n");
  ASSERT_TRUE(set.has_value());
  EXPECT_TRUE((*set)->policy(0).actions.containsAll(actionsWithScope(Scope::kSelf)));
}

TEST(PolicySet, IncludesAndExceptCompose) {
  auto set = policy_test::compileText(R"(
roles:
  - id: base
    grants: [devices.*]
  - id: derived
    title: Derived
    includes: [base, later]
    grants: [users.read]
    except: [devices.shutdown]
  - id: later
    grants: [home.read]
)", false);
  ASSERT_TRUE(set.has_value()) << render(set.error());
  const auto& r = (*set)->role(*(*set)->findRole("derived"));
  EXPECT_EQ(r.title, "Derived");
  EXPECT_EQ(namesOf(r.actions),
            (std::set<std::string>{"devices.read", "devices.update", "devices.lock",
                                   "devices.restart", "devices.remote_assist", "users.read",
                                   "home.read"}));
  EXPECT_EQ((*set)->role(*(*set)->findRole("base")).title, "base");
}

TEST(PolicySet, EmptyAndCommentOnlyFilesDefineNothing) {
  auto set = PolicySet::compile(std::vector<PolicySource>{{"a.yaml", ""}, {"b.yaml", "# hi\n"}});
  ASSERT_TRUE(set.has_value()) << render(set.error());
  EXPECT_EQ((*set)->roleCount(), 0u);
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("mtp_policy_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& rel, const std::string& text) {
    auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(PolicySetLoad, ReadsYamlRecursivelySkippingTestFilesAndReportsRelativePaths) {
  TempDir dir;
  dir.write("b/roles.yml", "roles:\n  - id: r1\n    grants: [home.read]\n");
  dir.write("a/p.yaml", "policies:\n  - id: p1\n    effect: forbid\n    actions: [nope.read]\n");
  dir.write("a/p_test.yaml", "this is: [not even parsed\n");
  dir.write("a/notes.txt", "ignored: [\n");
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto set = PolicySet::load("a");
  auto all = PolicySet::load(".");
  std::filesystem::current_path(cwd);
  ASSERT_FALSE(set.has_value());
  ASSERT_EQ(set.error().size(), 1u) << render(set.error());
  EXPECT_EQ(set.error()[0].str(), "a/p.yaml:4:15: unknown_action: unknown action `nope.read`; did you mean `home.read`?");
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error()[0].file, "./a/p.yaml");
}

TEST(PolicySetLoad, MissingDirectoryIsAFileError) {
  auto set = PolicySet::load("/nonexistent/mtp/policies");
  ASSERT_FALSE(set.has_value());
  ASSERT_EQ(set.error().size(), 1u);
  EXPECT_EQ(set.error()[0].code, "file_error");
  EXPECT_EQ(set.error()[0].str(), "/nonexistent/mtp/policies: file_error: not a readable directory");
}

TEST(PolicySetLoad, HugeFileIsAFileErrorAndOtherFilesAreStillChecked) {
  TempDir dir;
  dir.write("big.yaml", "# " + std::string(2 << 20, 'x') + "\n");
  dir.write("c.yaml", "roles:\n  - id: Bad\n    grants: []\n");
  auto set = PolicySet::load(dir.path());
  ASSERT_FALSE(set.has_value());
  std::string out = render(set.error());
  EXPECT_NE(out.find("big.yaml: file_error: file is larger than 1048576 bytes"), std::string::npos)
      << out;
  EXPECT_NE(out.find("c.yaml:2:9: bad_id"), std::string::npos) << out;
}

}  // namespace
}  // namespace mtp::engine
