// The whitelists behind the list queries (organizations, admins, users, devices): a field of
// the API names one column and its kind; filters and sorts become SQL with bound values only
// (never caller text). Internal to the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/dialect.h"
#include "store/model.h"
#include "store/sql_params.h"
#include "model/status.h"

namespace mtp::store::detail {

enum class FieldKind { kText, kTextCi, kInt, kBool, kTime, kTags };

struct FieldSpec {
  std::string_view name;  // the API's field name
  std::string column;
  FieldKind kind;
};

// " AND cond AND cond ..." for the filters; `tags_owner` is the org id column that a tags
// filter joins organization_tags on.
Result<std::string> filterSql(const std::vector<FieldSpec>& fields,
                              const std::vector<FilterTerm>& filters, SqlParams& p,
                              const Dialect& d, std::string_view tags_owner);
// " ORDER BY ..." with `id_column` last, for a stable order.
Result<std::string> orderSql(const std::vector<FieldSpec>& fields,
                             const std::vector<SortKey>& sort, std::string_view id_column);
// kInvalidArgument for a limit or skip out of range.
Result<void> checkPaging(const ListQuery& q);

}  // namespace mtp::store::detail
