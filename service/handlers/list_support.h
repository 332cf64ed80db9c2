// What the list and action handlers share: the use cases' list query (model::ListQuery) from
// the HTTP one (with the list's default sort), the check that a body-less action got no
// fields, and how an optional time is written in JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "http/errors.h"
#include "http/query.h"
#include "http/request_context.h"
#include "model/list_query.h"

namespace mtp::handlers {

// limit, skip, sort (default: `default_sort` ascending; ties by id in the store) and filters.
model::ListQuery toStoreQuery(const http::ListQuery& q, std::string default_sort);

// Routes without a body accept an empty one or `{}`; anything else is 400.
std::optional<Status> requireNoFields(const http::RequestContext& ctx);

// RFC 3339 UTC, or null.
nlohmann::json optTime(const std::optional<std::int64_t>& t);

}  // namespace mtp::handlers
