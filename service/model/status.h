// The service's one error type, from the store up to the handlers: a closed set of codes (the
// API's, spec/api.md), a message for the client and, apart from it, a detail for the log.
// Errors are values: `Result<T>` holds a T or a Status; `return fail(Status::notFound());`.
// Only service/http/ turns a Status into an HTTP status and a body (http/errors.h).
//
// `message` is what a client may read: never database text, never e.what(). `detail` is what
// an operator may read (database text, the store's own words): it is logged once where the
// answer is sent (with the request id) and printed by the command-line tools, never rendered.
// Thread-safety: a plain value.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace mtp {

struct Status {
  enum class Code {
    kInvalidArgument,       // 400
    kUnauthenticated,       // 401
    kMfaRequired,           // 401
    kPermissionDenied,      // 403 (with the decision id)
    kNotFound,              // 404 (also: outside the caller's reach)
    kConflict,              // 409
    kPreconditionFailed,    // 412
    kPayloadTooLarge,       // 413
    kUnsupportedMediaType,  // 415
    kUnprocessable,         // 422 (an Idempotency-Key reused with another request)
    kTooManyRequests,       // 429 (+ Retry-After)
    kUnavailable,           // 503 (+ Retry-After)
    kInternal,              // 500
  };

  Code code = Code::kInternal;
  std::string message;              // for the client
  std::string detail;               // for the log and operators only: never rendered
  std::string decision_id;          // kPermissionDenied: the decision log's id
  int retry_after = 0;              // kTooManyRequests / kUnavailable (and a busy conflict)
  std::vector<std::string> allow;   // method not allowed: the methods the path has (405)

  static Status invalidArgument(std::string m) { return make(Code::kInvalidArgument, std::move(m)); }
  static Status unauthenticated(std::string m = "authentication required") {
    return make(Code::kUnauthenticated, std::move(m));
  }
  static Status mfaRequired(std::string m = "multi-factor authentication required") {
    return make(Code::kMfaRequired, std::move(m));
  }
  static Status permissionDenied(std::string decision_id) {
    Status s = make(Code::kPermissionDenied, "permission denied");
    s.decision_id = std::move(decision_id);
    return s;
  }
  static Status notFound(std::string m = "not found") { return make(Code::kNotFound, std::move(m)); }
  static Status conflict(std::string m) { return make(Code::kConflict, std::move(m)); }
  static Status preconditionFailed(std::string m) {
    return make(Code::kPreconditionFailed, std::move(m));
  }
  static Status payloadTooLarge(std::string m = "request body too large") {
    return make(Code::kPayloadTooLarge, std::move(m));
  }
  static Status unsupportedMediaType(std::string m = "content type must be application/json") {
    return make(Code::kUnsupportedMediaType, std::move(m));
  }
  static Status unprocessable(std::string m) { return make(Code::kUnprocessable, std::move(m)); }
  static Status tooManyRequests(int retry_after, std::string m = "too many requests") {
    Status s = make(Code::kTooManyRequests, std::move(m));
    s.retry_after = retry_after;
    return s;
  }
  static Status unavailable(int retry_after = 1, std::string m = "service unavailable") {
    Status s = make(Code::kUnavailable, std::move(m));
    s.retry_after = retry_after;
    return s;
  }
  // The client reads "internal error"; `detail` (database text, ...) goes to the log only.
  static Status internal(std::string detail = {}) {
    Status s = make(Code::kInternal, "internal error");
    s.detail = std::move(detail);
    return s;
  }
  // 405: the body's code is invalid_argument (the spec's set has no 405 code); the status is
  // 405 and the Allow header lists `allow`.
  static Status methodNotAllowed(std::vector<std::string> allow) {
    Status s = make(Code::kInvalidArgument, "method not allowed");
    s.allow = std::move(allow);
    return s;
  }

  // The same status with `d` as its detail: `Status::notFound().withDetail("device not found")`.
  Status withDetail(std::string d) && {
    detail = std::move(d);
    return std::move(*this);
  }

  bool isNotFound() const { return code == Code::kNotFound; }
  bool isConflict() const { return code == Code::kConflict; }
  bool isUnavailable() const { return code == Code::kUnavailable; }

  // For logs and the command-line tools: the detail when there is one, else the message.
  const std::string& text() const { return detail.empty() ? message : detail; }

 private:
  static Status make(Code c, std::string m) {
    Status s;
    s.code = c;
    s.message = std::move(m);
    return s;
  }
};

template <class T>
using Result = std::expected<T, Status>;

// `return fail(Status::notFound());` inside a function returning any Result<T>.
inline std::unexpected<Status> fail(Status s) { return std::unexpected<Status>(std::move(s)); }

}  // namespace mtp
