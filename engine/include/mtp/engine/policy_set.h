// A compiled, immutable set of roles and custom policies, built from policy files.
// Compilation reports every problem at once as `file:line:col: code: message`; a set that
// fails to compile does not exist, so it can never replace a live one.
// Thread-safety: immutable once built; share it as std::shared_ptr<const PolicySet>.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mtp/engine/action.h"
#include "mtp/engine/diagnostic.h"
#include "mtp/engine/result.h"

namespace mtp::engine {

namespace detail {
struct CompiledPolicies;
}

using RoleId = std::uint16_t;
inline constexpr RoleId kNoRole = 0xffff;

enum class Effect : std::uint8_t { kPermit, kForbid };

struct RoleInfo {
  std::string id;     // `help_desk`
  std::string title;  // `Help Desk`
  std::string description;
  ActionSet actions;
};

struct PolicyInfo {
  std::string id;
  std::string description;
  Effect effect = Effect::kForbid;
  ActionSet actions;
  std::string file;
  int line = 0;
};

// One policy file's name (as it should appear in diagnostics) and text.
struct PolicySource {
  std::string path;
  std::string text;
};

class PolicySet {
 public:
  // Compiles the given sources as one set. On failure returns every diagnostic.
  static Result<std::shared_ptr<const PolicySet>, Diagnostics> compile(
      std::span<const PolicySource> sources);

  // Reads every `*.yaml`/`*.yml` file below `dir` (sorted by path), except policy test files
  // (`*_test.yaml`, `*_test.yml`), and compiles them. A missing or unreadable directory is a
  // diagnostic too.
  static Result<std::shared_ptr<const PolicySet>, Diagnostics> load(
      const std::filesystem::path& dir);

  // The files load() would compile (the same files, order and names), read but not compiled:
  // for storing a set elsewhere (`mtpctl policy push`). Any unreadable file is an error.
  static Result<std::vector<PolicySource>, Diagnostics> readSources(
      const std::filesystem::path& dir);

  std::optional<RoleId> findRole(std::string_view id) const;
  std::size_t roleCount() const;
  const RoleInfo& role(RoleId id) const;  // REQUIRES: id < roleCount()

  std::size_t policyCount() const;
  const PolicyInfo& policy(std::size_t i) const;  // REQUIRES: i < policyCount()

  // The set's version: a hash of its policy files' texts in compile order (16 hex digits).
  // Equal texts give equal versions; any change to any file gives another one.
  std::string_view version() const;

  // True if some custom policy applies to `action` (the role-only fast path is taken
  // otherwise).
  bool hasPoliciesFor(ActionId action) const;

  // For the engine's own sources.
  const detail::CompiledPolicies& compiled() const { return *compiled_; }

  explicit PolicySet(std::unique_ptr<const detail::CompiledPolicies> compiled);
  ~PolicySet();
  PolicySet(const PolicySet&) = delete;
  PolicySet& operator=(const PolicySet&) = delete;

 private:
  std::unique_ptr<const detail::CompiledPolicies> compiled_;
};

}  // namespace mtp::engine
