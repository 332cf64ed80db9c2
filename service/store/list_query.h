// Paging, sorting and filtering of list endpoints (`limit`, `skip`, `sort=name,-created`,
// `filter=field:op:value`). Field names are the API's (camelCase); each list has a whitelist
// that maps them to columns, so no caller text ever becomes SQL: values are bound parameters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace mtp::store {

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

// "name,-created" → [{name, asc}, {created, desc}]. Fields are checked by the list itself.
Result<std::vector<SortKey>> parseSort(std::string_view text);
// "field:op:value" (the value may contain ':').
Result<FilterTerm> parseFilter(std::string_view text);

}  // namespace mtp::store
