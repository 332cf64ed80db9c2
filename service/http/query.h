// List query parameters of the spec: `limit` (default 10, 1..100), `skip` (>= 0),
// `sort=name,-created` and repeatable `filter=field:op:value` (ops eq ne gt ge lt le in
// search; `in` takes `a|b|c`), checked against the fields the route whitelists. The result
// is a plain struct for the store layer: no SQL here; field names are only ever ones from
// the whitelist, so the store may map them to columns safely.
//
// Several filters are given in one parameter separated by `;`
// (`filter=state:eq:ACTIVATED;organization:eq:o1`). Pistache 0.0.5 keeps one value per query
// parameter name, so mtpd refuses a request that names a parameter twice before Pistache reads
// it (http/request_guard.h) rather than drop a filter silently; parseListQuery still takes
// repeats, for callers that keep them.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "http/errors.h"
#include "http/request_context.h"

namespace mtp::http {

enum class FilterOp { kEq, kNe, kGt, kGe, kLt, kLe, kIn, kSearch };

struct SortKey {
  std::string field;
  bool descending = false;
  bool operator==(const SortKey&) const = default;
};

struct Filter {
  std::string field;
  FilterOp op = FilterOp::kEq;
  std::string value;                // as given (for `in`: the raw `a|b`)
  std::vector<std::string> values;  // `in`: the alternatives; others: {value}
  bool operator==(const Filter&) const = default;
};

struct ListQuery {
  int limit = 10;
  std::int64_t skip = 0;
  std::vector<SortKey> sort;  // empty: the route's default order
  std::vector<Filter> filters;
};

// What a list route accepts.
struct ListSpec {
  std::vector<std::string> sortable;    // fields allowed in `sort`
  std::vector<std::string> filterable;  // fields allowed in `filter`
  std::vector<std::string> other_params;  // more query names the route reads itself
};

inline constexpr int kDefaultLimit = 10;
inline constexpr int kMaxLimit = 100;

// A query string component with `%XX` and `+` (form encoding) decoded; a malformed escape is
// kept as written. (Pistache 0.0.5 hands query names and values over still encoded.)
std::string decodeQueryComponent(std::string_view s);

// Parses `limit`, `skip`, `sort` and every `filter` of `query`. Unknown parameter names
// (not in the list above nor in spec.other_params) are refused too, so a typo does not
// silently return everything.
std::expected<ListQuery, Status> parseListQuery(const Params& query, const ListSpec& spec);

}  // namespace mtp::http
