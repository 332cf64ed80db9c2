#include "store/change_feed.h"

#include "store/change_feed_impl.h"
#include "store/util.h"

namespace mtp::store {

bool parseChange(std::string_view payload, Change& out) {
  const auto colon = payload.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == payload.size()) return false;
  out.kind = std::string(payload.substr(0, colon));
  out.id = std::string(payload.substr(colon + 1));
  return true;
}

Result<std::unique_ptr<ChangeFeed>> openChangeFeed(const std::string& url) {
  auto spec = detail::parseConnectUrl(url, 5);
  if (!spec) return fail(spec.error());
  if (spec->backend == detail::Backend::kPostgres)
    return detail::makePgChangeFeed(spec->soci_connect);
  return detail::makeSqliteChangeFeed(spec->sqlite_path);
}

}  // namespace mtp::store
