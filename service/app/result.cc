#include "app/result.h"

#include <spdlog/spdlog.h>

namespace mtp::app {

AppError fromStore(const store::Status& s) {
  using C = store::Status::Code;
  switch (s.code) {
    case C::kInvalidArgument: return AppError::invalid(s.message);
    case C::kNotFound: return AppError::notFound();
    case C::kConflict: return AppError::conflict(s.message);
    case C::kFailedPrecondition: return AppError::precondition(s.message);
    case C::kUnavailable:
    {
      spdlog::warn("store unavailable: {}", s.message);
      // The store's kUnavailable messages are its own words (never database text): say why.
      AppError e = AppError::unavailable(2);
      if (!s.message.empty()) e.message = "service unavailable: " + s.message;
      return e;
    }
    case C::kInternal: break;
  }
  spdlog::error("store error: {}", s.message);
  return AppError::internal();
}

}  // namespace mtp::app
