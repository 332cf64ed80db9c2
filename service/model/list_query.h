// Paging, sorting and filtering of list endpoints (`limit`, `skip`, `sort=name,-created`,
// `filter=field:op:value`) as a use case hands them to the store. Field names are the API's
// (camelCase); each list has a whitelist that maps them to columns, so no caller text ever
// becomes SQL: values are bound parameters.
#pragma once

#include <string>
#include <vector>

namespace mtp::model {

enum class FilterOp { kEq, kNe, kGt, kGe, kLt, kLe, kIn, kSearch };

struct FilterTerm {
  std::string field;
  FilterOp op = FilterOp::kEq;
  std::string value;  // kIn: values separated by `|`; times: RFC 3339 or Unix seconds
};

struct SortKey {
  std::string field;
  bool descending = false;
};

struct ListQuery {
  static constexpr int kMaxLimit = 100;
  int limit = 10;  // 1..kMaxLimit
  int skip = 0;
  std::vector<SortKey> sort;  // ties are broken by id
  std::vector<FilterTerm> filters;  // all must hold
};

}  // namespace mtp::model
