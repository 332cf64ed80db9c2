#include "policy/compiler.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "policy/attributes.h"
#include "policy/condition_parser.h"
#include "policy/conditions.h"
#include "policy/suggest.h"

namespace mtp::engine::detail {
namespace {

// RE2 budget per regex: enough for any sane email or name pattern, small enough that a
// policy file cannot make the engine build huge automata.
constexpr int64_t kRegexMaxMem = 1 << 20;
constexpr int kRegexMaxProgramSize = 2000;
// Bounds the recursion of role expansion whatever the input.
constexpr std::size_t kMaxIncludeDepth = 64;

bool validRoleId(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool validPolicyId(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string locationText(const std::string& file, int line, int column) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// What `op` takes on an attribute of type `t`, as a bit mask of ConditionAst::Kind; 0 when
// the operator does not apply to the type.
unsigned kindsFor(AttrType t, Op op) {
  constexpr unsigned kStr = 1u << static_cast<int>(ConditionAst::Kind::kString);
  constexpr unsigned kBool = 1u << static_cast<int>(ConditionAst::Kind::kBool);
  constexpr unsigned kList = 1u << static_cast<int>(ConditionAst::Kind::kList);
  constexpr unsigned kRange = 1u << static_cast<int>(ConditionAst::Kind::kRange);
  switch (t) {
    case AttrType::kString:
      if (op == Op::kEq || op == Op::kNe || op == Op::kMatches || op == Op::kNotMatches) return kStr;
      if (op == Op::kIn || op == Op::kNotIn) return kList;
      return 0;
    case AttrType::kBool:
      return (op == Op::kEq || op == Op::kNe) ? kBool : 0;
    case AttrType::kRole:
    case AttrType::kAction:
    case AttrType::kEnum:
      if (op == Op::kEq || op == Op::kNe) return kStr;
      if (op == Op::kIn || op == Op::kNotIn) return kList;
      return 0;
    case AttrType::kSet:
      return (op == Op::kContains || op == Op::kNotContains) ? kStr : 0;
    case AttrType::kIp:
      return (op == Op::kIn || op == Op::kNotIn) ? (kList | kStr) : 0;
    case AttrType::kTime:
      if (op == Op::kBetween) return kRange;
      if (op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe) return kStr;
      return 0;
  }
  return 0;
}

std::string operatorsFor(AttrType t) {
  std::string out;
  for (int i = 0; i <= static_cast<int>(Op::kGe); ++i) {
    Op op = static_cast<Op>(i);
    if (kindsFor(t, op) == 0) continue;
    if (!out.empty()) out += ", ";
    out += "`" + std::string(opName(op)) + "`";
  }
  return out;
}

std::string kindWanted(unsigned kinds) {
  if (kinds & (1u << static_cast<int>(ConditionAst::Kind::kBool))) return "`true` or `false`";
  if (kinds & (1u << static_cast<int>(ConditionAst::Kind::kList))) {
    return "a list of double-quoted strings such as `[\"a\", \"b\"]`";
  }
  if (kinds & (1u << static_cast<int>(ConditionAst::Kind::kRange))) {
    return "`\"HH:MM\" and \"HH:MM\"`";
  }
  return "a double-quoted string";
}

// "HH:MM" as seconds since midnight.
std::optional<int> parseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 3600 + m * 60;
}

struct IdSite {
  std::string file;
  int line;
  int column;
};

class Compiler {
 public:
  Compiler(const RawSet& raw, DiagnosticSink& sink) : raw_(raw), sink_(sink) {
    for (const ActionInfo& a : allActions()) {
      action_words_.push_back(std::string(a.name));
      action_words_.push_back(std::string(a.resource) + ".*");
      action_words_.push_back("*." + std::string(a.verb));
    }
    std::sort(action_words_.begin(), action_words_.end());
    action_words_.erase(std::unique(action_words_.begin(), action_words_.end()),
                        action_words_.end());
    for (const auto& w : action_words_) action_hint_.push_back(w);
    for (const AttrInfo& a : allAttributes()) attr_hint_.push_back(a.name);
  }

  std::unique_ptr<CompiledPolicies> run() {
    out_ = std::make_unique<CompiledPolicies>();
    checkIds();
    compileRoles();
    compilePolicies();
    return std::move(out_);
  }

 private:
  void error(const std::string& file, int line, int column, std::string code, std::string msg) {
    sink_.add(file, line, column, std::move(code), std::move(msg));
  }
  void error(const std::string& file, const Located& at, std::string code, std::string msg) {
    error(file, at.line, at.column, std::move(code), std::move(msg));
  }

  // Ids are unique across the roles and policies of the whole set.
  void checkIds() {
    std::map<std::string, IdSite> seen;
    auto check = [&](const std::string& file, const Located& id, bool is_role) -> bool {
      if (id.line == 0) return false;  // not a string: already reported
      bool ok = is_role ? validRoleId(id.value) : validPolicyId(id.value);
      if (!ok) {
        error(file, id, "bad_id",
              is_role ? "role id " + ticked(id.value) + " must match `[a-z][a-z0-9_]*`"
                      : "policy id " + ticked(id.value) + " must match `[a-z0-9][a-z0-9_.-]*`");
        return false;
      }
      auto [it, inserted] = seen.emplace(id.value, IdSite{file, id.line, id.column});
      if (!inserted) {
        error(file, id, "duplicate_id",
              "id " + ticked(id.value) + " is already defined at " +
                  locationText(it->second.file, it->second.line, it->second.column));
        return false;
      }
      return true;
    };
    for (const RawRole& r : raw_.roles) role_ok_.push_back(check(r.file, r.id, true));
    for (const RawPolicy& p : raw_.policies) policy_ok_.push_back(check(p.file, p.id, false));
  }

  // Patterns of a role's `grants` or `except`: self actions are never part of a role.
  ActionSet rolePatterns(const RawRole& r, const std::vector<Located>& patterns) {
    ActionSet out;
    const ActionSet self = actionsWithScope(Scope::kSelf);
    for (const Located& p : patterns) {
      ActionSet s = expandActionPattern(p.value);
      if (s.empty()) {
        unknownAction(r.file, p);
        continue;
      }
      ActionSet non_self = s;
      non_self.removeAll(self);
      bool explicit_self = p.value.find('*') == std::string::npos || non_self.empty();
      if (explicit_self && (s.bits() & self.bits()) != 0) {
        error(r.file, p, "self_action",
              ticked(p.value) +
                  " is granted to every admin on their own account and cannot be part of a role");
        continue;
      }
      out.addAll(non_self);
    }
    return out;
  }

  void unknownAction(const std::string& file, const Located& p) {
    error(file, p, "unknown_action",
          "unknown action " + ticked(p.value) + didYouMean(p.value, action_hint_));
  }

  void compileRoles() {
    // RoleIds first, so that includes may name a role defined later or in another file.
    for (std::size_t i = 0; i < raw_.roles.size(); ++i) {
      if (!role_ok_[i]) continue;
      const RawRole& r = raw_.roles[i];
      RoleId id = static_cast<RoleId>(out_->roles.size());
      out_->role_ids.emplace(r.id.value, id);
      CompiledRole cr;
      cr.info.id = r.id.value;
      cr.info.title = r.title ? r.title->value : r.id.value;
      cr.info.description = r.description ? r.description->value : "";
      cr.file = r.file;
      cr.line = r.line;
      out_->roles.push_back(std::move(cr));
      role_raw_.push_back(&r);
    }
    for (const auto& [name, id] : out_->role_ids) role_hint_storage_.push_back(name);
    for (const auto& n : role_hint_storage_) role_hint_.push_back(n);

    const std::size_t n = role_raw_.size();
    grants_.resize(n);
    except_.resize(n);
    includes_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const RawRole& r = *role_raw_[i];
      grants_[i] = rolePatterns(r, r.grants);
      except_[i] = rolePatterns(r, r.except);
      for (const Located& inc : r.includes) {
        auto it = out_->role_ids.find(inc.value);
        if (it == out_->role_ids.end()) {
          error(r.file, inc, "unknown_role",
                "unknown role " + ticked(inc.value) + didYouMean(inc.value, role_hint_));
          continue;
        }
        includes_[i].push_back({it->second, &inc});
      }
    }
    state_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) expand(static_cast<RoleId>(i));
  }

