// The SOCI implementation of Store (PostgreSQL and SQLite). Internal: callers use store.h.
#pragma once

#include <atomic>
#include <memory>

#include "store/dialect.h"
#include "store/pool.h"
#include "store/store.h"
#include "store/util.h"

namespace mtp::store::detail {

class SociStore final : public Store {
 public:
  SociStore(const StoreOptions& options, ConnectSpec spec);

  std::string_view backend() const override;
  Result<int> migrate() override;
  Result<int> schemaVersion() override;
  Result<void> ping() override;
  Result<void> probeWrite() override;
  Result<void> writable() override;
  Result<void> read(const std::function<Result<void>(Tx&)>& fn) override;
  Result<void> write(const std::function<Result<void>(Tx&)>& fn) override;
  Result<mtp::engine::DirectoryData> loadDirectory() override;
  Result<mtp::engine::DirectoryPart> loadDirectoryPart(mtp::engine::DirectoryPart::Kind kind,
                                                       const std::string& id) override;
  std::unique_ptr<BulkLoad> bulkLoad(const TenantScope& scope) override;

 private:
  Result<void> runUnit(bool reading, const std::function<Result<void>(Tx&)>& fn);
  void control(soci::session& s, StatementCache& statements, const char* sql);
  Result<void> runUnitOnce(bool reading, const std::function<Result<void>(Tx&)>& fn);
  // Runs `fn(session)` outside a unit of work (migrations, ping), re-opening a lost
  // connection and retrying once.
  Result<int> withSession(const std::function<Result<int>(soci::session&)>& fn);
  UnixTime now() const;

  StoreOptions options_;
  ConnectSpec spec_;
  Dialect dialect_;
  Pool pool_;
  // A write failed on storage and none has committed since (writable()).
  std::atomic<bool> write_failing_{false};
};

}  // namespace mtp::store::detail
