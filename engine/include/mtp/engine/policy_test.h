// Policy test files (`*_test.yaml` beside the policies): each holds a directory and cases of
// request + expected decision, run against the policy set of the folder, like `opa test`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mtp/engine/coverage.h"
#include "mtp/engine/diagnostic.h"

namespace mtp::engine {

struct PolicyTestFailure {
  std::string file;
  int line = 0;
  std::string name;
  std::string message;  // what was expected and what was decided
};

struct PolicyTestReport {
  int total = 0;
  int passed = 0;
  std::vector<PolicyTestFailure> failures;
  Diagnostics errors;  // the policy set or a test file could not be read: nothing passes
  std::optional<CoverageSummary> coverage;  // with `coverage`: what no case exercised
  bool ok() const { return errors.empty() && failures.empty() && total > 0; }
};

// Compiles the policies below `dir` and runs every test file below it. With `coverage`, also
// records which roles, policies and conditions the cases exercised (report.coverage).
PolicyTestReport runPolicyTests(const std::filesystem::path& dir, bool coverage = false);

}  // namespace mtp::engine
