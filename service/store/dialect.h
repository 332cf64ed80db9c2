// What differs between the PostgreSQL and SQLite schemas, in one place: times are
// TIMESTAMPTZ on PostgreSQL and INTEGER Unix seconds on SQLite; how a transaction begins.
// Booleans need nothing: both read `CASE WHEN col THEN 1 ELSE 0 END` and take 0/1 params.
#pragma once

#include <string>
#include <string_view>

#include "store/util.h"

namespace mtp::store::detail {

struct Dialect {
  Backend backend = Backend::kSqlite;

  bool postgres() const { return backend == Backend::kPostgres; }

  // A time column read as Unix seconds.
  std::string ts(std::string_view column) const {
    if (postgres()) return "CAST(FLOOR(EXTRACT(EPOCH FROM " + std::string(column) + ")) AS BIGINT)";
    return std::string(column);
  }
  // A Unix-seconds parameter written to a time column (or compared with one).
  std::string tsParam(std::string_view param) const {
    if (postgres()) return "to_timestamp(" + std::string(param) + ")";
    return std::string(param);
  }
  // Reads see one snapshot (PostgreSQL); SQLite writers take the write lock up front, so two
  // writers wait on the busy timeout instead of failing with "database is locked" when a
  // read lock cannot be upgraded.
  const char* begin(bool reading) const {
    if (postgres()) return reading ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
    return reading ? "BEGIN" : "BEGIN IMMEDIATE";
  }
};

}  // namespace mtp::store::detail
