// The bulk loader's two ways of writing rows (internal to the store, behind store/bulk_load.h):
// PostgreSQL with COPY ... FROM STDIN (text format, streamed in ~1 MiB chunks) and SQLite with
// one prepared INSERT per table, each on its own connection and in one transaction. Table and
// column names come from bulk_load.cc only (constants, never caller text); values are data
// (COPY's escaped text, or bound parameters).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/bulk_load.h"
#include "store/util.h"

namespace mtp::store::detail {

// One column value, typed so that each dialect writes it as the store does: times are
// TIMESTAMPTZ on PostgreSQL and INTEGER seconds on SQLite; booleans t/f and 0/1.
struct Val {
  enum class Kind { kNull, kText, kInt, kBool, kTime };
  Kind kind = Kind::kNull;
  std::string text;
  std::int64_t num = 0;
};

// Where the rows go: one transaction; rows table by table.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual bool begin() = 0;
  virtual bool table(const std::string& name, const std::vector<std::string>& columns) = 0;
  virtual bool row(const std::vector<Val>& values) = 0;
  virtual bool endTable() = 0;
  virtual bool commit() = 0;
  // After the commit: bring the planner's statistics up to date.
  virtual bool finish() { return true; }
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// The sinks; the connection opens on begin(), which reports a failure to connect.
std::unique_ptr<Sink> makePostgresSink(const std::string& conninfo);
std::unique_ptr<Sink> makeSqliteSink(const std::string& path);

// Store::bulkLoad: a BulkLoad on a new connection to the database of `spec`.
std::unique_ptr<BulkLoad> makeBulkLoad(const ConnectSpec& spec, const TenantScope& scope);

}  // namespace mtp::store::detail
