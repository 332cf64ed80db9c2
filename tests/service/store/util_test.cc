// Tests of the store's helpers: connect strings, time parsing, SQL split (list queries are
// parsed by http/query.h: tests/service/http/query_test.cc).
#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/util.h"

namespace mtp::store::detail {
namespace {

TEST(StoreUtil, PostgresUrlBecomesConninfoWithTimeouts) {
  auto spec = parseConnectUrl("postgresql://mtp:p%40ss'w@127.0.0.1:5433/mtp_test?sslmode=disable", 3);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->backend, Backend::kPostgres);
  EXPECT_NE(spec->soci_connect.find("password='p@ss\\'w'"), std::string::npos) << spec->soci_connect;
  EXPECT_NE(spec->soci_connect.find("port='5433'"), std::string::npos);
  EXPECT_NE(spec->soci_connect.find("dbname='mtp_test'"), std::string::npos);
  EXPECT_NE(spec->soci_connect.find("connect_timeout='3'"), std::string::npos);
  EXPECT_NE(spec->soci_connect.find("sslmode='disable'"), std::string::npos);
}

TEST(StoreUtil, MultiHostPostgresUrlListsEveryNode) {
  // pg_auto_failover's formation URI: every node, the primary found by target_session_attrs.
  auto spec = parseConnectUrl(
      "postgresql://mtp:pw@127.0.0.1:6001,127.0.0.1:6002/mtp?target_session_attrs=read-write", 2);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_NE(spec->soci_connect.find("host='127.0.0.1,127.0.0.1'"), std::string::npos) << spec->soci_connect;
  EXPECT_NE(spec->soci_connect.find("port='6001,6002'"), std::string::npos) << spec->soci_connect;
  EXPECT_NE(spec->soci_connect.find("target_session_attrs='read-write'"), std::string::npos);
  auto mixed = parseConnectUrl("postgresql://db1,[::1]:6002/mtp", 2);
  ASSERT_TRUE(mixed) << mixed.error().message;
  EXPECT_NE(mixed->soci_connect.find("host='db1,::1'"), std::string::npos) << mixed->soci_connect;
  EXPECT_NE(mixed->soci_connect.find("port=',6002'"), std::string::npos) << mixed->soci_connect;
  auto no_port = parseConnectUrl("postgresql://db1,db2/mtp", 2);
  ASSERT_TRUE(no_port);
  EXPECT_EQ(no_port->soci_connect.find("port="), std::string::npos) << no_port->soci_connect;
  EXPECT_FALSE(parseConnectUrl("postgresql://db1,/mtp", 2));
  EXPECT_FALSE(parseConnectUrl("postgresql://db1:5432,db2:0/mtp", 2));
}

TEST(StoreUtil, SqliteUrlGetsBusyTimeout) {
  auto spec = parseConnectUrl("sqlite:/tmp/x.db", 5);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->backend, Backend::kSqlite);
  EXPECT_EQ(spec->soci_connect, "db=/tmp/x.db timeout=5");
  EXPECT_FALSE(parseConnectUrl("mysql://x", 5));
  EXPECT_FALSE(parseConnectUrl("postgresql://h:99999/db", 5));
}

TEST(StoreUtil, ParsesRfc3339) {
  EXPECT_EQ(parseTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseTime("2026-11-22T16:00:00Z"), 1795363200);
  EXPECT_EQ(parseTime("2026-11-22T18:00:00.123+02:00"), 1795363200);
  EXPECT_EQ(parseTime("1795363200"), 1795363200);
  EXPECT_FALSE(parseTime("2026-11-22"));
  EXPECT_FALSE(parseTime("2026-13-22T16:00:00Z"));
}

// The store's errors are the service's Status: its own words go to the detail (the log), the
// client reads the generic message (http/errors.h renders it).
TEST(StoreStatus, UnavailableSaysWhyAndRetriesAfterTwoSeconds) {
  const Status s = storeUnavailable("database busy");
  EXPECT_EQ(s.code, Status::Code::kUnavailable);
  EXPECT_EQ(s.message, "service unavailable: database busy");
  EXPECT_EQ(s.detail, "database busy");
  EXPECT_EQ(s.retry_after, 2);
  EXPECT_EQ(storeUnavailable("").message, "service unavailable");
  const Status nf = Status::notFound().withDetail("device not found");
  EXPECT_EQ(nf.message, "not found");
  EXPECT_EQ(nf.text(), "device not found");
}

TEST(StoreMigrations, BothDialectsKnowTheSameVersions) {
  auto pg = embeddedMigrations(Backend::kPostgres);
  auto lite = embeddedMigrations(Backend::kSqlite);
  ASSERT_EQ(pg.size(), lite.size());
  for (std::size_t i = 0; i < pg.size(); ++i) {
    // Increasing; a number may be skipped while branches that each add one are merged
    // (009_access_certifications leaves 008 to another branch).
    if (i > 0) {
      EXPECT_GT(pg[i].version, pg[i - 1].version);
    }
    EXPECT_EQ(pg[i].version, lite[i].version);
    // The same statements in both, except schema 17: it partitions the activity log on
    // PostgreSQL (a table rebuilt, 16 statements) and only adds its retention index on SQLite,
    // which has no partitions.
    if (pg[i].version == 17) continue;
    EXPECT_EQ(splitStatements(pg[i].sql).size(), splitStatements(lite[i].sql).size()) << pg[i].name;
  }
  EXPECT_EQ(splitStatements("-- c\nCREATE TABLE a (x INT);\nCREATE INDEX i ON a (x);\n").size(), 2u);
  // A PL/pgSQL body and a SQLite trigger body hold `;` of their own (schema 7).
  EXPECT_EQ(splitStatements("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  "
                            "PERFORM 1;\n  RETURN NULL;\nEND\n$$;\nCREATE TRIGGER t AFTER INSERT ON a "
                            "FOR EACH ROW EXECUTE FUNCTION f();\nCREATE INDEX j ON a (x);\n")
                .size(),
            3u);
  EXPECT_EQ(splitStatements("CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); DELETE "
                            "FROM b; END;\nCREATE TRIGGER u AFTER DELETE ON a\nBEGIN\n  DELETE FROM b;\nEND;\n")
                .size(),
            2u);
}

}  // namespace
}  // namespace mtp::store::detail
