#include "handlers/list_support.h"

#include <algorithm>
#include <cstdint>

#include "app/activity_service.h"
#include "http/json_body.h"

namespace mtp::handlers {

static_assert(static_cast<int>(http::FilterOp::kEq) == static_cast<int>(model::FilterOp::kEq) &&
              static_cast<int>(http::FilterOp::kLe) == static_cast<int>(model::FilterOp::kLe) &&
              static_cast<int>(http::FilterOp::kIn) == static_cast<int>(model::FilterOp::kIn) &&
              static_cast<int>(http::FilterOp::kSearch) == static_cast<int>(model::FilterOp::kSearch));

model::ListQuery toStoreQuery(const http::ListQuery& q, std::string default_sort) {
  model::ListQuery out;
  out.limit = q.limit;
  out.skip = static_cast<int>(std::min<std::int64_t>(q.skip, INT32_MAX));
  for (const auto& s : q.sort) out.sort.push_back(model::SortKey{s.field, s.descending});
  if (out.sort.empty()) out.sort.push_back(model::SortKey{std::move(default_sort), false});
  for (const auto& f : q.filters) {
    out.filters.push_back(model::FilterTerm{f.field, static_cast<model::FilterOp>(f.op), f.value});
  }
  return out;
}

std::optional<Status> requireNoFields(const http::RequestContext& ctx) {
  if (ctx.body().empty()) return std::nullopt;
  auto b = http::JsonBody::parse(ctx, {});
  if (!b) return b.error();
  return std::nullopt;
}

nlohmann::json optTime(const std::optional<std::int64_t>& t) {
  return t ? nlohmann::json(app::formatRfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace mtp::handlers
