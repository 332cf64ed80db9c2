#include "http/query.h"

#include <algorithm>
#include <charconv>

namespace mtp::http {

namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string bt(std::string_view s) { return "`" + std::string(s.substr(0, 64)) + "`"; }

std::expected<std::int64_t, Status> parseInt(std::string_view name, std::string_view v,
                                            std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < min || n > max) {
    return std::unexpected(Status::invalidArgument(std::string(name) + " must be an integer from " +
                                                  std::to_string(min) + " to " + std::to_string(max)));
  }
  return n;
}

std::optional<FilterOp> parseOp(std::string_view s) {
  if (s == "eq") return FilterOp::kEq;
  if (s == "ne") return FilterOp::kNe;
  if (s == "gt") return FilterOp::kGt;
  if (s == "ge") return FilterOp::kGe;
  if (s == "lt") return FilterOp::kLt;
  if (s == "le") return FilterOp::kLe;
  if (s == "in") return FilterOp::kIn;
  if (s == "search") return FilterOp::kSearch;
  return std::nullopt;
}

std::expected<Filter, Status> parseFilter(std::string_view f, const ListSpec& spec) {
  auto c1 = f.find(':');
  auto c2 = c1 == std::string_view::npos ? c1 : f.find(':', c1 + 1);
  if (c2 == std::string_view::npos) {
    return std::unexpected(Status::invalidArgument("filter " + bt(f) + " must be field:op:value"));
  }
  Filter out;
  out.field = std::string(f.substr(0, c1));
  std::string_view op = f.substr(c1 + 1, c2 - c1 - 1);
  out.value = std::string(f.substr(c2 + 1));  // may contain ':'
  if (!contains(spec.filterable, out.field)) {
    return std::unexpected(Status::invalidArgument("cannot filter on " + bt(out.field)));
  }
  auto parsed = parseOp(op);
  if (!parsed) {
    return std::unexpected(Status::invalidArgument("unknown filter operator " + bt(op) +
                                                  " (eq ne gt ge lt le in search)"));
  }
  out.op = *parsed;
  if (out.op == FilterOp::kIn) {
    std::string_view rest = out.value;
    while (true) {
      auto bar = rest.find('|');
      out.values.emplace_back(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    if (out.values.size() > 100) {
      return std::unexpected(Status::invalidArgument("filter " + bt(out.field) + ": at most 100 values for `in`"));
    }
  } else {
    out.values.push_back(out.value);
  }
  if (out.op == FilterOp::kSearch && out.value.empty()) {
    return std::unexpected(Status::invalidArgument("filter " + bt(out.field) + ": search needs a value"));
  }
  return out;
}

}  // namespace

std::string decodeQueryComponent(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::expected<ListQuery, Status> parseListQuery(const Params& query, const ListSpec& spec) {
  ListQuery q;
  bool seen_limit = false, seen_skip = false, seen_sort = false;
  for (const auto& [name, value] : query) {
    if (name == "limit") {
      if (seen_limit) return std::unexpected(Status::invalidArgument("limit given twice"));
      seen_limit = true;
      auto n = parseInt("limit", value, 1, kMaxLimit);
      if (!n) return std::unexpected(n.error());
      q.limit = static_cast<int>(*n);
    } else if (name == "skip") {
      if (seen_skip) return std::unexpected(Status::invalidArgument("skip given twice"));
      seen_skip = true;
      auto n = parseInt("skip", value, 0, 1'000'000'000);
      if (!n) return std::unexpected(n.error());
      q.skip = *n;
    } else if (name == "sort") {
      if (seen_sort) return std::unexpected(Status::invalidArgument("sort given twice"));
      seen_sort = true;
      std::string_view rest = value;
      while (true) {
        auto comma = rest.find(',');
        std::string_view key = rest.substr(0, comma);
        SortKey k;
        if (!key.empty() && key.front() == '-') {
          k.descending = true;
          key.remove_prefix(1);
        }
        if (!contains(spec.sortable, key)) {
          return std::unexpected(Status::invalidArgument("cannot sort on " + bt(key)));
        }
        if (std::any_of(q.sort.begin(), q.sort.end(), [&](const SortKey& s) { return s.field == key; })) {
          return std::unexpected(Status::invalidArgument("sort names " + bt(key) + " twice"));
        }
        k.field = std::string(key);
        q.sort.push_back(std::move(k));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (name == "filter") {
      std::string_view rest = value;
      while (true) {
        auto semi = rest.find(';');
        auto f = parseFilter(rest.substr(0, semi), spec);
        if (!f) return std::unexpected(f.error());
        q.filters.push_back(std::move(*f));
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
      }
      if (q.filters.size() > 20) return std::unexpected(Status::invalidArgument("at most 20 filters"));
    } else if (!contains(spec.other_params, name)) {
      return std::unexpected(Status::invalidArgument("unknown query parameter " + bt(name)));
    }
  }
  return q;
}

}  // namespace mtp::http
