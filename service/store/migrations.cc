#include "store/migrations.h"

#include <soci/soci.h>

#include <algorithm>

namespace mtp::store::detail {

std::vector<std::string> splitStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  bool in_dollar = false, in_trigger = false, trigger_stmt = false;
  while (!sql.empty()) {
    auto nl = sql.find('\n');
    std::string_view line = sql.substr(0, nl);
    sql = nl == std::string_view::npos ? std::string_view{} : sql.substr(nl + 1);
    // Comments are whole lines or line tails; the schema has no `--` inside a string.
    if (auto dash = line.find("--"); dash != std::string_view::npos) line = line.substr(0, dash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    // A PL/pgSQL body ($$ ... $$) and a SQLite trigger (CREATE TRIGGER ... BEGIN ...; END;)
    // hold `;` of their own: the statement ends only after them.
    for (auto at = line.find("$$"); at != std::string_view::npos; at = line.find("$$", at + 2)) {
      in_dollar = !in_dollar;
    }
    if (current.empty()) trigger_stmt = line.starts_with("CREATE TRIGGER");
    if (trigger_stmt && (line.starts_with("BEGIN") || line.find(" BEGIN") != std::string_view::npos)) {
      in_trigger = true;  // a SQLite trigger body (a PostgreSQL trigger has none)
    }
    bool ends = line.back() == ';' && !in_dollar &&
                (!in_trigger || line == "END;" || line.ends_with(" END;"));
    if (ends) in_trigger = false;
    if (ends) line.remove_suffix(1);
    if (!current.empty()) current.push_back('\n');
    current.append(line);
    if (ends) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\n") != std::string::npos) out.push_back(current);
  return out;
}

int knownVersion(Backend backend) {
  auto all = embeddedMigrations(backend);
  return all.empty() ? 0 : all.back().version;
}

namespace {

constexpr const char* kCreateVersionTable =
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Any number: the lock only has to be the same for every mtpd.
constexpr long long kMigrationLock = 0x6d7470;  // "mtp"

bool versionTableExists(soci::session& sql, Backend backend) {
  long long n = 0;
  if (backend == Backend::kPostgres) {
    sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
           "AND table_name = 'schema_version'",
        soci::into(n);
  } else {
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        soci::into(n);
  }
  return n > 0;
}

int maxVersion(soci::session& sql) {
  long long v = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_version", soci::into(v, ind);
  return ind == soci::i_null ? 0 : static_cast<int>(v);
}

}  // namespace

int readVersion(soci::session& sql, Backend backend) {
  if (!versionTableExists(sql, backend)) return 0;
  return maxVersion(sql);
}

Result<int> applyMigrations(soci::session& sql, Backend backend, long long now) {
  const int known = knownVersion(backend);
  int version = 0;
  // One lock for the whole run, so two mtpd starting at once do not both apply a migration.
  sql << (backend == Backend::kPostgres ? "BEGIN" : "BEGIN IMMEDIATE");
  try {
    if (backend == Backend::kPostgres) {
      sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")";
    }
    // Checked under the lock rather than IF NOT EXISTS, which makes PostgreSQL print a notice.
    if (!versionTableExists(sql, backend)) sql << kCreateVersionTable;
    version = maxVersion(sql);
    if (version > known) {
      sql << "ROLLBACK";
      return fail(Status::preconditionFailed("database schema " + std::to_string(version) +
                                             " is newer than this binary (" +
                                             std::to_string(known) + ")"));
    }
    for (const Migration& m : embeddedMigrations(backend)) {
      if (m.version <= version) continue;
      for (const std::string& statement : splitStatements(m.sql)) sql << statement;
      std::string name = m.name;
      int v = m.version;
      sql << "INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(v), soci::use(name), soci::use(now);
      version = m.version;
    }
    sql << "COMMIT";
  } catch (...) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
    }
    throw;
  }
  return version;
}

}  // namespace mtp::store::detail
