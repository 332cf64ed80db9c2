// The two change feeds behind openChangeFeed (change_feed.h). Internal to the store.
#pragma once

#include <memory>
#include <string>

#include "store/change_feed.h"

namespace mtp::store::detail {

// libpq conninfo (ConnectSpec::soci_connect).
std::unique_ptr<ChangeFeed> makePgChangeFeed(const std::string& conninfo);
// The SQLite database file; `poll` between version checks.
std::unique_ptr<ChangeFeed> makeSqliteChangeFeed(const std::string& path);

}  // namespace mtp::store::detail
