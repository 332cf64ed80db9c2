// The closed set of actions the engine knows: `resource.verb`, each with its scope.
// Strings become an ActionId once (at route-table build or policy compile time); the hot path
// only ever sees ids and ActionSet bit masks.
// Thread-safety: everything here is immutable and safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mtp::engine {

// Provider-scoped actions have no target org; org-scoped actions name one; self actions are
// what every admin may do on their own account whatever the role.
enum class Scope : std::uint8_t { kProvider, kOrg, kSelf };

using ActionId = std::uint8_t;
inline constexpr ActionId kNoAction = 0xff;  // an action name that is not in the catalogue

struct ActionInfo {
  std::string_view name;      // "users.unlock"
  std::string_view resource;  // "users"
  std::string_view verb;      // "unlock"
  Scope scope;
};

// A set of actions as a bit mask; the catalogue holds fewer than 64 actions.
class ActionSet {
 public:
  constexpr ActionSet() = default;
  static constexpr ActionSet fromBits(std::uint64_t bits) { ActionSet s; s.bits_ = bits; return s; }
  constexpr bool has(ActionId a) const { return a < 64 && ((bits_ >> a) & 1u) != 0; }
  constexpr void add(ActionId a) { if (a < 64) bits_ |= (std::uint64_t{1} << a); }
  constexpr void remove(ActionId a) { if (a < 64) bits_ &= ~(std::uint64_t{1} << a); }
  constexpr void addAll(ActionSet o) { bits_ |= o.bits_; }
  constexpr void removeAll(ActionSet o) { bits_ &= ~o.bits_; }
  constexpr bool containsAll(ActionSet o) const { return (o.bits_ & ~bits_) == 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint64_t bits() const { return bits_; }
  constexpr bool operator==(const ActionSet&) const = default;

 private:
  std::uint64_t bits_ = 0;
};

// Every action, in catalogue order (ActionId is the index).
std::span<const ActionInfo> allActions();

// The id of `name`, or nullopt if it is not in the closed set.
std::optional<ActionId> findAction(std::string_view name);

// REQUIRES: id < allActions().size().
const ActionInfo& actionInfo(ActionId id);

// Expands a pattern used in role and policy files: an exact name (`users.unlock`),
// `resource.*`, `*.verb`, or `*`. Returns an empty set when nothing matches.
ActionSet expandActionPattern(std::string_view pattern);

// All actions whose scope is `scope`.
ActionSet actionsWithScope(Scope scope);

// Actions that create or edit an admin or its org access: the escalation check applies.
ActionSet escalationActions();

// Actions that stay reachable when MFA is required but not verified (enrollment, logout).
ActionSet mfaExemptActions();

}  // namespace mtp::engine
