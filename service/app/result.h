// Errors of the use cases: the API's closed set of codes, with no HTTP in it (the handlers
// map them in one place, http/app_errors.h).
#pragma once

#include <expected>
#include <string>

#include "store/status.h"

namespace mtp::app {

enum class Code {
  kInvalidArgument,
  kUnauthenticated,
  kMfaRequired,
  kPermissionDenied,
  kNotFound,
  kConflict,
  kPreconditionFailed,
  kTooManyRequests,
  kUnavailable,
  kInternal,
};

struct AppError {
  Code code = Code::kInternal;
  std::string message;      // safe for the client: never database text
  int retry_after = 0;      // kTooManyRequests / kUnavailable
  std::string decision_id;  // kPermissionDenied

  static AppError invalid(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static AppError unauthenticated(std::string m = "authentication required") {
    return {Code::kUnauthenticated, std::move(m)};
  }
  static AppError mfaRequired(std::string m = "multi-factor authentication required") {
    return {Code::kMfaRequired, std::move(m)};
  }
  static AppError permissionDenied(std::string decision_id) {
    AppError e{Code::kPermissionDenied, "permission denied"};
    e.decision_id = std::move(decision_id);
    return e;
  }
  static AppError notFound(std::string m = "not found") { return {Code::kNotFound, std::move(m)}; }
  static AppError conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static AppError precondition(std::string m) { return {Code::kPreconditionFailed, std::move(m)}; }
  static AppError unavailable(int retry_after = 1) {
    return {Code::kUnavailable, "service unavailable", retry_after};
  }
  static AppError internal() { return {Code::kInternal, "internal error"}; }
};

template <class T>
using AppResult = std::expected<T, AppError>;

inline std::unexpected<AppError> failWith(AppError e) { return std::unexpected<AppError>(std::move(e)); }

// Maps a store status: kInternal is logged here (it may hold database text) and answered with
// a generic message; kInvalidArgument/kNotFound/kConflict keep the store's message.
AppError fromStore(const store::Status& s);

}  // namespace mtp::app
