// Bulk load: many new rows of one provider in one transaction, as fast as the database takes
// them (COPY on PostgreSQL, one prepared INSERT per table on SQLite), for `mtpctl seed`. Open
// one with Store::bulkLoad(scope); it has its own connection.
//
// Rows are written as given: ids, times and counters (created, locked_at, failed_logins, ...)
// are the caller's, every row belongs to the scope's provider (record.provider_id is not
// read), and no activity event is written (bulk rows are made by no one). Add parents before
// their children: organizations before users, devices and grants; admins before grants.
// Nothing is visible until commit(); a load destroyed before it rolls back. Not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

class BulkLoad {
 public:
  virtual ~BulkLoad() = default;

  // The org and its tags (record.tags; unique). created 0: not allowed (kInvalidArgument).
  virtual Result<void> addOrganization(const OrganizationRecord& record) = 0;
  virtual Result<void> addAdmin(const AdminRecord& record,
                                const std::optional<std::string>& password_hash) = 0;
  virtual Result<void> addGrant(const GrantRecord& grant) = 0;
  // Also written from the record: account_locked, failed_logins, locked_at, password_set_at
  // and password_expired (as the forced-expiry flag).
  virtual Result<void> addSystemUser(const SystemUserRecord& record,
                                     const std::optional<std::string>& password_hash) = 0;
  virtual Result<void> addDevice(const DeviceRecord& record,
                                 const std::string& device_key_hash) = 0;
  // Commits every row at once. kInternal with the database's message when a row was refused
  // (then nothing was written).
  virtual Result<void> commit() = 0;
  // After commit(): what autovacuum would do after a bulk insert, at once (PostgreSQL:
  // VACUUM (ANALYZE) of the loaded tables, so the planner's statistics and the visibility map
  // are current; SQLite: ANALYZE, with an analysis_limit).
  virtual Result<void> analyze() = 0;
};

}  // namespace mtp::store
