#include "policy/yaml_reader.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cctype>
#include <exception>
#include <set>
#include <sstream>

#include "policy/suggest.h"

namespace mtp::engine::detail {
namespace {

constexpr std::array<std::string_view, 2> kTopKeys = {"roles", "policies"};
constexpr std::array<std::string_view, 6> kRoleKeys = {"id",     "title",  "description",
                                                      "grants", "except", "includes"};
constexpr std::array<std::string_view, 6> kPolicyKeys = {"id",      "description", "effect",
                                                        "actions", "when",        "unless"};

int lineOf(const YAML::Mark& m) { return m.line >= 0 ? m.line + 1 : 0; }
int columnOf(const YAML::Mark& m) { return m.column >= 0 ? m.column + 1 : 0; }

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A policy file past a limit: where, and which limit.
struct LimitExceeded {
  YAML::Mark mark;
  std::string message;
};

// yaml-cpp's event parser, run before the document is built: it stops at the first anchor,
// alias, nesting level past kMaxPolicyYamlDepth or node past kMaxPolicyYamlNodes, so the
// work done on any file is bounded by its size (itself capped).
class LimitGuard : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override { node(m, anchor); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    throw LimitExceeded{m, "aliases (`*name`) are not allowed in a policy file"};
  }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    node(m, anchor);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(m, anchor);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(m, anchor);
  }
  void OnMapEnd() override { --depth_; }
  void OnAnchor(const YAML::Mark& m, const std::string&) override { anchor(m); }

 private:
  static void anchor(const YAML::Mark& m) {
    throw LimitExceeded{m, "anchors (`&name`) are not allowed in a policy file"};
  }
  void node(const YAML::Mark& m, YAML::anchor_t anchor_id) {
    if (anchor_id != YAML::NullAnchor) anchor(m);
    if (++nodes_ > kMaxPolicyYamlNodes) {
      throw LimitExceeded{m, "more than " + std::to_string(kMaxPolicyYamlNodes) +
                                 " yaml nodes (scalars, maps and lists) in one policy file"};
    }
  }
  void open(const YAML::Mark& m, YAML::anchor_t anchor_id) {
    node(m, anchor_id);
    if (++depth_ > kMaxPolicyYamlDepth) {
      throw LimitExceeded{m, "maps and lists nested deeper than " +
                                 std::to_string(kMaxPolicyYamlDepth) + " levels"};
    }
  }
  int depth_ = 0;
  std::size_t nodes_ = 0;
};

// Runs the guard over every document of `text`; throws LimitExceeded or YAML::Exception.
void checkLimits(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  LimitGuard guard;
  while (parser.HandleNextDocument(guard)) {
  }
}

class Reader {
 public:
  Reader(const std::string& file, DiagnosticSink& sink) : file_(file), sink_(sink) {}

  void error(const YAML::Mark& m, std::string code, std::string message) {
    sink_.add(file_, lineOf(m), columnOf(m), std::move(code), std::move(message));
  }

  void readTop(const YAML::Node& root, RawSet& out) {
    if (root.IsNull()) return;  // an empty file defines nothing
    if (!root.IsMap()) {
      error(root.Mark(), "type_mismatch",
            "a policy file must be a map with `roles` and/or `policies`");
      return;
    }
    std::set<std::string> seen;
    for (const auto& kv : root) {
      std::string key;
      if (!keyOf(kv.first, seen, key)) continue;
      if (key == "roles") {
        forEachBlock(kv.second, "roles", [&](const YAML::Node& n) { readRole(n, out); });
      } else if (key == "policies") {
        forEachBlock(kv.second, "policies", [&](const YAML::Node& n) { readPolicy(n, out); });
      } else {
        error(kv.first.Mark(), "unknown_key",
              "unknown top-level key " + ticked(key) + didYouMean(key, kTopKeys));
      }
    }
  }

 private:
  // The key as a string; false (after a diagnostic) if it is not a usable key.
  bool keyOf(const YAML::Node& k, std::set<std::string>& seen, std::string& key) {
    if (!k.IsScalar()) {
      error(k.Mark(), "type_mismatch", "a key must be a string");
      return false;
    }
    key = k.Scalar();
    if (!seen.insert(key).second) {
      error(k.Mark(), "duplicate_key", "key " + ticked(key) + " appears twice in this map");
      return false;
    }
    return true;
  }

