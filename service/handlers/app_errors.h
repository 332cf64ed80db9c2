// The one mapping from use-case errors to API errors.
#pragma once

#include <expected>

#include "app/result.h"
#include "http/errors.h"

namespace mtp::handlers {

inline http::Error toHttp(const app::AppError& e) {
  using C = app::Code;
  switch (e.code) {
    case C::kInvalidArgument: return http::Error::invalidArgument(e.message);
    case C::kUnauthenticated: return http::Error::unauthenticated(e.message);
    case C::kMfaRequired: return http::Error::mfaRequired(e.message);
    case C::kPermissionDenied: return http::Error::permissionDenied(e.decision_id);
    case C::kNotFound: return http::Error::notFound(e.message);
    case C::kConflict: return http::Error::conflict(e.message);
    case C::kPreconditionFailed: return http::Error::preconditionFailed(e.message);
    case C::kTooManyRequests: return http::Error::tooManyRequests(e.retry_after ? e.retry_after : 1, e.message);
    case C::kUnavailable: return http::Error::unavailable(e.retry_after ? e.retry_after : 1, e.message);
    case C::kInternal: break;
  }
  return http::Error::internal();
}

// A handler's answer for a failed use case.
inline std::unexpected<http::Error> fail(const app::AppError& e) { return std::unexpected(toHttp(e)); }

}  // namespace mtp::handlers
