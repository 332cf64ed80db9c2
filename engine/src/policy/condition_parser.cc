#include "policy/condition_parser.h"

#include <array>
#include <cctype>
#include <optional>

#include "policy/diagnostic_sink.h"
#include "policy/suggest.h"

namespace mtp::engine::detail {
namespace {

constexpr std::array<std::string_view, 13> kOpNames = {
    "==", "!=", "in", "not in", "matches", "not matches", "contains", "not contains",
    "between", "<", "<=", ">", ">="};

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::expected<ConditionAst, ConditionError> parse() {
    ConditionAst ast;
    skipSpace();
    if (atEnd()) return fail("bad_condition", "empty condition", pos_);
    ast.attr_offset = pos_;
    if (!isWordChar(s_[pos_])) {
      return fail("bad_condition",
                  "expected an attribute such as `principal.role`, found " + ticked(rest()),
                  pos_);
    }
    ast.attr = std::string(word());
    skipSpace();
    if (atEnd()) {
      return fail("bad_condition", "expected an operator after " + ticked(ast.attr), pos_);
    }
    ast.op_offset = pos_;
    if (auto e = parseOp(ast)) return std::unexpected(*e);
    skipSpace();
    ast.value_offset = pos_;
    if (atEnd()) {
      return fail("bad_condition", "expected a value after " + ticked(opName(ast.op)), pos_);
    }
    if (ast.op == Op::kBetween) {
      ast.kind = ConditionAst::Kind::kRange;
      auto a = parseString();
      if (!a) return std::unexpected(a.error());
      skipSpace();
      std::size_t and_at = pos_;
      if (word() != "and") {
        return fail("bad_condition", "expected `and` in `between \"HH:MM\" and \"HH:MM\"`",
                    and_at);
      }
      skipSpace();
      auto b = parseString();
      if (!b) return std::unexpected(b.error());
      ast.strings.push_back(std::move(*a));
      ast.strings.push_back(std::move(*b));
    } else if (s_[pos_] == '"') {
      ast.kind = ConditionAst::Kind::kString;
      auto a = parseString();
      if (!a) return std::unexpected(a.error());
      ast.strings.push_back(std::move(*a));
    } else if (s_[pos_] == '[') {
      ast.kind = ConditionAst::Kind::kList;
      if (auto e = parseList(ast)) return std::unexpected(*e);
    } else {
      std::size_t at = pos_;
      std::string_view w = isWordChar(s_[pos_]) ? word() : std::string_view{};
      if (w == "true" || w == "false") {
        ast.kind = ConditionAst::Kind::kBool;
        ast.boolean = w == "true";
      } else if (!w.empty()) {
        return fail("bad_condition",
                    "expected a value, found " + ticked(w) + "; strings are double-quoted: `\"" +
                        std::string(w) + "\"`",
                    at);
      } else {
        return fail("bad_condition",
                    "expected a double-quoted string, `true`, `false` or a list, found " +
                        ticked(rest()),
                    at);
      }
    }
    skipSpace();
    if (!atEnd()) {
      return fail("bad_condition", "unexpected " + ticked(rest()) + " after the value", pos_);
    }
    return ast;
  }

 private:
  bool atEnd() const { return pos_ >= s_.size(); }
  std::string_view rest() const { return s_.substr(pos_); }
  void skipSpace() {
    while (!atEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                        s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  std::string_view word() {
    std::size_t start = pos_;
    while (!atEnd() && isWordChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  static std::unexpected<ConditionError> fail(std::string code, std::string message,
                                              std::size_t at) {
    return std::unexpected(ConditionError{std::move(code), std::move(message), at});
  }

  std::optional<ConditionError> parseOp(ConditionAst& ast) {
    std::size_t at = pos_;
    char c = s_[pos_];
    if (c == '=' || c == '!' || c == '<' || c == '>' || c == '~') {
      std::size_t start = pos_;
      while (!atEnd() && (s_[pos_] == '=' || s_[pos_] == '!' || s_[pos_] == '<' ||
                          s_[pos_] == '>' || s_[pos_] == '~')) {
        ++pos_;
      }
      std::string_view sym = s_.substr(start, pos_ - start);
      if (sym == "==") ast.op = Op::kEq;
      else if (sym == "!=") ast.op = Op::kNe;
      else if (sym == "<") ast.op = Op::kLt;
      else if (sym == "<=") ast.op = Op::kLe;
      else if (sym == ">") ast.op = Op::kGt;
      else if (sym == ">=") ast.op = Op::kGe;
      else return unknownOp(sym, at);
      return std::nullopt;
    }
    if (!isWordChar(c)) return unknownOp(s_.substr(pos_, 1), at);
    std::string_view w = word();
    if (w == "in") { ast.op = Op::kIn; return std::nullopt; }
    if (w == "matches") { ast.op = Op::kMatches; return std::nullopt; }
    if (w == "contains") { ast.op = Op::kContains; return std::nullopt; }
    if (w == "between") { ast.op = Op::kBetween; return std::nullopt; }
    if (w == "not") {
      skipSpace();
      std::string_view w2 = word();
      if (w2 == "in") { ast.op = Op::kNotIn; return std::nullopt; }
      if (w2 == "matches") { ast.op = Op::kNotMatches; return std::nullopt; }
      if (w2 == "contains") { ast.op = Op::kNotContains; return std::nullopt; }
      return unknownOp(s_.substr(at, pos_ - at), at);
    }
    return unknownOp(w, at);
  }

  static ConditionError unknownOp(std::string_view op, std::size_t at) {
    return ConditionError{"unknown_operator",
                          "unknown operator " + ticked(op) + didYouMean(op, kOpNames), at};
  }

  std::expected<StringLit, ConditionError> parseString() {
    StringLit lit;
    lit.offset = pos_;
    if (atEnd() || s_[pos_] != '"') {
      return fail("bad_condition", "expected a double-quoted string, found " + ticked(rest()),
                  pos_);
    }
    ++pos_;
    while (true) {
      if (atEnd()) return fail("bad_condition", "unterminated string", lit.offset);
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return lit;
      }
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return fail("bad_condition", "unterminated string", lit.offset);
        char e = s_[pos_ + 1];
        if (e != '"' && e != '\\') {
          return fail("bad_condition",
                      "unknown escape " + ticked(s_.substr(pos_, 2)) +
                          " (only `\\\"` and `\\\\` are allowed)",
                      pos_);
        }
        lit.value += e;
        pos_ += 2;
        continue;
      }
      lit.value += c;
      ++pos_;
    }
  }

  std::optional<ConditionError> parseList(ConditionAst& ast) {
    std::size_t open = pos_;
    ++pos_;  // '['
    skipSpace();
    if (!atEnd() && s_[pos_] == ']') {
      return ConditionError{"bad_condition", "empty list", open};
    }
    while (true) {
      skipSpace();
      auto lit = parseString();
      if (!lit) return lit.error();
      ast.strings.push_back(std::move(*lit));
      skipSpace();
      if (atEnd()) return ConditionError{"bad_condition", "unterminated list", open};
      if (s_[pos_] == ']') {
        ++pos_;
        return std::nullopt;
      }
      if (s_[pos_] != ',') {
        return ConditionError{"bad_condition",
                              "expected `,` or `]` in a list, found " + ticked(rest()), pos_};
      }
      ++pos_;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view opName(Op op) { return kOpNames[static_cast<std::size_t>(op)]; }

std::expected<ConditionAst, ConditionError> parseCondition(std::string_view text) {
  return Parser(text).parse();
}

}  // namespace mtp::engine::detail
