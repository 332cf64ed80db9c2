#include "store/soci_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sodium.h>

#include <chrono>

#include "store/bulk_sinks.h"
#include "store/errors.h"
#include "store/migrations.h"
#include "store/soci_exec.h"
#include "store/soci_tx.h"

namespace mtp::store {

namespace {

UnixTime systemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int Store::knownSchemaVersion() { return detail::knownVersion(detail::Backend::kPostgres); }

Result<void> Store::checkSchema() {
  auto v = schemaVersion();
  if (!v) return fail(v.error());
  const int known = knownSchemaVersion();
  if (*v > known) {
    return fail(Status::preconditionFailed("database schema " + std::to_string(*v) +
                                           " is newer than this binary (" +
                                           std::to_string(known) + ")"));
  }
  if (*v < known) {
    return fail(Status::preconditionFailed("database schema " + std::to_string(*v) +
                                           " is older than this binary (" +
                                           std::to_string(known) + "): run `mtpd migrate`"));
  }
  return {};
}

Result<std::unique_ptr<Store>> openStore(const StoreOptions& options) {
  if (sodium_init() < 0) return fail(Status::internal("libsodium cannot initialise"));
  auto spec = detail::parseConnectUrl(options.url, options.connect_timeout_seconds);
  if (!spec) return fail(spec.error());
  return std::unique_ptr<Store>(new detail::SociStore(options, std::move(*spec)));
}

namespace detail {

SociStore::SociStore(const StoreOptions& options, ConnectSpec spec)
    : options_(options),
      spec_(std::move(spec)),
      dialect_{spec_.backend},
      pool_(options.pool_size, [this](soci::session& s) {
        if (spec_.backend == Backend::kPostgres) {
          s.open(soci::postgresql, spec_.soci_connect);
          s << "SET TIME ZONE 'UTC'";
          if (options_.statement_timeout_seconds > 0) {
            s << "SET statement_timeout = " +
                     std::to_string(options_.statement_timeout_seconds * 1000);
          }
        } else {
          s.open(soci::sqlite3, spec_.soci_connect);
          s << "PRAGMA journal_mode = WAL";
          s << "PRAGMA foreign_keys = ON";
          s << "PRAGMA synchronous = NORMAL";
        }
      }) {
  if (!options_.clock) options_.clock = systemNow;
}

std::string_view SociStore::backend() const {
  return spec_.backend == Backend::kPostgres ? "postgresql" : "sqlite3";
}

UnixTime SociStore::now() const { return options_.clock(); }

Result<int> SociStore::withSession(const std::function<Result<int>(soci::session&)>& fn) {
  auto lease = pool_.lease(options_.lease_timeout);
  if (!lease) return fail(lease.error());
  for (int attempt = 0;; ++attempt) {
    bool lost = false;
    Status error;
    try {
      return fn(lease->session());
    } catch (const std::exception& e) {
      error = classifyError(e, lease->session(), spec_.backend, &lost);
    }
    if (!lost) return fail(error);
    auto reopened = lease->reopen();
    if (!reopened) return fail(reopened.error());
    if (attempt > 0) return fail(error);
  }
}

Result<int> SociStore::migrate() {
  return withSession([&](soci::session& s) { return applyMigrations(s, spec_.backend, now()); });
}

Result<int> SociStore::schemaVersion() {
  return withSession([&](soci::session& s) -> Result<int> { return readVersion(s, spec_.backend); });
}

Result<void> SociStore::ping() {
  auto r = withSession([](soci::session& s) -> Result<int> {
    int one = 0;
    s << "SELECT 1", soci::into(one);
    return one;
  });
  if (!r) return fail(r.error());
  return {};
}

namespace {

bool storageFailure(const Status& s) {
  return s.isUnavailable() &&
         (s.detail == "database is read-only" || s.detail == "database storage is full" ||
          s.detail == "database storage error");
}

}  // namespace

Result<void> SociStore::probeWrite() {
  // The probe row lives in idempotency_keys under a key no SHA-256 hex can be.
  auto r = runUnit(false, [&](Tx& tx) -> Result<void> {
    IdempotencyRecord probe;
    probe.key_hash = "~probe";
    probe.created = tx.now();
    probe.lease_until = tx.now();
    return tx.putIdempotencyKey(probe);
  });
  if (!r) return r;
  return {};
}

Result<void> SociStore::writable() {
  if (!write_failing_.load()) return {};
  return probeWrite();
}

Result<void> SociStore::read(const std::function<Result<void>(Tx&)>& fn) {
  return runUnit(true, fn);
}

Result<void> SociStore::write(const std::function<Result<void>(Tx&)>& fn) {
  return runUnit(false, fn);
}

// BEGIN, COMMIT and ROLLBACK: prepared once per connection on SQLite, where parsing them is a
// visible part of a small read; sent as they are to PostgreSQL (one round trip either way).
void SociStore::control(soci::session& s, StatementCache& statements, const char* sql) {
  if (dialect_.postgres()) {
    s << sql;
    return;
  }
  Connection c{s, &statements};
  SqlParams none;
  exec(c, sql, none);
}

Result<void> SociStore::runUnit(bool reading, const std::function<Result<void>(Tx&)>& fn) {
  Result<void> r = runUnitOnce(reading, fn);
  if (!reading) {
    // Readiness follows the storage: a write that failed on it marks the store not writable
    // until a write commits (writable()).
    if (r) write_failing_.store(false);
    else if (storageFailure(r.error())) write_failing_.store(true);
  }
  return r;
}

Result<void> SociStore::runUnitOnce(bool reading, const std::function<Result<void>(Tx&)>& fn) {
  auto lease = pool_.lease(options_.lease_timeout);
  if (!lease) return fail(lease.error());
  for (int attempt = 0;; ++attempt) {
    soci::session& s = lease->session();
    SociTx tx(s, dialect_, options_.clock, !reading, &lease->statements());
    bool ran = false;
    Result<void> result = [&]() -> Result<void> {
      try {
        control(s, lease->statements(), dialect_.begin(reading));
      } catch (const std::exception& e) {
        return fail(tx.classify(e));
      }
      ran = true;
      Result<void> out;
      try {
        out = fn(tx);
      } catch (const std::exception& e) {
        out = fail(tx.classify(e));
      } catch (...) {
        out = fail(Status::internal("unit of work threw a non-standard exception"));
      }
      if (out && !reading && !tx.lost()) {
        // A keyed request's write commits with the key's `committed` flag (idempotency_store.h).
        if (const std::string* key = IdempotencyMark::current()) {
          try {
            tx.markIdempotencyCommitted(*key);
          } catch (const std::exception& e) {
            out = fail(tx.classify(e));
          }
        }
      }
      if (!out || tx.lost() || reading) {
        try {
          control(s, lease->statements(), out && reading && !tx.lost() ? "COMMIT" : "ROLLBACK");
        } catch (const std::exception& e) {
          Status st = tx.classify(e);
          if (out) out = fail(st);
        }
        if (tx.lost()) return fail(detail::storeUnavailable("database connection lost"));
        return out;
      }
      try {
        control(s, lease->statements(), "COMMIT");
      } catch (const std::exception& e) {
        Status st = tx.classify(e);
        try {
          s << "ROLLBACK";
        } catch (const std::exception&) {
        }
        return fail(st);
      }
      return {};
    }();
    if (!tx.lost()) return result;
    // The connection died under us: open a new one for whoever comes next, and retry when
    // nothing can have been half done (a read, or a write that failed at BEGIN).
    auto reopened = lease->reopen();
    const bool may_retry = attempt == 0 && (reading || !ran);
    if (!reopened || !may_retry) {
      return fail(detail::storeUnavailable("database connection lost"));
    }
  }
}

Result<mtp::engine::DirectoryData> SociStore::loadDirectory() {
  std::optional<mtp::engine::DirectoryData> out;
  auto r = runUnit(true, [&](Tx& tx) -> Result<void> {
    auto dir = static_cast<SociTx&>(tx).loadDirectory();
    if (!dir) return fail(dir.error());
    out = std::move(*dir);
    return {};
  });
  if (!r) return fail(r.error());
  return std::move(*out);
}

Result<mtp::engine::DirectoryPart> SociStore::loadDirectoryPart(
    mtp::engine::DirectoryPart::Kind kind, const std::string& id) {
  std::optional<mtp::engine::DirectoryPart> out;
  auto r = runUnit(true, [&](Tx& tx) -> Result<void> {
    auto part = static_cast<SociTx&>(tx).loadDirectoryPart(kind, id);
    if (!part) return fail(part.error());
    out = std::move(*part);
    return {};
  });
  if (!r) return fail(r.error());
  return std::move(*out);
}

std::unique_ptr<BulkLoad> SociStore::bulkLoad(const TenantScope& scope) {
  return makeBulkLoad(spec_, scope);
}

}  // namespace detail
}  // namespace mtp::store
