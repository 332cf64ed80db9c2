// Helpers for the policy language tests: compile text, find diagnostics, evaluate one
// condition against a hand-built EvalContext.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "mtp/engine/policy_set.h"
#include "policy/compiled.h"

namespace mtp::engine::policy_test {

inline std::filesystem::path sourceDir() {
  const char* d = std::getenv("MTP_SOURCE_DIR");
  return d ? std::filesystem::path(d) : std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "..";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline PolicySource builtinRoles() {
  return PolicySource{"policies/builtin/roles.yaml",
                      slurp(sourceDir() / "policies" / "builtin" / "roles.yaml")};
}

inline std::string render(const Diagnostics& ds) {
  std::string s;
  for (const auto& d : ds) s += d.str() + "\n";
  return s;
}

// Compiles the built-in roles plus `text` as `t.yaml`.
inline Result<std::shared_ptr<const PolicySet>, Diagnostics> compileText(
    const std::string& text, bool with_builtins = true) {
  std::vector<PolicySource> sources;
  if (with_builtins) sources.push_back(builtinRoles());
  sources.push_back(PolicySource{"t.yaml", text});
  return PolicySet::compile(sources);
}

// The diagnostics of compiling `text` (alone, with the built-in roles), rendered; empty if
// it compiled.
inline std::string errorsOf(const std::string& text, bool with_builtins = true) {
  auto r = compileText(text, with_builtins);
  return r ? std::string() : render(r.error());
}

// A policy whose only `when` is `cond`, over `actions`.
inline std::string policyWith(const std::string& cond, const std::string& actions = "[\"*\"]") {
  std::string escaped;
  for (char c : cond) {
    if (c == '\'') escaped += "''";
    else escaped += c;
  }
  return "policies:\n  - id: p\n    effect: forbid\n    actions: " + actions + "\n    when: '" +
         escaped + "'\n";
}

// Compiles `cond` and evaluates it; fails the test if it does not compile.
class CondEval {
 public:
  explicit CondEval(const std::string& cond, const std::string& actions = "[\"*\"]") {
    auto r = compileText(policyWith(cond, actions));
    EXPECT_TRUE(r.has_value()) << cond << "\n" << (r ? "" : render(r.error()));
    if (r) set_ = *r;
  }
  detail::Tri operator()(const detail::EvalContext& ctx) const {
    if (!set_) return detail::Tri::kError;
    return detail::evalPolicy(set_->compiled().policies.at(0), ctx);
  }
  RoleId role(std::string_view id) const { return set_ ? set_->findRole(id).value_or(kNoRole) : kNoRole; }

 private:
  std::shared_ptr<const PolicySet> set_;
};

}  // namespace mtp::engine::policy_test