  // Depth-first over includes; 1 marks a role on the current path, 2 a finished one.
  void expand(RoleId id) {
    if (state_[id] != 0) return;
    state_[id] = 1;
    path_.push_back(id);
    ActionSet actions = grants_[id];
    for (const auto& [inc, site] : includes_[id]) {
      if (state_[inc] == 1) {
        std::string cycle;
        auto start = std::find(path_.begin(), path_.end(), inc);
        for (auto it = start; it != path_.end(); ++it) {
          cycle += ticked(out_->roles[*it].info.id) + " -> ";
        }
        cycle += ticked(out_->roles[inc].info.id);
        error(role_raw_[id]->file, *site, "include_cycle", "roles include each other: " + cycle);
        continue;
      }
      if (state_[inc] == 0 && path_.size() >= kMaxIncludeDepth) {
        error(role_raw_[id]->file, *site, "include_cycle",
              "includes nest deeper than " + std::to_string(kMaxIncludeDepth) + " roles");
        continue;
      }
      expand(inc);
      actions.addAll(out_->roles[inc].info.actions);
    }
    actions.removeAll(except_[id]);
    out_->roles[id].info.actions = actions;
    path_.pop_back();
    state_[id] = 2;
  }

  void compilePolicies() {
    for (std::size_t i = 0; i < raw_.policies.size(); ++i) {
      if (!policy_ok_[i]) continue;
      const RawPolicy& p = raw_.policies[i];
      CompiledPolicy cp;
      cp.info.id = p.id.value;
      cp.info.description = p.description ? p.description->value : "";
      cp.info.file = p.file;
      cp.info.line = p.line;
      if (p.effect) {
        if (p.effect->value == "permit") {
          cp.info.effect = Effect::kPermit;
        } else if (p.effect->value == "forbid") {
          cp.info.effect = Effect::kForbid;
        } else {
          static constexpr std::string_view kEffects[] = {"permit", "forbid"};
          error(p.file, *p.effect, "bad_value",
                "effect must be `permit` or `forbid`, not " + ticked(p.effect->value) +
                    didYouMean(p.effect->value, kEffects));
        }
      }
      for (const Located& a : p.actions) {
        ActionSet s = expandActionPattern(a.value);
        if (s.empty()) {
          unknownAction(p.file, a);
          continue;
        }
        cp.info.actions.addAll(s);
      }
      for (const Located& c : p.when) {
        if (auto cond = compileCondition(p, cp.info.actions, c)) {
          cp.when.push_back(std::move(cond));
          cp.when_src.push_back(ConditionSource{c.value, c.line});
        }
      }
      for (const Located& c : p.unless) {
        if (auto cond = compileCondition(p, cp.info.actions, c)) {
          cp.unless.push_back(std::move(cond));
          cp.unless_src.push_back(ConditionSource{c.value, c.line});
        }
      }
      out_->policies.push_back(std::move(cp));
    }
    if (out_->policies.size() > 0xffff) {
      error(raw_.policies.back().file, 0, 0, "too_many_policies",
            "a policy set holds at most 65535 policies");
      return;
    }
    for (std::size_t i = 0; i < out_->policies.size(); ++i) {
      const PolicyInfo& info = out_->policies[i].info;
      for (std::size_t a = 0; a < 64; ++a) {
        if (!info.actions.has(static_cast<ActionId>(a))) continue;
        auto& index = info.effect == Effect::kPermit ? out_->permits_by_action[a]
                                                     : out_->forbids_by_action[a];
        index.push_back(static_cast<std::uint16_t>(i));
      }
    }
  }

