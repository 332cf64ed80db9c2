// Parses one condition string, `ATTR OP VALUE`, into a syntax tree with the offset of each
// part (for diagnostics). Types and names are checked later, by the compiler.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace mtp::engine::detail {

enum class Op : std::uint8_t {
  kEq, kNe, kIn, kNotIn, kMatches, kNotMatches, kContains, kNotContains,
  kBetween, kLt, kLe, kGt, kGe,
};
std::string_view opName(Op op);

struct StringLit {
  std::string value;
  std::size_t offset = 0;  // of the opening quote
};

struct ConditionAst {
  enum class Kind : std::uint8_t { kString, kBool, kList, kRange };

  std::string attr;
  std::size_t attr_offset = 0;
  Op op = Op::kEq;
  std::size_t op_offset = 0;
  Kind kind = Kind::kString;
  std::vector<StringLit> strings;  // kString: one; kList: one or more; kRange: two
  bool boolean = false;            // kBool
  std::size_t value_offset = 0;
};

struct ConditionError {
  std::string code;  // bad_condition, unknown_operator
  std::string message;
  std::size_t offset = 0;
};

std::expected<ConditionAst, ConditionError> parseCondition(std::string_view text);

}  // namespace mtp::engine::detail
