// The one mapping from use-case errors (app::AppError, denials included: app::denialError)
// to API errors. Only http/ and the handlers turn an AppError into HTTP.
#pragma once

#include <expected>

#include "app/result.h"
#include "http/errors.h"

namespace mtp::http {

inline Error toHttp(const app::AppError& e) {
  using C = app::Code;
  switch (e.code) {
    case C::kInvalidArgument: return Error::invalidArgument(e.message);
    case C::kUnauthenticated: return Error::unauthenticated(e.message);
    case C::kMfaRequired: return Error::mfaRequired(e.message);
    case C::kPermissionDenied: return Error::permissionDenied(e.decision_id);
    case C::kNotFound: return Error::notFound(e.message);
    case C::kConflict: return Error::conflict(e.message);
    case C::kPreconditionFailed: return Error::preconditionFailed(e.message);
    case C::kTooManyRequests: return Error::tooManyRequests(e.retry_after ? e.retry_after : 1, e.message);
    case C::kUnavailable: return Error::unavailable(e.retry_after ? e.retry_after : 1, e.message);
    case C::kInternal: break;
  }
  return Error::internal();
}

// A handler's answer for a failed use case.
inline std::unexpected<Error> fail(const app::AppError& e) { return std::unexpected(toHttp(e)); }

}  // namespace mtp::http