  template <class F>
  void forEachBlock(const YAML::Node& n, std::string_view what, F&& f) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
      error(n.Mark(), "type_mismatch", ticked(what) + " must be a list");
      return;
    }
    for (const auto& item : n) {
      if (!item.IsMap()) {
        error(item.Mark(), "type_mismatch",
              "each entry of " + ticked(what) + " must be a map with an `id`");
        continue;
      }
      f(item);
    }
  }

  static Located located(const YAML::Node& n) {
    // yaml-cpp tags plain scalars `?` and quoted ones `!`.
    return Located{n.Scalar(), lineOf(n.Mark()), columnOf(n.Mark()), n.Tag() == "!"};
  }

  std::optional<Located> scalar(const YAML::Node& n, std::string_view key) {
    if (!n.IsScalar()) {
      error(n.Mark(), "type_mismatch", ticked(key) + " must be a string");
      return std::nullopt;
    }
    return located(n);
  }

  // A list of strings; a single string is taken as a list of one.
  std::vector<Located> strings(const YAML::Node& n, std::string_view key) {
    std::vector<Located> out;
    if (n.IsScalar()) {
      out.push_back(located(n));
      return out;
    }
    if (!n.IsSequence()) {
      error(n.Mark(), "type_mismatch", ticked(key) + " must be a string or a list of strings");
      return out;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        error(item.Mark(), "type_mismatch", "each entry of " + ticked(key) + " must be a string");
        continue;
      }
      out.push_back(located(item));
    }
    return out;
  }

  void readRole(const YAML::Node& n, RawSet& out) {
    RawRole r;
    r.file = file_;
    r.line = lineOf(n.Mark());
    r.column = columnOf(n.Mark());
    bool has_id = false, has_grants = false, has_includes = false;
    std::set<std::string> seen;
    for (const auto& kv : n) {
      std::string key;
      if (!keyOf(kv.first, seen, key)) continue;
      const YAML::Node& v = kv.second;
      if (key == "id") {
        if (auto s = scalar(v, key)) r.id = *s;
        has_id = true;
      } else if (key == "title") {
        r.title = scalar(v, key);
      } else if (key == "description") {
        r.description = scalar(v, key);
      } else if (key == "grants") {
        r.grants = strings(v, key);
        has_grants = true;
      } else if (key == "except") {
        r.except = strings(v, key);
      } else if (key == "includes") {
        r.includes = strings(v, key);
        has_includes = true;
      } else {
        error(kv.first.Mark(), "unknown_key",
              "unknown key " + ticked(key) + " in a role" + didYouMean(key, kRoleKeys));
      }
    }
    if (!has_id) error(n.Mark(), "missing_key", "a role needs an `id`");
    if (!has_grants && !has_includes) {
      error(n.Mark(), "missing_key", "a role needs `grants` or `includes`");
    }
    if (has_id) out.roles.push_back(std::move(r));
  }

  void readPolicy(const YAML::Node& n, RawSet& out) {
    RawPolicy p;
    p.file = file_;
    p.line = lineOf(n.Mark());
    p.column = columnOf(n.Mark());
    bool has_id = false, has_actions = false;
    std::set<std::string> seen;
    for (const auto& kv : n) {
      std::string key;
      if (!keyOf(kv.first, seen, key)) continue;
      const YAML::Node& v = kv.second;
      if (key == "id") {
        if (auto s = scalar(v, key)) p.id = *s;
        has_id = true;
      } else if (key == "description") {
        p.description = scalar(v, key);
      } else if (key == "effect") {
        p.effect = scalar(v, key);
      } else if (key == "actions") {
        has_actions = true;
        p.actions = strings(v, key);
        if (p.actions.empty() && (v.IsSequence() || v.IsNull())) {
          error(v.Mark(), "missing_key", "`actions` must name at least one action");
        }
      } else if (key == "when") {
        p.when = strings(v, key);
      } else if (key == "unless") {
        p.unless = strings(v, key);
      } else {
        error(kv.first.Mark(), "unknown_key",
              "unknown key " + ticked(key) + " in a policy" + didYouMean(key, kPolicyKeys));
      }
    }
    if (!has_id) error(n.Mark(), "missing_key", "a policy needs an `id`");
    if (!p.effect && !seen.contains("effect")) {
      error(n.Mark(), "missing_key", "a policy needs an `effect` (`permit` or `forbid`)");
    }
    if (!has_actions) error(n.Mark(), "missing_key", "a policy needs `actions`");
    if (has_id) out.policies.push_back(std::move(p));
  }

  const std::string& file_;
  DiagnosticSink& sink_;
};

}  // namespace

void readPolicyYaml(const std::string& file, std::string_view text, RawSet& out,
                    DiagnosticSink& sink) {
  if (text.size() > kMaxPolicyFileBytes) {
    sink.add(file, 0, 0, "file_error",
             "file is larger than " + std::to_string(kMaxPolicyFileBytes) + " bytes");
    return;
  }
  Reader reader(file, sink);
  // Read into a local set so that a file that throws half-way contributes nothing.
  RawSet local;
  try {
    const std::string copy(text);
    checkLimits(copy);
    std::vector<YAML::Node> docs = YAML::LoadAll(copy);
    if (docs.size() > 1) {
      reader.error(docs[1].Mark(), "syntax_error", "a policy file holds one yaml document");
      return;
    }
    if (docs.empty()) return;
    reader.readTop(docs[0], local);
  } catch (const LimitExceeded& e) {
    reader.error(e.mark, "limit_exceeded", e.message);
    return;
  } catch (const YAML::Exception& e) {
    reader.error(e.mark, "syntax_error", lowercase(e.msg));
    return;
  } catch (const std::exception& e) {
    sink.add(file, 0, 0, "syntax_error", "cannot read yaml: " + lowercase(e.what()));
    return;
  }
  for (auto& r : local.roles) out.roles.push_back(std::move(r));
  for (auto& p : local.policies) out.policies.push_back(std::move(p));
}

}  // namespace mtp::engine::detail
