// The store: every row MTP keeps, behind an interface with no SOCI type in it. Open one with
// openStore(); run reads with query() and mutations with transact(): the function given runs
// on a Tx inside one database transaction, so a mutation and its activity event commit (or
// roll back) together.
//
// Thread-safety: a Store is safe from many threads; it leases one pooled connection per
// query()/transact() call. A Tx is not: use it only inside the function it is passed to.
//
// Failure: no exception leaves the store. A lost PostgreSQL connection is re-opened on the
// next lease; a read that met the loss is retried once, a write is retried only when the loss
// showed before anything ran; otherwise the call returns kUnavailable at once (503 with
// Retry-After for the HTTP layer). When every connection is busy for `lease_timeout`, also
// kUnavailable: never a hang.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mtp/engine/directory.h"
#include "store/access_review_store.h"
#include "store/activity_store.h"
#include "store/admin_store.h"
#include "store/billing_store.h"
#include "store/bulk_load.h"
#include "store/command_store.h"
#include "store/device_store.h"
#include "store/home_store.h"
#include "store/idempotency_store.h"
#include "store/model.h"
#include "store/org_store.h"
#include "store/psa_store.h"
#include "store/policy_store.h"
#include "store/report_store.h"
#include "store/session_store.h"
#include "model/status.h"
#include "store/user_store.h"

namespace mtp::store {

// One unit of work: every aggregate's calls (store/<aggregate>_store.h). Every tenant-owned
// call takes the scope and touches that provider's rows only; a row of another provider
// answers kNotFound, as a missing one does. Calls that return kNotFound/kConflict leave the
// transaction usable on SQLite but not on PostgreSQL (which aborts it): return the error from
// the unit of work.
//
// Concurrency: in a write unit (Store::transact), a single-row read (getOrganization,
// getSystemUser, getAdmin, ...) holds that row until the unit ends (SELECT ... FOR NO KEY
// UPDATE on PostgreSQL; SQLite's write transactions run one at a time), so a read, the change
// made from it and its activity event are consistent: no lost update, no stale `from`.
class Tx : public OrgStore,
           public AdminStore,
           public UserStore,
           public SessionStore,
           public DeviceStore,
           public CommandStore,
           public ReportStore,
           public BillingStore,
           public HomeStore,
           public ActivityStore,
           public AccessReviewStore,
           public IdempotencyStore,
           public PsaStore,
           public PolicyStore {
 public:
  ~Tx() override = default;
  virtual UnixTime now() const = 0;  // the clock the store uses for defaults
};

struct StoreOptions {
  // sqlite:PATH  or  postgresql://user:pass@host:port/db[?param=value...]
  std::string url;
  std::size_t pool_size = 4;  // the number of worker threads
  std::chrono::milliseconds lease_timeout{5000};
  int connect_timeout_seconds = 5;     // PostgreSQL connect_timeout
  int statement_timeout_seconds = 30;  // PostgreSQL statement_timeout; 0: none
  std::function<UnixTime()> clock;    // empty: the system clock
};

class Store {
 public:
  // The newest schema version this binary knows.
  static int knownSchemaVersion();

  virtual ~Store() = default;
  virtual std::string_view backend() const = 0;  // "postgresql" or "sqlite3"

  // Applies the missing migrations in one transaction and returns the version now.
  // kFailedPrecondition "database schema N is newer than this binary (M)" if it is.
  virtual Result<int> migrate() = 0;
  // 0 for an empty database.
  virtual Result<int> schemaVersion() = 0;
  // OK only when the database has exactly knownSchemaVersion().
  Result<void> checkSchema();
  // A round trip to the database (readiness).
  virtual Result<void> ping() = 0;
  // A committed write of a probe row (issue 11 item 5): kUnavailable "database is
  // read-only" / "database storage is full" / "database storage error" when the database
  // cannot be written. mtpd refuses to start when it fails.
  virtual Result<void> probeWrite() = 0;
  // OK while writes work. After a write failed on storage (full, read-only, I/O error), a
  // probe write decides, and its success (or any committed write) clears the state (readiness).
  virtual Result<void> writable() = 0;

  // Runs `fn` in a read transaction (a consistent snapshot on PostgreSQL). The result of
  // `fn` is returned; an error from it rolls back. `fn` may run twice (retry after a lost
  // connection): it must have no effect outside the Tx but its outputs.
  virtual Result<void> read(const std::function<Result<void>(Tx&)>& fn) = 0;
  // Runs `fn` in a write transaction: commit if it returns a value, roll back otherwise.
  virtual Result<void> write(const std::function<Result<void>(Tx&)>& fn) = 0;

  // The engine's directory input, every provider, in one snapshot.
  virtual Result<mtp::engine::DirectoryData> loadDirectory() = 0;
  // One admin (with its grants) or one org (with its tags) as committed now, for an
  // incremental update (change feed); the part's admin/org is empty when the row is gone.
  virtual Result<mtp::engine::DirectoryPart> loadDirectoryPart(
      mtp::engine::DirectoryPart::Kind kind, const std::string& id) = 0;

  // A bulk load of new rows of the scope's provider on a connection of its own
  // (store/bulk_load.h): `mtpctl seed`.
  virtual std::unique_ptr<BulkLoad> bulkLoad(const TenantScope& scope) = 0;

  // query(fn) / transact(fn): read()/write() for an fn returning any Result<T>.
  template <class F>
  std::invoke_result_t<F&, Tx&> query(F&& fn) {
    return run(true, fn);
  }
  template <class F>
  std::invoke_result_t<F&, Tx&> transact(F&& fn) {
    return run(false, fn);
  }

 private:
  template <class F>
  std::invoke_result_t<F&, Tx&> run(bool reading, F& fn) {
    using R = std::invoke_result_t<F&, Tx&>;
    std::optional<R> out;
    auto unit = [&](Tx& tx) -> Result<void> {
      out.emplace(fn(tx));
      if (!out->has_value()) return fail(out->error());
      return {};
    };
    Result<void> done = reading ? read(unit) : write(unit);
    if (!done) return fail(done.error());
    return std::move(*out);
  }
};

// Opens a store; connections are made lazily, so this succeeds while the database is down
// (calls then answer kUnavailable). kInvalidArgument for a malformed url.
Result<std::unique_ptr<Store>> openStore(const StoreOptions& options);

}  // namespace mtp::store
