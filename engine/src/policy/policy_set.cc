#include "mtp/engine/policy_set.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>

#include "policy/compiled.h"
#include "policy/compiler.h"
#include "policy/diagnostic_sink.h"
#include "policy/yaml_reader.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace mtp::engine {

PolicySet::PolicySet(std::unique_ptr<const detail::CompiledPolicies> compiled)
    : compiled_(std::move(compiled)) {}
PolicySet::~PolicySet() = default;

std::optional<RoleId> PolicySet::findRole(std::string_view id) const {
  // role_ids is keyed by std::string; a scan avoids building a string per lookup, and a set
  // holds a handful of roles. The authorizer resolves role names once, at snapshot build.
  const auto& roles = compiled_->roles;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (roles[i].info.id == id) return static_cast<RoleId>(i);
  }
  return std::nullopt;
}

std::size_t PolicySet::roleCount() const { return compiled_->roles.size(); }
const RoleInfo& PolicySet::role(RoleId id) const { return compiled_->roles[id].info; }
std::size_t PolicySet::policyCount() const { return compiled_->policies.size(); }
const PolicyInfo& PolicySet::policy(std::size_t i) const { return compiled_->policies[i].info; }

std::string_view PolicySet::version() const { return compiled_->version; }

bool PolicySet::hasPoliciesFor(ActionId action) const {
  if (action >= 64) return false;
  return !compiled_->permits_by_action[action].empty() ||
         !compiled_->forbids_by_action[action].empty();
}

namespace {

// Problems in source order: files as given, then line and column.
Diagnostics ordered(Diagnostics diags, std::span<const PolicySource> sources) {
  std::map<std::string, std::size_t> file_order;
  for (std::size_t i = 0; i < sources.size(); ++i) file_order.emplace(sources[i].path, i);
  auto rank = [&](const Diagnostic& d) {
    auto it = file_order.find(d.file);
    return it == file_order.end() ? sources.size() : it->second;
  };
  auto end = diags.end();
  if (!diags.empty() && diags.back().code == "too_many_errors") --end;
  std::stable_sort(diags.begin(), end, [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(rank(a), a.line, a.column) < std::tuple(rank(b), b.line, b.column);
  });
  return diags;
}

// XXH3-64 over each file's text and its length, in compile order (file names are left out:
// the same files in another folder are the same version), as 16 hex digits.
std::string versionOf(std::span<const PolicySource> sources) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  for (const PolicySource& s : sources) {
    const std::uint64_t n = s.text.size();
    XXH3_64bits_update(&state, &n, sizeof n);
    XXH3_64bits_update(&state, s.text.data(), s.text.size());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t h = XXH3_64bits_digest(&state);
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
  return out;
}

Result<std::shared_ptr<const PolicySet>, Diagnostics> compileWith(
    std::span<const PolicySource> sources, detail::DiagnosticSink& sink) {
  try {
    detail::RawSet raw;
    for (const PolicySource& s : sources) detail::readPolicyYaml(s.path, s.text, raw, sink);
    auto compiled = detail::compileRawSet(raw, sink);
    if (!sink.empty() || sink.full()) return std::unexpected(ordered(sink.take(), sources));
    compiled->version = versionOf(sources);
    return std::make_shared<const PolicySet>(std::move(compiled));
  } catch (const std::exception& e) {
    // Only allocation failure is expected here; no exception crosses the public API.
    Diagnostics d = sink.take();
    d.push_back(Diagnostic{"", 0, 0, "internal_error", std::string("cannot compile: ") + e.what()});
    return std::unexpected(std::move(d));
  }
}

bool isPolicyFile(const std::filesystem::path& p) {
  std::string name = p.filename().string();
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("_test.yaml") || ends("_test.yml")) return false;
  return ends(".yaml") || ends(".yml");
}

}  // namespace

Result<std::shared_ptr<const PolicySet>, Diagnostics> PolicySet::compile(
    std::span<const PolicySource> sources) {
  detail::DiagnosticSink sink;
  return compileWith(sources, sink);
}

namespace {

// The policy files below `dir` (sorted by path, test files left out), read; every problem
// goes to `sink` and the readable files are returned anyway; `listed` false when the folder
// itself could not be read.
std::vector<PolicySource> readPolicyFiles(const std::filesystem::path& dir,
                                          detail::DiagnosticSink& sink, bool& listed) {
  listed = false;
  namespace fs = std::filesystem;
  std::vector<PolicySource> sources;
  try {
    const std::string dir_name = dir.generic_string();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      sink.add(dir_name, 0, 0, "file_error", "not a readable directory");
      return sources;
    }
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      sink.add(dir_name, 0, 0, "file_error", "cannot read directory: " + ec.message());
      return sources;
    }
    listed = true;
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code fec;
      if (it->is_regular_file(fec) && isPolicyFile(it->path())) files.push_back(it->path());
    }
    if (ec) sink.add(dir_name, 0, 0, "file_error", "cannot read directory: " + ec.message());
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
      return a.generic_string() < b.generic_string();
    });
    for (const fs::path& f : files) {
      std::string name = f.generic_string();
      std::error_code sec;
      auto size = fs::file_size(f, sec);
      if (sec) {
        sink.add(name, 0, 0, "file_error", "cannot read file: " + sec.message());
        continue;
      }
      if (size > detail::kMaxPolicyFileBytes) {
        sink.add(name, 0, 0, "file_error",
                 "file is larger than " + std::to_string(detail::kMaxPolicyFileBytes) + " bytes");
        continue;
      }
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        sink.add(name, 0, 0, "file_error", "cannot open file");
        continue;
      }
      std::ostringstream text;
      text << in.rdbuf();
      sources.push_back(PolicySource{name, text.str()});
    }
  } catch (const std::exception& e) {
    sink.add(dir.generic_string(), 0, 0, "file_error", std::string("cannot read: ") + e.what());
  }
  return sources;
}

}  // namespace

Result<std::vector<PolicySource>, Diagnostics> PolicySet::readSources(
    const std::filesystem::path& dir) {
  detail::DiagnosticSink sink;
  bool listed = false;
  auto sources = readPolicyFiles(dir, sink, listed);
  if (!sink.empty() || sink.full()) return std::unexpected(sink.take());
  return sources;
}

Result<std::shared_ptr<const PolicySet>, Diagnostics> PolicySet::load(
    const std::filesystem::path& dir) {
  detail::DiagnosticSink sink;
  bool listed = false;
  auto sources = readPolicyFiles(dir, sink, listed);
  if (!listed) return std::unexpected(sink.take());
  // Files that could not be read are already in the sink; compiling the rest anyway shows
  // every problem in one run.
  return compileWith(sources, sink);
}

}  // namespace mtp::engine
