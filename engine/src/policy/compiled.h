// The compiled form of a policy set, shared by the policy compiler (which builds it) and the
// authorizer (which reads it). Internal to the engine.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mtp/engine/action.h"
#include "mtp/engine/policy_set.h"
#include "mtp/engine/request.h"

namespace mtp::engine::detail {

// Three-valued result of a condition: an attribute the request lacks (no client IP, no
// target, no org) makes the condition an error. An erroring permit is skipped; an erroring
// forbid denies.
enum class Tri : std::uint8_t { kFalse, kTrue, kError };

// What a condition may look at. Everything is resolved by the authorizer before policies run.
struct PrincipalView {
  std::string_view id;
  std::string_view email;
  std::string_view provider;
  RoleId default_role = kNoRole;
  RoleId role = kNoRole;  // the effective role: the org grant's role, else the default
  bool mfa_required = false;  // enableMultiFactor or the provider's requireAdminMFA
  bool api_key_allowed = false;
  bool all_organizations = false;
};

struct OrgView {
  std::string_view id;
  std::string_view name;
  std::span<const std::string> tags;
};

struct TargetView {
  const Target* target = nullptr;  // null: the request has no target
  RoleId role = kNoRole;           // target->role resolved; kNoRole if empty or unknown
};

struct EvalContext {
  const Request* request = nullptr;
  ActionId action = kNoAction;
  PrincipalView principal;
  const OrgView* org = nullptr;  // null for provider-scoped and self actions
  TargetView target;
};

// What a condition's value depends on: only the principal's own attributes (id, email,
// provider, default role, its flags), only the org's (id, name, tags), or the request (anything
// else, including the effective role). A snapshot evaluates the first two kinds once per admin
// or org.
enum class Depends : std::uint8_t { kRequest, kPrincipal, kOrg };

// A compiled condition. Implementations are immutable; eval is const and thread-safe.
class Condition {
 public:
  virtual ~Condition() = default;
  virtual Tri eval(const EvalContext& ctx) const = 0;
  virtual Depends depends() const { return Depends::kRequest; }
};

struct CompiledRole {
  RoleInfo info;
  std::string file;
  int line = 0;
};

// A condition as written: its text and line (for coverage reports).
struct ConditionSource {
  std::string text;
  int line = 0;
};

struct CompiledPolicy {
  PolicyInfo info;
  // The policy applies when every `when` condition is true and no `unless` condition is.
  std::vector<std::unique_ptr<const Condition>> when;
  std::vector<std::unique_ptr<const Condition>> unless;
  // The source of when[i] and unless[i], index for index.
  std::vector<ConditionSource> when_src;
  std::vector<ConditionSource> unless_src;
};

// Evaluates a policy's conditions (not its action list: the caller looks up policies by
// action). kError when a condition errored before the outcome was known.
Tri evalPolicy(const CompiledPolicy& p, const EvalContext& ctx);

struct CompiledPolicies {
  std::vector<CompiledRole> roles;  // RoleId is the index
  std::unordered_map<std::string, RoleId> role_ids;
  std::vector<CompiledPolicy> policies;  // in file order
  // Indices into `policies`, per ActionId, by effect.
  std::array<std::vector<std::uint16_t>, 64> permits_by_action;
  std::array<std::vector<std::uint16_t>, 64> forbids_by_action;
  // A hash of the policy files' texts, in compile order (PolicySet::version).
  std::string version;
};

}  // namespace mtp::engine::detail
