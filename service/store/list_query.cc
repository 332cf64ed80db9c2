#include "store/list_query.h"

namespace mtp::store {

namespace {

bool validField(std::string_view f) {
  if (f.empty() || f.size() > 64) return false;
  for (char c : f) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<SortKey>> parseSort(std::string_view text) {
  std::vector<SortKey> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    SortKey key;
    if (item.front() == '-' || item.front() == '+') {
      key.descending = item.front() == '-';
      item.remove_prefix(1);
    }
    if (!validField(item)) {
      return fail(Status::invalidArgument("bad sort field `" + std::string(item) + "`"));
    }
    key.field = std::string(item);
    out.push_back(std::move(key));
  }
  return out;
}

Result<FilterTerm> parseFilter(std::string_view text) {
  auto first = text.find(':');
  if (first == std::string_view::npos) {
    return fail(Status::invalidArgument("filter must be field:op:value"));
  }
  auto second = text.find(':', first + 1);
  if (second == std::string_view::npos) {
    return fail(Status::invalidArgument("filter must be field:op:value"));
  }
  FilterTerm term;
  std::string_view field = text.substr(0, first);
  std::string_view op = text.substr(first + 1, second - first - 1);
  if (!validField(field)) {
    return fail(Status::invalidArgument("bad filter field `" + std::string(field) + "`"));
  }
  term.field = std::string(field);
  if (op == "eq") {
    term.op = FilterOp::kEq;
  } else if (op == "ne") {
    term.op = FilterOp::kNe;
  } else if (op == "gt") {
    term.op = FilterOp::kGt;
  } else if (op == "ge") {
    term.op = FilterOp::kGe;
  } else if (op == "lt") {
    term.op = FilterOp::kLt;
  } else if (op == "le") {
    term.op = FilterOp::kLe;
  } else if (op == "in") {
    term.op = FilterOp::kIn;
  } else if (op == "search") {
    term.op = FilterOp::kSearch;
  } else {
    return fail(Status::invalidArgument("unknown filter operator `" + std::string(op) +
                                        "` (eq ne gt ge lt le in search)"));
  }
  term.value = std::string(text.substr(second + 1));
  return term;
}

}  // namespace mtp::store
