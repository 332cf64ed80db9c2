// The two databases the store tests run on: SQLite (a temp file) and PostgreSQL (MTP_TEST_PG,
// from scripts/pg.sh; each test gets its own schema; skipped with a message when unset).
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace mtp::store::test_db {

inline std::string uniqueName() {
  static std::atomic<int> n{0};
  std::random_device rd;
  return "t" + std::to_string(rd() % 1000000) + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(n++);
}

struct SqliteBackend {
  static constexpr bool kPostgres = false;
  std::filesystem::path dir;
  bool available(std::string*) { return true; }
  std::string url() {
    if (dir.empty()) {
      dir = std::filesystem::temp_directory_path() / ("mtp-store-" + uniqueName());
      std::filesystem::create_directories(dir);
    }
    return "sqlite:" + (dir / "mtp.db").string();
  }
  ~SqliteBackend() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

// Runs one statement through libpq, outside the store.
inline bool pqExec(const std::string& base_url, const std::string& sql, std::string* error) {
  PGconn* c = PQconnectdb(base_url.c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok && error) *error = PQerrorMessage(c);
    PQclear(r);
  } else if (error) {
    *error = PQerrorMessage(c);
  }
  PQfinish(c);
  return ok;
}

struct PostgresBackend {
  static constexpr bool kPostgres = true;
  std::string base, schema;
  bool available(std::string* why) {
    const char* env = std::getenv("MTP_TEST_PG");
    if (env == nullptr || *env == '\0') {
      *why = "MTP_TEST_PG is not set: PostgreSQL tests skipped (eval \"$(scripts/pg.sh start)\")";
      return false;
    }
    base = env;
    return true;
  }
  std::string url() {
    if (schema.empty()) {
      schema = uniqueName();
      std::string err;
      EXPECT_TRUE(pqExec(base, "CREATE SCHEMA " + schema, &err)) << err;
    }
    std::string sep = base.find('?') == std::string::npos ? "?" : "&";
    return base + sep + "options=-c%20search_path%3D" + schema + "&application_name=" + schema;
  }
  ~PostgresBackend() {
    if (!schema.empty()) pqExec(base, "DROP SCHEMA " + schema + " CASCADE", nullptr);
  }
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return T::kPostgres ? "PostgreSQL" : "SQLite";
  }
};

}  // namespace mtp::store::test_db
