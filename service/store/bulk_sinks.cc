#include "store/bulk_sinks.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdio>
#include <ctime>

namespace mtp::store::detail {

namespace {

// PostgreSQL: COPY ... FROM STDIN in text format, streamed in ~1 MiB chunks.
class PgSink final : public Sink {
 public:
  explicit PgSink(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {}
  ~PgSink() override {
    if (conn_) PQfinish(conn_);  // without COMMIT, the server rolls the transaction back
  }

  bool begin() override {
    if (PQstatus(conn_) != CONNECTION_OK) return fail(PQerrorMessage(conn_));
    return exec("SET TIME ZONE 'UTC'") && exec("BEGIN");
  }

  bool table(const std::string& name, const std::vector<std::string>& columns) override {
    std::string q = "COPY " + name + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) q += (i ? ", " : "") + columns[i];
    q += ") FROM STDIN";
    PGresult* r = PQexec(conn_, q.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok) fail(PQresultErrorMessage(r));
    PQclear(r);
    buf_.clear();
    return ok;
  }

  bool row(const std::vector<Val>& values) override {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) buf_ += '\t';
      const Val& v = values[i];
      switch (v.kind) {
        case Val::Kind::kNull: buf_ += "\\N"; break;
        case Val::Kind::kText: escape(v.text); break;
        case Val::Kind::kInt: buf_ += std::to_string(v.num); break;
        case Val::Kind::kBool: buf_ += v.num ? 't' : 'f'; break;
        case Val::Kind::kTime: timestamp(v.num); break;
      }
    }
    buf_ += '\n';
    return buf_.size() < (1u << 20) || flush();
  }

  bool endTable() override {
    if (!flush()) return false;
    if (PQputCopyEnd(conn_, nullptr) != 1) return fail(PQerrorMessage(conn_));
    bool ok = true;
    while (PGresult* r = PQgetResult(conn_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) ok = fail(PQresultErrorMessage(r));
      PQclear(r);
    }
    return ok;
  }

  bool commit() override { return exec("COMMIT"); }

  // What autovacuum does after a bulk insert, at once: statistics for the planner and the
  // visibility map (so COUNT(*) over a provider's rows is an index-only scan).
  bool finish() override {
    return exec("VACUUM (ANALYZE) organizations, organization_tags, admins, admin_org_grants, "
                "system_users, devices");
  }

 private:
  bool fail(const char* message) {
    error_ = message ? message : "unknown PostgreSQL error";
    while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
    return false;
  }
  bool exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fail(PQresultErrorMessage(r));
    PQclear(r);
    return ok;
  }
  bool flush() {
    if (buf_.empty()) return true;
    if (PQputCopyData(conn_, buf_.data(), static_cast<int>(buf_.size())) != 1) {
      return fail(PQerrorMessage(conn_));
    }
    buf_.clear();
    return true;
  }
  void escape(const std::string& s) {
    for (char c : s) {
      switch (c) {
        case '\\': buf_ += "\\\\"; break;
        case '\t': buf_ += "\\t"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        default: buf_ += c;
      }
    }
  }
  void timestamp(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d:%02d+00", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    buf_ += out;
  }

  PGconn* conn_;
  std::string buf_;
};

// SQLite: one prepared INSERT per table, reset and re-bound per row.
class SqliteSink final : public Sink {
 public:
  explicit SqliteSink(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "cannot open the SQLite database";
    }
  }
  ~SqliteSink() override {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);  // an open transaction is rolled back
  }

  bool begin() override {
    if (!error_.empty()) return false;
    sqlite3_busy_timeout(db_, 5000);
    return exec("PRAGMA foreign_keys = ON") && exec("BEGIN IMMEDIATE");
  }

  bool table(const std::string& name, const std::vector<std::string>& columns) override {
    std::string q = "INSERT INTO " + name + " (";
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      q += (i ? ", " : "") + columns[i];
      marks += i ? ", ?" : "?";
    }
    q += ") VALUES (" + marks + ")";
    if (sqlite3_prepare_v2(db_, q.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) return fail();
    return true;
  }

  bool row(const std::vector<Val>& values) override {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const Val& v = values[i];
      int rc = SQLITE_OK;
      switch (v.kind) {
        case Val::Kind::kNull: rc = sqlite3_bind_null(stmt_, at); break;
        case Val::Kind::kText:
          rc = sqlite3_bind_text(stmt_, at, v.text.data(), static_cast<int>(v.text.size()),
                                 SQLITE_TRANSIENT);
          break;
        case Val::Kind::kInt:
        case Val::Kind::kBool:
        case Val::Kind::kTime: rc = sqlite3_bind_int64(stmt_, at, v.num); break;
      }
      if (rc != SQLITE_OK) return fail();
    }
    if (sqlite3_step(stmt_) != SQLITE_DONE) return fail();
    sqlite3_reset(stmt_);
    return true;
  }

  bool endTable() override {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    return true;
  }

  bool commit() override { return exec("COMMIT"); }

  // The planner's statistics for the loaded tables: without them SQLite picks the wrong
  // index for an admin's grants at 10k admins (/me: 24 requests/s before, 337 after).
  // analysis_limit bounds the rows read per index, so a load of millions analyzes in seconds.
  bool finish() override { return exec("PRAGMA analysis_limit = 1000") && exec("ANALYZE"); }

 private:
  bool fail() {
    error_ = sqlite3_errmsg(db_);
    return false;
  }
  bool exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      error_ = msg ? msg : "sqlite error";
      sqlite3_free(msg);
      return false;
    }
    return true;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

std::unique_ptr<Sink> makePostgresSink(const std::string& conninfo) {
  return std::make_unique<PgSink>(conninfo);
}

std::unique_ptr<Sink> makeSqliteSink(const std::string& path) {
  return std::make_unique<SqliteSink>(path);
}

}  // namespace mtp::store::detail