  ConditionPtr compileCondition(const RawPolicy& p, ActionSet policy_actions, const Located& c) {
    auto ast = parseCondition(c.value);
    if (!ast) {
      error(p.file, c.line, c.columnAt(ast.error().offset), ast.error().code,
            ast.error().message);
      return nullptr;
    }
    auto at = [&](std::size_t offset) { return c.columnAt(offset); };
    const AttrInfo* attr = findAttribute(ast->attr);
    if (attr == nullptr) {
      error(p.file, c.line, at(ast->attr_offset), "unknown_attribute",
            "unknown attribute " + ticked(ast->attr) + didYouMean(ast->attr, attr_hint_));
      return nullptr;
    }
    if (attr->needs != AttrNeeds::kNothing) {
      ActionSet allowed = attr->needs == AttrNeeds::kOrg ? actionsWithScope(Scope::kOrg)
                                                         : escalationActions();
      ActionSet outside = policy_actions;
      outside.removeAll(allowed);
      if (!outside.empty()) {
        ActionId first = 0;
        while (!outside.has(first)) ++first;
        error(p.file, c.line, at(ast->attr_offset), "attribute_unavailable",
              ticked(attr->name) +
                  (attr->needs == AttrNeeds::kOrg
                       ? " exists only for org-scoped actions"
                       : " exists only for actions that edit an admin (" + escalationList() +
                             ")") +
                  ", and this policy covers " + ticked(actionInfo(first).name));
        return nullptr;
      }
    }
    unsigned kinds = kindsFor(attr->type, ast->op);
    if (kinds == 0) {
      error(p.file, c.line, at(ast->op_offset), "type_mismatch",
            "operator " + ticked(opName(ast->op)) + " does not apply to " + ticked(attr->name) +
                " (" + std::string(attrTypeName(attr->type)) + "); use " +
                operatorsFor(attr->type));
      return nullptr;
    }
    if ((kinds & (1u << static_cast<int>(ast->kind))) == 0) {
      error(p.file, c.line, at(ast->value_offset), "type_mismatch",
            ticked(std::string(attr->name) + " " + std::string(opName(ast->op))) + " needs " +
                kindWanted(kinds));
      return nullptr;
    }
    const bool negate = ast->op == Op::kNe || ast->op == Op::kNotIn ||
                        ast->op == Op::kNotMatches || ast->op == Op::kNotContains;
    auto& lits = ast->strings;
    switch (attr->type) {
      case AttrType::kString: {
        if (ast->op == Op::kMatches || ast->op == Op::kNotMatches) {
          RE2::Options opts;
          opts.set_log_errors(false);
          opts.set_max_mem(kRegexMaxMem);
          auto re = std::make_unique<const RE2>(lits[0].value, opts);
          if (!re->ok()) {
            error(p.file, c.line, at(lits[0].offset), "bad_regex",
                  "bad regular expression " + ticked(lits[0].value) + ": " +
                      lowercase(re->error()));
            return nullptr;
          }
          if (re->ProgramSize() > kRegexMaxProgramSize) {
            error(p.file, c.line, at(lits[0].offset), "bad_regex",
                  "regular expression " + ticked(lits[0].value) + " is too complex");
            return nullptr;
          }
          return makeStringMatches(attr->id, std::move(re), negate);
        }
        std::vector<std::string> values;
        for (auto& l : lits) values.push_back(l.value);
        return makeStringIn(attr->id, std::move(values), negate);
      }
      case AttrType::kBool:
        return makeBoolEq(attr->id, ast->boolean, negate);
      case AttrType::kRole: {
        std::vector<RoleId> roles;
        bool ok = true;
        for (auto& l : lits) {
          auto it = out_->role_ids.find(l.value);
          if (it == out_->role_ids.end()) {
            error(p.file, c.line, at(l.offset), "unknown_role",
                  "unknown role " + ticked(l.value) + didYouMean(l.value, role_hint_));
            ok = false;
            continue;
          }
          roles.push_back(it->second);
        }
        if (!ok) return nullptr;
        return makeRoleIn(attr->id, std::move(roles), negate);
      }
      case AttrType::kAction: {
        ActionSet set;
        bool ok = true;
        for (auto& l : lits) {
          ActionSet s = expandActionPattern(l.value);
          if (s.empty()) {
            error(p.file, c.line, at(l.offset), "unknown_action",
                  "unknown action " + ticked(l.value) + didYouMean(l.value, action_hint_));
            ok = false;
            continue;
          }
          set.addAll(s);
        }
        if (!ok) return nullptr;
        return makeActionIn(set, negate);
      }
      case AttrType::kEnum: {
        std::uint32_t mask = 0;
        bool ok = true;
        for (auto& l : lits) {
          auto& vals = attr->enum_values;
          auto it = std::find(vals.begin(), vals.end(), l.value);
          if (it == vals.end()) {
            std::string all;
            for (auto v : vals) all += (all.empty() ? "`" : ", `") + std::string(v) + "`";
            error(p.file, c.line, at(l.offset), "bad_value",
                  ticked(l.value) + " is not a value of " + ticked(attr->name) + " (one of " +
                      all + ")" + didYouMean(l.value, vals));
            ok = false;
            continue;
          }
          mask |= 1u << (it - vals.begin());
        }
        if (!ok) return nullptr;
        return makeEnumIn(attr->id, mask, negate);
      }
      case AttrType::kSet:
        return makeTagsContains(lits[0].value, negate);
      case AttrType::kIp: {
        std::vector<IpNetwork> nets;
        bool ok = true;
        for (auto& l : lits) {
          auto net = parseIpNetwork(l.value);
          if (!net) {
            error(p.file, c.line, at(l.offset), "bad_cidr",
                  ticked(l.value) + " is not an ip network such as `10.0.0.0/8` or `2001:db8::/32`");
            ok = false;
            continue;
          }
          nets.push_back(*net);
        }
        if (!ok) return nullptr;
        return makeIpIn(std::move(nets), negate);
      }
      case AttrType::kTime: {
        if (ast->op == Op::kBetween) {
          auto a = parseClock(lits[0].value);
          auto b = parseClock(lits[1].value);
          bool ok = true;
          for (int i = 0; i < 2; ++i) {
            if (!(i == 0 ? a : b)) {
              error(p.file, c.line, at(lits[i].offset), "bad_time",
                    ticked(lits[i].value) + " is not a time of day `HH:MM` (utc)");
              ok = false;
            }
          }
          if (!ok) return nullptr;
          if (*a == *b) {
            error(p.file, c.line, at(lits[0].offset), "bad_time",
                  "the window from " + ticked(lits[0].value) + " to " + ticked(lits[1].value) +
                      " is empty");
            return nullptr;
          }
          return makeTimeBetween(*a, *b);
        }
        auto t = parseRfc3339(lits[0].value);
        if (!t) {
          error(p.file, c.line, at(lits[0].offset), "bad_time",
                ticked(lits[0].value) + " is not an rfc 3339 time such as `2026-11-22T16:00:00Z`");
          return nullptr;
        }
        return makeTimeCompare(ast->op, *t);
      }
    }
    return nullptr;
  }

