#include "policy_commands.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mtp/engine/authorizer.h"
#include "mtp/engine/documents.h"
#include "mtp/engine/policy_set.h"
#include "mtp/engine/policy_test.h"
#include "policy_impact_command.h"

namespace mtp::ctl {

int& exitCode() {
  static int code = 0;
  return code;
}

namespace {

void setExitCode(int c) { exitCode() = c; }

using namespace mtp::engine;

// Exit codes: 0 ok, 1 the policies or their tests fail, 2 bad input or usage.
constexpr int kFailed = 1;
constexpr int kBadInput = 2;


void printDiagnostics(const Diagnostics& ds) {
  for (const auto& d : ds) std::cerr << d.str() << "\n";
}

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int policyCheck(const std::string& dir) {
  auto set = PolicySet::load(dir);
  if (!set) {
    printDiagnostics(set.error());
    std::cerr << set.error().size() << " error(s)\n";
    return kFailed;
  }
  std::cout << "OK: " << (*set)->roleCount() << " roles, " << (*set)->policyCount()
            << " policies\n";
  return 0;
}

// `--coverage`: what no test case exercised, like `opa test --coverage`.
void printCoverage(const CoverageSummary& c) {
  const double pct = c.total > 0 ? 100.0 * c.covered / c.total : 100.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", pct);
  std::cout << "coverage: " << c.covered << "/" << c.total << " (" << buf << "%)\n";
  if (c.gaps.empty()) {
    std::cout << "every role, policy and condition outcome was exercised\n";
    return;
  }
  std::cout << "not covered:\n";
  for (const auto& g : c.gaps)
    std::cout << "  " << g.file << ":" << g.line << ": " << g.rule << ": " << g.what << "\n";
}

int policyTest(const std::string& dir, bool verbose, bool coverage) {
  const PolicyTestReport r = runPolicyTests(dir, coverage);
  if (!r.errors.empty()) {
    printDiagnostics(r.errors);
    return kFailed;
  }
  for (const auto& f : r.failures)
    std::cout << "FAIL: " << f.file << ":" << f.line << ": " << f.name << ": " << f.message << "\n";
  if (verbose && r.failures.empty()) std::cout << "all cases passed\n";
  std::cout << (r.failures.empty() ? "PASS: " : "FAIL: ") << r.passed << "/" << r.total << "\n";
  if (r.coverage) printCoverage(*r.coverage);
  return r.ok() ? 0 : kFailed;
}

int authorize(const std::string& policies, const std::string& directory_file,
              const std::string& request_file, bool explain) {
  auto set = PolicySet::load(policies);
  if (!set) {
    printDiagnostics(set.error());
    return kBadInput;
  }
  auto dir_text = readFile(directory_file);
  if (!dir_text) {
    std::cerr << directory_file << ": cannot read the file\n";
    return kBadInput;
  }
  auto req_text = readFile(request_file);
  if (!req_text) {
    std::cerr << request_file << ": cannot read the file\n";
    return kBadInput;
  }
  auto dir = parseDirectoryDocument(directory_file, *dir_text);
  if (!dir) {
    printDiagnostics(dir.error());
    return kBadInput;
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  auto req = parseRequestDocument(request_file, *req_text, now);
  if (!req) {
    printDiagnostics(req.error());
    return kBadInput;
  }
  auto snap = Snapshot::build(*set, *dir);
  if (!snap) {
    std::cerr << directory_file << ": " << snap.error().message << "\n";
    return kBadInput;
  }
  const Explanation e = (*snap)->explain((*req)->request);
  nlohmann::ordered_json out = {{"allowed", e.decision.allowed},
                        {"reason", reasonName(e.decision.reason)},
                        {"decidedBy", e.decision.decided_by}};
  if (explain) {
    auto& trace = out["trace"] = nlohmann::ordered_json::array();
    for (const auto& s : e.trace)
      trace.push_back({{"check", s.check}, {"subject", s.subject}, {"passed", s.passed}, {"detail", s.detail}});
  }
  std::cout << out.dump(explain ? 2 : -1) << "\n";
  return 0;
}

}  // namespace

void addPolicyCommands(CLI::App& app) {
  auto* policy = app.add_subcommand("policy", "Validate and test policy files");
  policy->require_subcommand(1);

  auto* check = policy->add_subcommand("check", "Validate every policy file below DIR; exit 1 on errors");
  auto check_dir = std::make_shared<std::string>();
  check->add_option("DIR", *check_dir, "Policy directory")->required();
  check->callback([check_dir] { setExitCode(policyCheck(*check_dir)); });

  auto* test = policy->add_subcommand("test", "Run the policy test files (*_test.yaml) below DIR");
  auto test_dir = std::make_shared<std::string>();
  auto verbose = std::make_shared<bool>(false);
  test->add_option("DIR", *test_dir, "Policy directory")->required();
  auto coverage = std::make_shared<bool>(false);
  test->add_flag("-v,--verbose", *verbose, "Say more");
  test->add_flag("--coverage", *coverage, "Report the roles, policies and conditions no test case exercised");
  test->callback([test_dir, verbose, coverage] { setExitCode(policyTest(*test_dir, *verbose, *coverage)); });
  addPolicyImpactCommand(*policy);

  auto* az = app.add_subcommand("authorize", "Print the decision for one request as JSON");
  struct AuthorizeArgs {
    std::string policies, directory, request;
    bool explain = false;
  };
  auto args = std::make_shared<AuthorizeArgs>();
  az->add_option("--policies", args->policies, "Policy directory")->required();
  az->add_option("--directory", args->directory, "Directory file (JSON)")->required();
  az->add_option("--request", args->request, "Request file (JSON)")->required();
  az->add_flag("--explain", args->explain, "Add the trace of every check and policy");
  az->callback([args] { setExitCode(authorize(args->policies, args->directory, args->request, args->explain)); });
}

}  // namespace mtp::ctl
