// Maps SOCI's exceptions to Status: unique violation → kConflict, a foreign key to a row that
// is not there (or belongs to another provider) → kNotFound, check violation → kInvalidArgument,
// busy/locked/serialization/timeouts → kUnavailable, a lost connection → kUnavailable with
// `lost` set so the caller re-opens it. Internal to the store.
#pragma once

#include <exception>

#include "model/status.h"
#include "store/util.h"

namespace soci {
class session;
}

namespace mtp::store::detail {

Status classifyError(const std::exception& e, soci::session& session, Backend backend,
                     bool* lost);

}  // namespace mtp::store::detail
