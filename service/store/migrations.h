// The numbered migrations of schema/, embedded in the binary at build time, and the runner
// that brings a database up to date. Internal to the store.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"
#include "store/util.h"

namespace soci {
class session;
}

namespace mtp::store::detail {

struct Migration {
  int version;
  const char* name;  // the file name, e.g. 001_init.sql
  const char* sql;
};

// Ascending by version. Generated from schema/<dialect>/NNN_*.sql (embed_schema.cmake).
std::span<const Migration> embeddedMigrations(Backend backend);

// The statements of a migration file: `--` comments dropped, split at a `;` ending a line.
std::vector<std::string> splitStatements(std::string_view sql);

// The highest version the embedded migrations reach.
int knownVersion(Backend backend);

// The database's version (0: none). Throws soci::soci_error.
int readVersion(soci::session& sql, Backend backend);

// Applies the missing migrations under a lock (PostgreSQL advisory lock; SQLite BEGIN
// IMMEDIATE), all in one transaction, and returns the version reached. Throws soci::soci_error;
// returns kFailedPrecondition when the database is newer than this binary.
Result<int> applyMigrations(soci::session& sql, Backend backend, long long now);

}  // namespace mtp::store::detail
