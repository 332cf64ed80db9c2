#include "store/statement_cache.h"

#include <soci/soci.h>

namespace mtp::store::detail {

StatementCache::StatementCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

StatementCache::~StatementCache() = default;

soci::statement& StatementCache::get(soci::session& session, const std::string& query) {
  if (auto it = map_.find(query); it != map_.end()) return *it->second;
  if (map_.size() >= capacity_) map_.clear();
  auto st = std::make_unique<soci::statement>(session);
  st->alloc();
  st->prepare(query);
  return *map_.emplace(query, std::move(st)).first->second;
}

void StatementCache::forget(const std::string& query) { map_.erase(query); }

void StatementCache::clear() { map_.clear(); }

}  // namespace mtp::store::detail