  std::string escalationList() {
    std::string out;
    ActionSet e = escalationActions();
    for (const ActionInfo& a : allActions()) {
      ActionId id = static_cast<ActionId>(&a - allActions().data());
      if (!e.has(id)) continue;
      if (!out.empty()) out += ", ";
      out += "`" + std::string(a.name) + "`";
    }
    return out;
  }

  const RawSet& raw_;
  DiagnosticSink& sink_;
  std::unique_ptr<CompiledPolicies> out_;
  std::vector<bool> role_ok_;
  std::vector<bool> policy_ok_;
  std::vector<const RawRole*> role_raw_;  // by RoleId
  std::vector<ActionSet> grants_;
  std::vector<ActionSet> except_;
  std::vector<std::vector<std::pair<RoleId, const Located*>>> includes_;
  std::vector<int> state_;
  std::vector<RoleId> path_;
  std::vector<std::string> action_words_;
  std::vector<std::string_view> action_hint_;
  std::vector<std::string_view> attr_hint_;
  std::vector<std::string> role_hint_storage_;
  std::vector<std::string_view> role_hint_;
};

}  // namespace

std::unique_ptr<CompiledPolicies> compileRawSet(const RawSet& raw, DiagnosticSink& sink) {
  return Compiler(raw, sink).run();
}

}  // namespace mtp::engine::detail
