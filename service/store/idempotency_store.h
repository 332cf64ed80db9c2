// Idempotency-Key records of POST requests (issue 11 item 2): one aggregate of the store
// (soci_idempotency.cc). The HTTP layer's policy (scope, replay, 409/422) lives in
// main/idempotency_keys.cc; this is the row and its atomic marks.
//
// While an IdempotencyMark is alive on a thread, every write unit that thread commits
// (Store::transact) also sets the key's `committed` flag in the same transaction: the flag
// is true exactly when some write of the keyed request committed, whatever happened to the
// answer afterwards (a crash, a lost connection), so a retry never runs a committed write again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/model.h"
#include "model/status.h"

namespace mtp::store {

struct IdempotencyRecord {
  std::string key_hash;      // SHA-256 hex of principal, method, path and the client's key
  std::string request_hash;  // SHA-256 hex of the request body
  UnixTime created = 0;
  UnixTime lease_until = 0;  // an unfinished reservation is abandoned after this
  bool committed = false;    // a write of the request committed
  std::optional<int> status; // the stored answer; nullopt while in flight (or abandoned)
  std::string content_type;
  std::string body;
  std::string headers;  // the answer's replayed headers, "Name: value" lines (schema 016)
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // The row, held until the unit ends (write units); kNotFound when there is none.
  virtual Result<IdempotencyRecord> getIdempotencyKey(const std::string& key_hash) = 0;
  // Inserts the row, or replaces every field of an existing one.
  virtual Result<void> putIdempotencyKey(const IdempotencyRecord& record) = 0;
  virtual Result<void> deleteIdempotencyKey(const std::string& key_hash) = 0;
  // Deletes rows created before `before`; returns how many.
  virtual Result<std::int64_t> purgeIdempotencyKeys(UnixTime before) = 0;
};

// Marks the write units of this thread (see above) while alive. Not copyable; nests by
// replacing the outer mark until it ends.
class IdempotencyMark {
 public:
  explicit IdempotencyMark(std::string key_hash);
  ~IdempotencyMark();
  IdempotencyMark(const IdempotencyMark&) = delete;
  IdempotencyMark& operator=(const IdempotencyMark&) = delete;
  // The key of the innermost live mark of this thread; nullptr when none.
  static const std::string* current();

 private:
  std::string key_hash_;
  const std::string* outer_;
};

}  // namespace mtp::store
