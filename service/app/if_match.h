// Optimistic concurrency (issue 11 item 1): the If-Match of a PUT or DELETE as the use cases
// see it. A resource's version is its row's `version` (raised by every change of the row);
// the API shows it as the strong ETag `"<version>"`. The use case compares it under the row
// lock, inside the write transaction, so two writers holding the same version cannot both
// pass: the second reads the first one's new version and fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/status.h"

namespace mtp::app {

struct IfMatch {
  // nullopt: no condition (no If-Match, or `If-Match: *` on an existing resource). Otherwise
  // the versions the client accepts; an empty list (only weak or malformed tags) never matches.
  std::optional<std::vector<std::int64_t>> versions;

  bool matches(std::int64_t current) const {
    if (!versions) return true;
    for (std::int64_t v : *versions) {
      if (v == current) return true;
    }
    return false;
  }
  // kFailedPrecondition (412 precondition_failed) when the current version is not accepted.
  Result<void> check(std::int64_t current, std::string_view what) const {
    if (matches(current)) return {};
    return fail(Status::preconditionFailed(
        std::string(what) + " was changed since it was read (If-Match does not match ETag \"" +
        std::to_string(current) + "\")"));
  }
};

}  // namespace mtp::app
