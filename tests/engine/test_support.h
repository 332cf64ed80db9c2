// Helpers shared by the engine's tests: compile policies from text (with the shipped built-in
// roles), build snapshots, and make requests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"

namespace mtp::engine::testing {

inline std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? std::filesystem::path(d) : std::filesystem::current_path();
}

inline std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The shipped built-in roles file.
inline PolicySource builtinRoles() {
  const auto p = sourceDir() / "policies" / "builtin" / "roles.yaml";
  return PolicySource{"policies/builtin/roles.yaml", readFile(p)};
}

inline std::string joinDiagnostics(const Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds) s += d.str() + "\n";
  return s;
}

// Compiles the built-in roles plus `extra` (a YAML policy file's text). Fails the test on error.
inline std::shared_ptr<const PolicySet> compileWith(const std::string& extra = "") {
  std::vector<PolicySource> sources{builtinRoles()};
  if (!extra.empty()) sources.push_back(PolicySource{"test.yaml", extra});
  auto set = PolicySet::compile(sources);
  EXPECT_TRUE(set.has_value()) << (set ? "" : joinDiagnostics(set.error()));
  return set ? *set : nullptr;
}

inline std::shared_ptr<const Snapshot> snapshotOf(std::shared_ptr<const PolicySet> set,
                                                  const DirectoryData& d) {
  auto snap = Snapshot::build(std::move(set), d);
  EXPECT_TRUE(snap.has_value()) << (snap ? "" : snap.error().message);
  return snap ? *snap : nullptr;
}

inline ActionId act(std::string_view name) {
  auto a = findAction(name);
  EXPECT_TRUE(a.has_value()) << name;
  return a.value_or(kNoAction);
}

inline constexpr UnixTime kNow = 1795334400;  // 2026-11-22T08:00:00Z

inline AdminData admin(std::string id, std::string provider, std::string role,
                       bool all_orgs = false, std::vector<GrantData> grants = {}) {
  AdminData a;
  a.id = id;
  a.provider = std::move(provider);
  a.email = id + "@msp.example";
  a.role = std::move(role);
  a.all_organizations = all_orgs;
  a.organizations = std::move(grants);
  return a;
}

inline Request req(std::string_view admin, std::string_view action, std::string_view org = {}) {
  Request r;
  r.admin = admin;
  r.action = findAction(action).value_or(kNoAction);
  r.organization = org;
  r.mfa = true;
  r.time = kNow;
  return r;
}

}  // namespace mtp::engine::testing
