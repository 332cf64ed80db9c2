// The closed set of API error codes (spec/api.md) and the one renderer that knows their HTTP
// statuses: `{"error":{"code","message","requestId"}}`. Handlers return an Error value;
// nothing else in the service picks a status code for an error.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mtp::http {

enum class ErrorCode {
  kInvalidArgument,       // 400
  kUnauthenticated,       // 401
  kMfaRequired,           // 401
  kPermissionDenied,      // 403 (the body carries the decision id)
  kNotFound,              // 404 (also: outside the caller's reach)
  kConflict,              // 409
  kPreconditionFailed,    // 412
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kUnprocessable,         // 422 (an Idempotency-Key reused with another request)
  kTooManyRequests,       // 429
  kUnavailable,           // 503 (+ Retry-After)
  kInternal,              // 500
};

// "invalid_argument", ... as the spec spells them.
std::string_view errorCodeName(ErrorCode code);
int httpStatus(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;               // for the client: never internals (no e.what(), no SQL)
  std::string decision_id;           // permission_denied: the decision log's id
  int retry_after_seconds = 0;       // too_many_requests / unavailable: Retry-After
  std::vector<std::string> allow;    // method not allowed: the methods the path has (405)

  static Error invalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error unauthenticated(std::string m = "authentication required") {
    return {ErrorCode::kUnauthenticated, std::move(m)};
  }
  static Error mfaRequired(std::string m = "multi-factor authentication required") {
    return {ErrorCode::kMfaRequired, std::move(m)};
  }
  static Error permissionDenied(std::string decision_id) {
    Error e{ErrorCode::kPermissionDenied, "permission denied"};
    e.decision_id = std::move(decision_id);
    return e;
  }
  static Error notFound(std::string m = "not found") { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Error preconditionFailed(std::string m) {
    return {ErrorCode::kPreconditionFailed, std::move(m)};
  }
  static Error payloadTooLarge(std::string m = "request body too large") {
    return {ErrorCode::kPayloadTooLarge, std::move(m)};
  }
  static Error unsupportedMediaType(std::string m = "content type must be application/json") {
    return {ErrorCode::kUnsupportedMediaType, std::move(m)};
  }
  static Error unprocessable(std::string m) { return {ErrorCode::kUnprocessable, std::move(m)}; }
  static Error tooManyRequests(int retry_after_seconds, std::string m = "too many requests") {
    Error e{ErrorCode::kTooManyRequests, std::move(m)};
    e.retry_after_seconds = retry_after_seconds;
    return e;
  }
  static Error unavailable(int retry_after_seconds, std::string m = "service unavailable") {
    Error e{ErrorCode::kUnavailable, std::move(m)};
    e.retry_after_seconds = retry_after_seconds;
    return e;
  }
  static Error internal() { return {ErrorCode::kInternal, "internal error"}; }
  // 405: the body's code is invalid_argument (the spec's set has no 405 code); the status
  // is 405 and the Allow header lists `allow`.
  static Error methodNotAllowed(std::vector<std::string> allow) {
    Error e{ErrorCode::kInvalidArgument, "method not allowed"};
    e.allow = std::move(allow);
    return e;
  }
};

// The HTTP status of `e` (405 when `allow` is set, else httpStatus(e.code)).
int httpStatus(const Error& e);

// `{"error":{"code":...,"message":...,"requestId":...[,"decisionId":...]}}`
std::string renderErrorBody(const Error& e, std::string_view request_id);

}  // namespace mtp::http
