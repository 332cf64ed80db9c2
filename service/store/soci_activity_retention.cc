// SociTx: activity retention over every provider — store/activity_store.h (issue 16 item 1).
// PostgreSQL (schema 17): the log is partitioned by UTC month, tables activity_pYYYYMM and a
// DEFAULT partition activity_default. Partition DDL cannot bind parameters: the only text
// written into it is a table name and bound literals made here from integers (a year and a
// month), never a value from outside.
#include <soci/soci.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "store/soci_exec.h"

namespace mtp::store::detail {

namespace {

constexpr const char* kPartitionPrefix = "activity_p";

// A UTC month as a count of months since year 0, so that month + 1 is the next month.
struct Month {
  int index = 0;
  int year() const { return index / 12; }
  int month() const { return index % 12 + 1; }  // 1..12

  static Month of(UnixTime t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return Month{(tm.tm_year + 1900) * 12 + tm.tm_mon};
  }
  UnixTime start() const {
    std::tm tm{};
    tm.tm_year = year() - 1900;
    tm.tm_mon = month() - 1;
    tm.tm_mday = 1;
    return static_cast<UnixTime>(timegm(&tm));
  }
  Month next() const { return Month{index + 1}; }
  std::string table() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%04d%02d", kPartitionPrefix, year(), month());
    return buf;
  }
  // The partition bound of this month's first instant, a timestamptz literal.
  std::string bound() const {
    char buf[40];
    std::snprintf(buf, sizeof buf, "'%04d-%02d-01 00:00:00+00'", year(), month());
    return buf;
  }
  // The month a partition table holds, from its name (activity_pYYYYMM); nullopt for any other.
  static std::optional<Month> ofTable(const std::string& name) {
    const std::string prefix = kPartitionPrefix;
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    int year = 0, month = 0;
    for (std::size_t i = prefix.size(); i < name.size(); ++i) {
      if (name[i] < '0' || name[i] > '9') return std::nullopt;
    }
    year = std::stoi(name.substr(prefix.size(), 4));
    month = std::stoi(name.substr(prefix.size() + 4, 2));
    if (month < 1 || month > 12) return std::nullopt;
    return Month{year * 12 + month - 1};
  }
};

// The partitions of `activity` now (the default one too).
std::vector<std::string> partitionNames(soci::session& sql) {
  std::vector<std::string> names;
  std::string name;
  soci::statement st = (sql.prepare << "SELECT c.relname FROM pg_inherits i "
                                       "JOIN pg_class c ON c.oid = i.inhrelid "
                                       "WHERE i.inhparent = to_regclass('activity')",
                        soci::into(name));
  st.execute();
  while (st.fetch()) names.push_back(name);
  return names;
}

// Partition DDL waits for the locks it needs on `activity` at most this long: a long reader
// must not make every writer queue behind a DROP or an ATTACH (the next pass tries again).
void limitLockWait(soci::session& sql) { sql << "SET LOCAL lock_timeout = '5s'"; }

}  // namespace

Result<std::vector<std::string>> SociTx::addActivityPartitions(UnixTime now, int months_ahead) {
  if (!d_.postgres()) return std::vector<std::string>{};
  return guarded([&]() -> Result<std::vector<std::string>> {
    soci::session& sql = sql_.session;
    const std::vector<std::string> existing = partitionNames(sql);
    const bool has_default =
        std::find(existing.begin(), existing.end(), "activity_default") != existing.end();
    std::vector<std::string> created;
    Month m = Month::of(now);
    for (int i = 0; i <= std::max(0, months_ahead); ++i, m = m.next()) {
      const std::string table = m.table();
      if (std::find(existing.begin(), existing.end(), table) != existing.end()) continue;
      if (created.empty()) limitLockWait(sql);
      // Made beside `activity`, filled with the month's rows from the default partition, then
      // attached: a month cannot be added while the default partition holds rows of it.
      sql << "CREATE TABLE " + table + " (LIKE activity INCLUDING DEFAULTS)";
      if (has_default) {
        SqlParams ins;
        exec(sql,
             "INSERT INTO " + table + " SELECT * FROM activity_default WHERE timestamp >= " +
                 d_.tsParam(ins.integer(m.start())) + " AND timestamp < " +
                 d_.tsParam(ins.integer(m.next().start())),
             ins);
        SqlParams del;
        exec(sql,
             "DELETE FROM activity_default WHERE timestamp >= " + d_.tsParam(del.integer(m.start())) +
                 " AND timestamp < " + d_.tsParam(del.integer(m.next().start())),
             del);
      }
      sql << "ALTER TABLE activity ATTACH PARTITION " + table + " FOR VALUES FROM (" + m.bound() +
                 ") TO (" + m.next().bound() + ")";
      created.push_back(table);
    }
    return created;
  });
}

Result<std::vector<std::string>> SociTx::dropActivityPartitions(UnixTime before) {
  if (!d_.postgres()) return std::vector<std::string>{};
  return guarded([&]() -> Result<std::vector<std::string>> {
    soci::session& sql = sql_.session;
    std::vector<std::string> dropped;
    std::vector<std::string> names = partitionNames(sql);
    std::sort(names.begin(), names.end());
    for (const std::string& table : names) {
      const auto m = Month::ofTable(table);
      if (!m || m->next().start() > before) continue;  // not a month, or holds younger rows
      if (dropped.empty()) limitLockWait(sql);
      sql << "DROP TABLE " + table;
      dropped.push_back(table);
    }
    return dropped;
  });
}

Result<std::int64_t> SociTx::deleteActivityBefore(UnixTime before, int limit) {
  if (limit < 1) return fail(Status::invalidArgument("limit must be at least 1"));
  return guarded([&]() -> Result<std::int64_t> {
    SqlParams p;
    // PostgreSQL: the primary key (id, timestamp) finds the rows, and the outer `timestamp`
    // bound lets the planner skip every partition younger than `before`. SQLite: rowid.
    const std::string cutoff = d_.tsParam(p.integer(before));
    const std::string q =
        d_.postgres()
            ? "DELETE FROM activity WHERE timestamp < " + cutoff +
                  " AND (id, timestamp) IN (SELECT id, timestamp FROM activity WHERE timestamp < " +
                  d_.tsParam(p.integer(before)) + " LIMIT " + p.integer(limit) + ")"
            : "DELETE FROM activity WHERE rowid IN (SELECT rowid FROM activity WHERE timestamp < " +
                  cutoff + " LIMIT " + p.integer(limit) + ")";
    return static_cast<std::int64_t>(exec(sql_.session, q, p));
  });
}

}  // namespace mtp::store::detail
