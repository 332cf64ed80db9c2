// The impact replay (decisions/impact.h): logged decisions replayed through the current and a
// candidate policy set on one directory; flips both ways, grouped, with examples; malformed
// lines skipped and counted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "decisions/impact.h"
#include "mtp/engine/documents.h"
#include "mtp/engine/policy_set.h"

namespace mtp::decisions {
namespace {

std::string builtinRoles() {
  const char* src = std::getenv("MTP_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(src ? src : ".") / "policies" / "builtin" / "roles.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<const engine::Snapshot> snapshot(const std::string& extra_policy) {
  std::vector<engine::PolicySource> sources = {{"roles.yaml", builtinRoles()}};
  if (!extra_policy.empty()) sources.push_back({"extra.yaml", extra_policy});
  auto set = engine::PolicySet::compile(sources);
  EXPECT_TRUE(set.has_value());
  auto dir = engine::parseDirectoryDocument("dir.json", R"({
    "providers": [{"id": "msp1", "organizations": [
        {"id": "o1", "name": "Acme", "tags": []},
        {"id": "o2", "name": "Globex", "tags": ["change-freeze"]}]}],
    "admins": [
      {"id": "hd", "provider": "msp1", "email": "hd@msp.example", "roleName": "help_desk",
       "status": "active", "allOrganizations": true},
      {"id": "ro", "provider": "msp1", "email": "ro@msp.example", "roleName": "read_only",
       "status": "active", "allOrganizations": true}]})");
  EXPECT_TRUE(dir.has_value());
  auto snap = engine::Snapshot::build(*set, *dir);
  EXPECT_TRUE(snap.has_value());
  return *snap;
}

const char* const kFreeze = R"(policies:
  - id: no-restart-in-freeze
    effect: forbid
    actions: [devices.restart]
    when: org.tags contains "change-freeze"
)";

const char* const kReadOnlyUnlocks = R"(policies:
  - id: read-only-unlocks
    effect: permit
    actions: [users.unlock]
    when: principal.role == "read_only"
)";

// One logged line, as mtpd writes it.
std::string logLine(const std::string& id, const std::string& admin, const std::string& action,
                    const std::string& org, bool allowed) {
  engine::Request r;
  r.admin = admin;
  r.action = *engine::findAction(action);
  r.organization = org;
  r.provider = "msp1";
  r.mfa = true;
  r.time = 1796594400;
  std::string line;
  appendDecisionLine(line, r, engine::Decision{allowed, allowed ? engine::Reason::kAllowed : engine::Reason::kRoleLacksAction, "x"},
                     DecisionFields{id, "v"});
  line.pop_back();
  return line;
}

void replayAll(ImpactReplay& replay) {
  replay.addLine(logLine("1", "hd", "devices.restart", "o1", true), "log", 1);
  replay.addLine(logLine("2", "hd", "devices.restart", "o2", true), "log", 2);
  replay.addLine(logLine("3", "hd", "devices.restart", "o2", true), "log", 3);
  replay.addLine(logLine("4", "ro", "users.unlock", "o1", false), "log", 4);
  replay.addLine(logLine("5", "ro", "users.read", "o1", true), "log", 5);
  replay.addLine("{broken", "log", 6);
}

TEST(Impact, NoChangeNoFlips) {
  ImpactReplay replay(snapshot(""), snapshot(""));
  replayAll(replay);
  EXPECT_EQ(replay.report().replayed, 5u);
  EXPECT_EQ(replay.report().skipped, 1u);
  ASSERT_EQ(replay.report().skipped_lines.size(), 1u);
  EXPECT_EQ(replay.report().skipped_lines[0].rfind("log:6: ", 0), 0u) << replay.report().skipped_lines[0];
  EXPECT_EQ(replay.report().to_denied.count, 0u);
  EXPECT_EQ(replay.report().to_allowed.count, 0u);
}

TEST(Impact, AForbidFlipsAllowedToDeniedGroupedByTheForbid) {
  ImpactReplay replay(snapshot(""), snapshot(kFreeze));
  replayAll(replay);
  const auto& r = replay.report();
  EXPECT_EQ(r.to_allowed.count, 0u);
  ASSERT_EQ(r.to_denied.count, 2u);
  EXPECT_EQ(r.to_denied.by_policy.at("no-restart-in-freeze"), 2u);
  EXPECT_EQ(r.to_denied.by_action.at("devices.restart"), 2u);
  EXPECT_EQ(r.to_denied.by_admin.at("hd"), 2u);
  EXPECT_EQ(r.to_denied.by_org.at("o2"), 2u);
  ASSERT_EQ(r.to_denied.examples.size(), 2u);
  const auto& e = r.to_denied.examples[0];
  EXPECT_EQ(e.id, "2");
  EXPECT_EQ(e.time, "2026-12-06T22:00:00Z");
  EXPECT_EQ(e.before_reason, "allowed");
  EXPECT_EQ(e.before_by, "help_desk");
  EXPECT_EQ(e.after_reason, "forbidden_by_policy");
  EXPECT_EQ(e.after_by, "no-restart-in-freeze");
}

TEST(Impact, RemovingAForbidAndAddingAPermitFlipDeniedToAllowed) {
  ImpactReplay replay(snapshot(kFreeze), snapshot(kReadOnlyUnlocks));
  replayAll(replay);
  const auto& r = replay.report();
  EXPECT_EQ(r.to_denied.count, 0u);
  ASSERT_EQ(r.to_allowed.count, 3u);
  // Grouped by the rule that no longer denies: the removed forbid, the role that lacked it.
  EXPECT_EQ(r.to_allowed.by_policy.at("no-restart-in-freeze"), 2u);
  EXPECT_EQ(r.to_allowed.by_policy.at("read_only"), 1u);
  EXPECT_EQ(r.to_allowed.by_admin.at("ro"), 1u);
  EXPECT_EQ(r.to_allowed.by_action.at("users.unlock"), 1u);
}

TEST(Impact, ExamplesAreCappedButCountsAreNot) {
  ImpactReplay replay(snapshot(""), snapshot(kFreeze), 1);
  for (int i = 0; i < 10; ++i) replay.addLine(logLine(std::to_string(i), "hd", "devices.restart", "o2", true), "log", 1);
  EXPECT_EQ(replay.report().to_denied.count, 10u);
  EXPECT_EQ(replay.report().to_denied.examples.size(), 1u);
}

TEST(Impact, ReadsFilesLineByLine) {
  const auto file = std::filesystem::temp_directory_path() / ("mtp_impact_" + std::to_string(::getpid()) + ".log");
  {
    std::ofstream out(file);
    // Long enough that lines straddle the reader's chunks.
    for (int i = 0; i < 20000; ++i) out << logLine(std::to_string(i), "hd", "devices.restart", i % 2 ? "o1" : "o2", true) << "\n";
    out << logLine("last", "hd", "devices.restart", "o2", true);  // no final newline
  }
  ImpactReplay replay(snapshot(""), snapshot(kFreeze));
  std::string error;
  ASSERT_TRUE(replay.addFile(file, error)) << error;
  EXPECT_EQ(replay.report().skipped, 0u);
  EXPECT_EQ(replay.report().replayed, 20001u);
  EXPECT_EQ(replay.report().to_denied.count, 10001u);
  std::filesystem::remove(file);
  EXPECT_FALSE(replay.addFile(file, error));
  EXPECT_NE(error.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace mtp::decisions
