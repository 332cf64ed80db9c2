#include "store/soci_list.h"

#include <charconv>

#include "store/util.h"

namespace mtp::store::detail {

namespace {

std::string likePattern(std::string_view value) {
  std::string out = "%";
  for (char c : asciiLower(value)) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::vector<std::string> splitIn(std::string_view v) {
  std::vector<std::string> out;
  while (true) {
    auto bar = v.find('|');
    out.emplace_back(v.substr(0, bar));
    if (bar == std::string_view::npos) break;
    v = v.substr(bar + 1);
  }
  return out;
}

const char* opSql(FilterOp op) {
  switch (op) {
    case FilterOp::kEq: return "=";
    case FilterOp::kNe: return "<>";
    case FilterOp::kGt: return ">";
    case FilterOp::kGe: return ">=";
    case FilterOp::kLt: return "<";
    case FilterOp::kLe: return "<=";
    default: return "=";
  }
}

// One value of a filter as a bound parameter (wrapped for its column kind).
Result<std::string> valueParam(const FieldSpec& f, std::string_view value, SqlParams& p,
                               const Dialect& d) {
  switch (f.kind) {
    case FieldKind::kText:
    case FieldKind::kTags:
      return p.text(std::string(value));
    case FieldKind::kTextCi:
      return "lower(" + p.text(std::string(value)) + ")";
    case FieldKind::kInt: {
      long long v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                            "` needs an integer"));
      }
      return p.integer(v);
    }
    case FieldKind::kBool:
      if (value == "true" || value == "1") return p.boolean(true);
      if (value == "false" || value == "0") return p.boolean(false);
      return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                          "` needs true or false"));
    case FieldKind::kTime: {
      auto t = parseTime(value);
      if (!t) {
        return fail(Status::invalidArgument("filter `" + std::string(f.name) +
                                            "` needs an RFC 3339 time"));
      }
      return d.tsParam(p.integer(*t));
    }
  }
  return fail(Status::internal("unknown field kind"));
}

const FieldSpec* findField(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

Result<std::string> filterSql(const std::vector<FieldSpec>& fields,
                              const std::vector<FilterTerm>& filters, SqlParams& p,
                              const Dialect& d, std::string_view tags_owner) {
  std::string out;
  for (const FilterTerm& term : filters) {
    const FieldSpec* f = findField(fields, term.field);
    if (f == nullptr) {
      return fail(Status::invalidArgument("cannot filter on `" + term.field + "`"));
    }
    std::string cond;
    std::string col = f->kind == FieldKind::kTextCi ? "lower(" + f->column + ")" : f->column;
    if (f->kind == FieldKind::kTags) col = "t.tag";
    bool text = f->kind == FieldKind::kText || f->kind == FieldKind::kTextCi ||
                f->kind == FieldKind::kTags;
    if (term.op == FilterOp::kSearch) {
      if (!text) {
        return fail(Status::invalidArgument("`search` needs a text field, not `" + term.field +
                                            "`"));
      }
      cond = "lower(" + (f->kind == FieldKind::kTags ? std::string("t.tag") : f->column) +
             ") LIKE " + p.text(likePattern(term.value)) + " ESCAPE '\\'";
    } else if (term.op == FilterOp::kIn) {
      cond = col + " IN (";
      bool first = true;
      for (const std::string& v : splitIn(term.value)) {
        auto param = valueParam(*f, v, p, d);
        if (!param) return fail(param.error());
        if (!first) cond += ", ";
        cond += *param;
        first = false;
      }
      cond += ")";
    } else {
      if ((f->kind == FieldKind::kBool || f->kind == FieldKind::kTags) &&
          term.op != FilterOp::kEq && term.op != FilterOp::kNe) {
        return fail(Status::invalidArgument("`" + term.field + "` takes eq, ne" +
                                            (f->kind == FieldKind::kTags ? ", in, search" : "")));
      }
      auto param = valueParam(*f, term.value, p, d);
      if (!param) return fail(param.error());
      if (f->kind == FieldKind::kTags) {
        // ne on tags: has no such tag.
        std::string exists = "EXISTS (SELECT 1 FROM organization_tags t WHERE t.org_id = " +
                             std::string(tags_owner) + " AND t.tag = " + *param + ")";
        out += term.op == FilterOp::kNe ? " AND NOT " + exists : " AND " + exists;
        continue;
      }
      cond = col + " " + opSql(term.op) + " " + *param;
    }
    if (f->kind == FieldKind::kTags) {
      cond = "EXISTS (SELECT 1 FROM organization_tags t WHERE t.org_id = " +
             std::string(tags_owner) + " AND " + cond + ")";
    }
    out += " AND " + cond;
  }
  return out;
}

Result<std::string> orderSql(const std::vector<FieldSpec>& fields,
                             const std::vector<SortKey>& sort, std::string_view id_column) {
  std::string out = " ORDER BY ";
  for (const SortKey& key : sort) {
    const FieldSpec* f = findField(fields, key.field);
    if (f == nullptr || f->kind == FieldKind::kTags) {
      return fail(Status::invalidArgument("cannot sort on `" + key.field + "`"));
    }
    out += f->column + (key.descending ? " DESC, " : " ASC, ");
  }
  return out + std::string(id_column) + " ASC";
}

Result<void> checkPaging(const ListQuery& q) {
  if (q.limit < 1 || q.limit > ListQuery::kMaxLimit) {
    return fail(Status::invalidArgument("limit must be between 1 and " +
                                        std::to_string(ListQuery::kMaxLimit)));
  }
  if (q.skip < 0) return fail(Status::invalidArgument("skip must not be negative"));
  return {};
}

}  // namespace mtp::store::detail
