// The policy files as read, before validation: every value keeps its source location.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mtp::engine::detail {

struct Located {
  std::string value;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, of the scalar's first character (its quote if quoted)
  bool quoted = false;
  // Column of the character at `offset` in `value` (an approximation for escaped text).
  int columnAt(std::size_t offset) const {
    return column + static_cast<int>(offset) + (quoted ? 1 : 0);
  }
};

struct RawRole {
  Located id;
  std::optional<Located> title;
  std::optional<Located> description;
  std::vector<Located> grants;
  std::vector<Located> except;
  std::vector<Located> includes;
  std::string file;
  int line = 0;
  int column = 0;
};

struct RawPolicy {
  Located id;
  std::optional<Located> description;
  std::optional<Located> effect;
  std::vector<Located> actions;
  std::vector<Located> when;
  std::vector<Located> unless;
  std::string file;
  int line = 0;
  int column = 0;
};

struct RawSet {
  std::vector<RawRole> roles;
  std::vector<RawPolicy> policies;
};

}  // namespace mtp::engine::detail
