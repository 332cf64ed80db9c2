// Policy coverage: which roles, policies and conditions a set of decisions exercised, for
// `mtpctl policy test --coverage` (the model is `opa test --coverage`). Filled by
// Snapshot::authorize(request, coverage); the plain authorize never touches it.
// Thread-safety: one PolicyCoverage per thread; merge them afterwards if needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mtp/engine/policy_set.h"

namespace mtp::engine {

// How often a condition was evaluated, and with which outcome.
struct ConditionCoverage {
  std::uint32_t evaluated = 0;
  std::uint32_t true_count = 0;
  std::uint32_t false_count = 0;
  std::uint32_t error_count = 0;  // the request lacked an attribute the condition reads
};

struct PolicyCoverageEntry {
  std::uint32_t evaluated = 0;  // the policy's conditions were evaluated
  std::uint32_t applied = 0;    // ... and they all held (a permit granted, a forbid denied)
  std::vector<ConditionCoverage> when;    // index for index with the policy's `when`
  std::vector<ConditionCoverage> unless;  // and `unless`
};

struct PolicyCoverage {
  // Sized for `set` (roles by RoleId, policies by index); every counter zero.
  explicit PolicyCoverage(const PolicySet& set);

  std::vector<std::uint32_t> role_consulted;  // by RoleId: check 7 asked the role
  std::vector<std::uint32_t> role_granted;    // by RoleId: the role granted the action
  std::vector<PolicyCoverageEntry> policies;
};

// Something no decision exercised: a role, a policy, or one outcome of a condition.
struct CoverageGap {
  std::string file;
  int line = 0;
  std::string rule;  // "role `help_desk`", "policy `no_deletes_at_night`"
  std::string what;  // "never consulted", "when[0] `request.mfa == true` never false", ...
};

struct CoverageSummary {
  int covered = 0;  // items exercised: roles consulted, policies evaluated, condition outcomes
  int total = 0;
  std::vector<CoverageGap> gaps;  // in file and line order
};

// What `coverage` leaves out of `set`. Counted items: each role (consulted), each policy
// (evaluated, and applied), and each condition's true and false outcomes.
CoverageSummary summarizeCoverage(const PolicySet& set, const PolicyCoverage& coverage);

}  // namespace mtp::engine
