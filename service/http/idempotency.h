// Idempotency-Key on POST (issue 11 item 2), in the pipeline: a client that did not get an
// answer (timeout, lost connection, 503) retries with the same key and never creates a
// second resource.
//
// - Authenticated POSTs: the key is scoped to the principal (admin id and provider), the
//   method and the path. Public POSTs only where the route says so (Route::public_idempotency:
//   one-time links, an agent's command result): scoped to the method and path, the request
//   being the body and the x-device-key header; only a 2xx answer is kept (else forgotten). A key is 1 to 255 printable ASCII characters, else 400.
// - The first request reserves the key (its own short transaction), runs with its writes
//   marked (the key's `committed` flag commits with them), then stores its answer when it is
//   2xx or 4xx (not 429); a 5xx gives the reservation up (a retry runs again, unless a write
//   had committed).
// - A retry with the same body (and target org) gets the stored answer (status, body,
//   Content-Type, Location and ETag) with `Idempotent-Replayed: true`; a different body: 422 unprocessable; while the first is in
//   flight: 409 conflict with Retry-After; when the first wrote but its answer was lost (a
//   crash): 409 conflict, never a second run. Records are kept 24 h.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtp::http {

struct StoredAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
  // The headers a replay must carry too (replayedHeader): Location, ETag.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Whether a response header named `name` (any case) is kept with a stored answer and sent
// again on its replay: Location and ETag (Content-Type is kept on its own).
bool replayedHeader(std::string_view name);

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
  // The request ended and leaves no trace of its key, whatever it wrote (a Public POST that
  // did not succeed: its key is not kept, so unauthenticated callers cannot fill the store).
  virtual void forget(const std::string& key_hash) = 0;
};

// "" when `key` is a valid Idempotency-Key, else why not.
std::string idempotencyKeyProblem(std::string_view key);

}  // namespace mtp::http
