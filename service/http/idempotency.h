// Idempotency-Key on POST (issue 11 item 2), in the pipeline: a client that did not get an
// answer (timeout, lost connection, 503) retries with the same key and never creates a
// second resource.
//
// - Only authenticated POSTs; the key is scoped to the principal (admin id and provider), the
//   method and the path (scopeHash). A key is 1 to 255 printable ASCII characters, else 400.
// - The first request reserves the key (its own short transaction), runs with its writes
//   marked (the key's `committed` flag commits with them), then stores its answer when it is
//   2xx or 4xx (not 429); a 5xx gives the reservation up (a retry runs again, unless a write
//   had committed).
// - A retry with the same body (and target org) gets the stored answer with
//   `Idempotent-Replayed: true`; a different body: 422 unprocessable; while the first is in
//   flight: 409 conflict with Retry-After; when the first wrote but its answer was lost (a
//   crash): 409 conflict, never a second run. Records are kept 24 h.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace mtp::http {

struct StoredAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
};

class IdempotencyKeys {
 public:
  enum class Kind {
    kRun,             // reserved: run the request
    kReplay,          // answered before: `answer`
    kMismatch,        // the key was used with another request body (422)
    kInFlight,        // a request with the key is running (409)
    kAlreadyApplied,  // the first request wrote, its answer was lost (409)
    kUnavailable,     // the store cannot tell (503)
  };
  struct Begin {
    Kind kind = Kind::kUnavailable;
    StoredAnswer answer;
  };

  virtual ~IdempotencyKeys() = default;
  virtual Begin begin(const std::string& key_hash, const std::string& request_hash) = 0;
  // Runs `fn` with this thread's writes marking `key_hash` committed.
  virtual void runMarked(const std::string& key_hash, const std::function<void()>& fn) = 0;
  // The request ended: `answer` to store, or nullptr to give the reservation up (5xx).
  virtual void finish(const std::string& key_hash, const StoredAnswer* answer) = 0;
};

// "" when `key` is a valid Idempotency-Key, else why not.
std::string idempotencyKeyProblem(std::string_view key);

}  // namespace mtp::http
