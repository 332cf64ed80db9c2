// Runs policy test files:
//   directory: {providers: [...], admins: [...]}     # as `mtpctl authorize --directory`
//   cases:
//     - name: help desk unlocks in a granted org
//       request: {admin: hd, action: users.unlock, organization: o1, mfa: true}
//       expect: {allowed: true, reason: allowed, decidedBy: help_desk}
#include "mtp/engine/policy_test.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "documents/document_reader.h"
#include "mtp/engine/authorizer.h"
#include "mtp/engine/policy_set.h"

namespace mtp::engine {
namespace {

bool isTestFile(const std::filesystem::path& p) {
  const auto name = p.filename().string();
  auto ends = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends("_test.yaml") || ends("_test.yml");
}

std::string display(const std::filesystem::path& dir, const std::filesystem::path& p) {
  return (dir / p.lexically_relative(dir)).string();
}

void runFile(const std::string& file, const std::string& text, std::shared_ptr<const PolicySet> set,
             PolicyTestReport& report, PolicyCoverage* coverage) {
  detail::DiagnosticSink sink;
  const YAML::Node doc = detail::parseYamlText(file, text, sink);
  if (!sink.empty()) {
    for (auto& d : sink.take()) report.errors.push_back(std::move(d));
    return;
  }
  auto error = [&](const YAML::Node& at, const char* code, const std::string& msg) {
    sink.add(file, at.Mark().line + 1, at.Mark().column + 1, code, msg);
  };
  if (!doc.IsMap() || !doc["cases"] || !doc["cases"].IsSequence()) {
    error(doc, "missing_key", "a policy test file needs `directory` and a list of `cases`");
    for (auto& d : sink.take()) report.errors.push_back(std::move(d));
    return;
  }
  for (const auto& kv : doc) {
    const auto key = kv.first.as<std::string>("");
    if (key != "directory" && key != "cases") error(kv.first, "unknown_key", "unknown key " + detail::ticked(key));
  }
  DirectoryData dir;
  if (doc["directory"]) detail::readDirectory(doc["directory"], file, dir, sink);
  const UnixTime now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count();
  struct Case {
    std::string name;
    int line;
    std::unique_ptr<RequestDocument> req;
    Reason reason;
    std::optional<bool> allowed;
    std::optional<std::string> decided_by;
  };
  std::vector<Case> cases;
  for (const auto& cn : doc["cases"]) {
    Case c;
    c.line = cn.Mark().line + 1;
    c.req = std::make_unique<RequestDocument>();
    if (!cn.IsMap() || !cn["request"] || !cn["expect"]) {
      error(cn, "missing_key", "a case needs `request` and `expect`");
      continue;
    }
    for (const auto& kv : cn) {
      const auto key = kv.first.as<std::string>("");
      if (key != "name" && key != "request" && key != "expect")
        error(kv.first, "unknown_key", "unknown key " + detail::ticked(key) + " in a case");
    }
    c.name = cn["name"] ? cn["name"].as<std::string>("") : "case at line " + std::to_string(c.line);
    detail::readRequest(cn["request"], file, now, *c.req, sink);
    const YAML::Node e = cn["expect"];
    if (!e.IsMap() || !e["reason"]) {
      error(e, "missing_key", "`expect` needs a `reason`");
      continue;
    }
    for (const auto& kv : e) {
      const auto key = kv.first.as<std::string>("");
      if (key != "allowed" && key != "reason" && key != "decidedBy")
        error(kv.first, "unknown_key", "unknown key " + detail::ticked(key) + " in `expect`");
    }
    const auto reason = e["reason"].as<std::string>("");
    auto parsed = parseReason(reason);
    if (!parsed) {
      error(e["reason"], "bad_value", detail::ticked(reason) + " is not a reason code");
      continue;
    }
    c.reason = *parsed;
    if (e["allowed"]) {
      const YAML::Node a = e["allowed"];
      const auto v = a.IsScalar() && a.Tag() != "!" ? a.as<std::string>("") : "";
      if (v != "true" && v != "false") {
        error(a, "type_mismatch", "`allowed` must be true or false");
        continue;
      }
      c.allowed = v == "true";
    }
    if (e["decidedBy"]) c.decided_by = e["decidedBy"].as<std::string>("");
    cases.push_back(std::move(c));
  }
  if (!sink.empty()) {
    for (auto& d : sink.take()) report.errors.push_back(std::move(d));
    return;
  }
  auto snap = Snapshot::build(set, dir);
  if (!snap) {
    report.errors.push_back(Diagnostic{file, doc["directory"].Mark().line + 1, doc["directory"].Mark().column + 1,
                                       "bad_directory", snap.error().message});
    return;
  }
  for (const auto& c : cases) {
    ++report.total;
    const Decision d = coverage ? (*snap)->authorize(c.req->request, *coverage) : (*snap)->authorize(c.req->request);
    std::string why;
    if (d.reason != c.reason) why += "reason `" + std::string(reasonName(d.reason)) + "`, want `" + std::string(reasonName(c.reason)) + "`; ";
    if (c.allowed && d.allowed != *c.allowed) why += std::string("allowed ") + (d.allowed ? "true" : "false") + ", want " + (*c.allowed ? "true" : "false") + "; ";
    if (c.decided_by && d.decided_by != *c.decided_by) why += "decidedBy `" + std::string(d.decided_by) + "`, want `" + *c.decided_by + "`; ";
    if (why.empty()) {
      ++report.passed;
    } else {
      why.resize(why.size() - 2);
      report.failures.push_back(PolicyTestFailure{file, c.line, c.name, why});
    }
  }
}

}  // namespace

PolicyTestReport runPolicyTests(const std::filesystem::path& dir, bool coverage) {
  PolicyTestReport report;
  auto set = PolicySet::load(dir);
  if (!set) {
    report.errors = std::move(set.error());
    return report;
  }
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file() && isTestFile(it->path())) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::optional<PolicyCoverage> cov;
  if (coverage) cov.emplace(**set);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      runFile(display(dir, f), ss.str(), *set, report, cov ? &*cov : nullptr);
    } catch (const std::exception& e) {
      report.errors.push_back(Diagnostic{display(dir, f), 0, 0, "bad_value", e.what()});
    }
  }
  if (files.empty())
    report.errors.push_back(Diagnostic{dir.string(), 0, 0, "no_tests", "no `*_test.yaml` files found"});
  if (cov) report.coverage = summarizeCoverage(**set, *cov);
  return report;
}

}  // namespace mtp::engine
