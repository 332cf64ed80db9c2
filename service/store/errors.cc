#include "store/errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <optional>
#include <string>

namespace mtp::store::detail {

namespace {

// SQLite's storage failures by their text (SOCI 4.0.3 does not always carry the code).
std::optional<Status> sqliteStorageText(const std::string& what) {
  if (what.find("database or disk is full") != std::string::npos) {
    return detail::storeUnavailable("database storage is full");
  }
  if (what.find("readonly database") != std::string::npos ||
      what.find("read-only") != std::string::npos || what.find("query_only") != std::string::npos) {
    return detail::storeUnavailable("database is read-only");
  }
  if (what.find("disk I/O error") != std::string::npos ||
      what.find("unable to open database") != std::string::npos) {
    return detail::storeUnavailable("database storage error");
  }
  return std::nullopt;
}

Status fromPostgres(const soci::postgresql_soci_error& e, soci::session& session, bool* lost) {
  const std::string state = e.sqlstate();
  // Class 08: connection exception; 57P01..03: the server shut down or is starting.
  if (!session.is_connected() || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03" ||
      e.get_error_category() == soci::soci_error::connection_error) {
    *lost = true;
    return detail::storeUnavailable("database connection lost");
  }
  if (state == "23505") return Status::conflict("already exists");
  if (state == "23503") return Status::notFound().withDetail("a referenced record does not exist");
  if (state == "23514" || state == "23502" || state.starts_with("22")) {
    return Status::invalidArgument("value rejected by the database");
  }
  // Storage: disk full (53100), out of memory or connections (53xxx), a read-only server
  // (25006: a standby, default_transaction_read_only): not a bug, a state to wait out.
  if (state == "53100") return detail::storeUnavailable("database storage is full");
  if (state == "25006") return detail::storeUnavailable("database is read-only");
  if (state.starts_with("53")) return detail::storeUnavailable("database out of resources");
  // Serialization failure, deadlock, lock or statement timeout: the caller may retry.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return detail::storeUnavailable("database busy");
  }
  return Status::internal(std::string("database error: ") + e.what());
}

Status fromSqlite(const soci::sqlite3_soci_error& e) {
  const std::string what = e.what();
  switch (e.result() & 0xff) {
    case SQLITE_CONSTRAINT:
      if (what.find("FOREIGN KEY") != std::string::npos) {
        return Status::notFound().withDetail("a referenced record does not exist");
      }
      if (what.find("CHECK") != std::string::npos || what.find("NOT NULL") != std::string::npos) {
        return Status::invalidArgument("value rejected by the database");
      }
      return Status::conflict("already exists");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return detail::storeUnavailable("database busy");
    case SQLITE_FULL:
      return detail::storeUnavailable("database storage is full");
    case SQLITE_READONLY:
      return detail::storeUnavailable("database is read-only");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return detail::storeUnavailable("database storage error");
    default:
      break;
  }
  // SOCI 4.0.3 does not always carry the code; fall back on the text.
  if (what.find("UNIQUE constraint") != std::string::npos) return Status::conflict("already exists");
  if (what.find("FOREIGN KEY constraint") != std::string::npos) {
    return Status::notFound().withDetail("a referenced record does not exist");
  }
  if (what.find("database is locked") != std::string::npos) {
    return detail::storeUnavailable("database busy");
  }
  if (auto s = sqliteStorageText(what)) return *s;
  return Status::internal("database error: " + what);
}

}  // namespace

Status classifyError(const std::exception& e, soci::session& session, Backend backend,
                     bool* lost) {
  if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    return fromPostgres(*pg, session, lost);
  }
  if (auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) return fromSqlite(*lite);
  if (backend == Backend::kPostgres) {
    if (!session.is_connected()) {
      *lost = true;
      return detail::storeUnavailable("database connection lost");
    }
  }
  if (auto* se = dynamic_cast<const soci::soci_error*>(&e)) {
    const std::string what = se->what();
    if (se->get_error_category() == soci::soci_error::connection_error) {
      if (backend == Backend::kPostgres) *lost = true;
      return detail::storeUnavailable("database connection lost");
    }
    if (backend == Backend::kSqlite) {
      if (what.find("UNIQUE constraint") != std::string::npos) {
        return Status::conflict("already exists");
      }
      if (what.find("FOREIGN KEY constraint") != std::string::npos) {
        return Status::notFound().withDetail("a referenced record does not exist");
      }
      if (what.find("database is locked") != std::string::npos) {
        return detail::storeUnavailable("database busy");
      }
      if (auto s = sqliteStorageText(what)) return *s;
    }
    return Status::internal("database error: " + what);
  }
  return Status::internal(std::string("store error: ") + e.what());
}

}  // namespace mtp::store::detail
