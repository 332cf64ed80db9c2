// Paging, sorting and filtering of list endpoints (`limit`, `skip`, `sort=name,-created`,
// `filter=field:op:value`). Field names are the API's (camelCase); each list has a whitelist
// that maps them to columns, so no caller text ever becomes SQL: values are bound parameters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/model.h"
#include "store/status.h"

namespace mtp::store {

// "name,-created" → [{name, asc}, {created, desc}]. Fields are checked by the list itself.
Result<std::vector<SortKey>> parseSort(std::string_view text);
// "field:op:value" (the value may contain ':').
Result<FilterTerm> parseFilter(std::string_view text);

}  // namespace mtp::store
