#include "policy_impact_command.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "decisions/impact.h"
#include "mtp/engine/documents.h"
#include "mtp/engine/policy_set.h"
#include "policy_commands.h"
#ifdef MTP_CTL_OPS
#include "ctl_store.h"
#endif

namespace mtp::ctl {
namespace {

using namespace mtp::engine;

// Exit codes: 0 nothing allowed becomes denied, 1 something does, 2 bad input or usage.
constexpr int kAllowedBecomesDenied = 1;
constexpr int kBadInput = 2;

struct ImpactArgs {
  std::string current, candidate, directory, format = "text";
  std::vector<std::string> logs;
  std::size_t examples = 5;
};

bool isDatabaseUrl(std::string_view s) {
  return s.starts_with("sqlite:") || s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// The directory: a JSON directory file, or the live one of a database (the ops build).
std::optional<DirectoryData> loadDirectory(const std::string& from, int& rc) {
  if (isDatabaseUrl(from)) {
#ifdef MTP_CTL_OPS
    auto store = openCurrentStore(from, rc);
    if (!store) return std::nullopt;
    auto dir = store->loadDirectory();
    if (!dir) {
      std::cerr << "mtpctl: database: " << dir.error().text() << "\n";
      rc = 1;
      return std::nullopt;
    }
    return std::move(*dir);
#else
    std::cerr << "mtpctl: this mtpctl was built without the store: pass a directory file\n";
    rc = kBadInput;
    return std::nullopt;
#endif
  }
  std::ifstream in(from, std::ios::binary);
  if (!in) {
    std::cerr << from << ": cannot read the file\n";
    rc = kBadInput;
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto dir = parseDirectoryDocument(from, ss.str());
  if (!dir) {
    for (const auto& d : dir.error()) std::cerr << d.str() << "\n";
    rc = kBadInput;
    return std::nullopt;
  }
  return std::move(*dir);
}

std::shared_ptr<const PolicySet> loadPolicies(const std::string& dir, std::string_view which) {
  auto set = PolicySet::load(dir);
  if (!set) {
    std::cerr << "mtpctl: the " << which << " policies do not compile:\n";
    for (const auto& d : set.error()) std::cerr << d.str() << "\n";
    return nullptr;
  }
  return *set;
}

nlohmann::ordered_json counts(const std::map<std::string, std::uint64_t>& m) {
  // Largest first.
  std::vector<std::pair<std::string, std::uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  auto out = nlohmann::ordered_json::array();
  for (const auto& [k, n] : v) out.push_back({{"key", k}, {"count", n}});
  return out;
}

nlohmann::ordered_json groupJson(const decisions::FlipGroup& g) {
  auto ex = nlohmann::ordered_json::array();
  for (const auto& e : g.examples)
    ex.push_back({{"id", e.id}, {"time", e.time}, {"admin", e.admin}, {"action", e.action},
                  {"org", e.organization},
                  {"current", {{"reason", e.before_reason}, {"decidedBy", e.before_by}}},
                  {"candidate", {{"reason", e.after_reason}, {"decidedBy", e.after_by}}}});
  return {{"count", g.count},   {"byPolicy", counts(g.by_policy)}, {"byAction", counts(g.by_action)},
          {"byAdmin", counts(g.by_admin)}, {"byOrg", counts(g.by_org)}, {"examples", ex}};
}

void printCounts(const char* label, const std::map<std::string, std::uint64_t>& m) {
  std::vector<std::pair<std::string, std::uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::cout << "  by " << label << ":";
  std::size_t shown = 0;
  for (const auto& [k, n] : v) {
    if (++shown > 10) {
      std::cout << " … (" << v.size() - 10 << " more)";
      break;
    }
    std::cout << (shown > 1 ? ", " : " ") << k << " " << n;
  }
  std::cout << "\n";
}

void printGroup(const char* title, const decisions::FlipGroup& g) {
  std::cout << title << ": " << g.count << "\n";
  if (g.count == 0) return;
  printCounts("policy", g.by_policy);
  printCounts("action", g.by_action);
  printCounts("admin", g.by_admin);
  printCounts("org", g.by_org);
  std::cout << "  examples:\n";
  for (const auto& e : g.examples)
    std::cout << "    " << e.time << " " << e.id << " admin=" << e.admin << " action=" << e.action
              << " org=" << (e.organization.empty() ? "-" : e.organization) << ": " << e.before_reason << " ("
              << e.before_by << ") -> " << e.after_reason << " (" << e.after_by << ")\n";
}

int impact(const ImpactArgs& a) {
  if (a.format != "text" && a.format != "json") {
    std::cerr << "mtpctl: --format is text or json\n";
    return kBadInput;
  }
  std::string from = a.directory;
  if (from.empty()) {
    const char* env = std::getenv("MTP_DB");
    if (env != nullptr) from = env;
  }
  if (from.empty()) {
    std::cerr << "mtpctl: --directory FILE_OR_DB_URL is required (or MTP_DB)\n";
    return kBadInput;
  }
  auto current = loadPolicies(a.current, "current");
  auto candidate = loadPolicies(a.candidate, "candidate");
  if (!current || !candidate) return kBadInput;
  int rc = 0;
  auto dir = loadDirectory(from, rc);
  if (!dir) return rc;
  auto cur = Snapshot::build(current, *dir);
  auto cand = Snapshot::build(candidate, *dir);
  if (!cur || !cand) {
    std::cerr << "mtpctl: directory: " << (!cur ? cur.error().message : cand.error().message) << "\n";
    return kBadInput;
  }
  decisions::ImpactReplay replay(*cur, *cand, a.examples);
  for (const auto& log : a.logs) {
    std::string error;
    if (!replay.addFile(log, error)) {
      std::cerr << "mtpctl: " << error << "\n";
      return kBadInput;
    }
  }
  const auto& r = replay.report();
  for (const auto& s : r.skipped_lines) std::cerr << "skipped: " << s << "\n";
  if (a.format == "json") {
    nlohmann::ordered_json out = {{"replayed", r.replayed},
                                  {"skipped", r.skipped},
                                  {"currentVersion", current->version()},
                                  {"candidateVersion", candidate->version()},
                                  {"allowedToDenied", groupJson(r.to_denied)},
                                  {"deniedToAllowed", groupJson(r.to_allowed)}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "replayed " << r.replayed << " decisions";
    if (r.skipped) std::cout << " (" << r.skipped << " malformed lines skipped)";
    std::cout << "; policies " << current->version() << " -> " << candidate->version() << "\n";
    printGroup("allowed -> denied", r.to_denied);
    printGroup("denied -> allowed", r.to_allowed);
  }
  return r.to_denied.count > 0 ? kAllowedBecomesDenied : 0;
}

}  // namespace

void addPolicyImpactCommand(CLI::App& policy) {
  auto* cmd = policy.add_subcommand(
      "impact",
      "Replay logged decisions through the current and a candidate policy set; exit 1 when an "
      "allowed request would be denied");
  auto args = std::make_shared<ImpactArgs>();
  cmd->add_option("--current", args->current, "The policies in force (directory)")->required();
  cmd->add_option("--candidate", args->candidate, "The changed policies (directory)")->required();
  cmd->add_option("--log", args->logs, "Decision log file(s) (mtpd --decision-log)")->required()->expected(1, -1);
  cmd->add_option("--directory", args->directory,
                  "Directory file (JSON), or a database URL (sqlite:PATH, postgresql://…) to read the "
                  "live directory from (default: env MTP_DB)");
  cmd->add_option("--format", args->format, "text or json")->capture_default_str();
  cmd->add_option("--examples", args->examples, "Examples shown per direction")->capture_default_str();
  cmd->callback([args] { exitCode() = impact(*args); });
}

}  // namespace mtp::ctl
