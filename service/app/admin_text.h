// Small text helpers of the administrator use cases and their routes: RFC 3339 times and the
// shape checks of an admin's fields.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mtp::app {

// `2026-11-22T16:00:00Z` (UTC, seconds).
std::string formatRfc3339(std::int64_t unix_seconds);

// nullopt when `email` looks like an address (one `@`, a non-empty local part, a dotted
// domain, no spaces or control characters, at most 254 bytes); else a message for the user.
std::optional<std::string> checkEmailShape(std::string_view email);

// nullopt when `value` (a first or last name) is at most 100 bytes of printable text; else a
// message naming `field`.
std::optional<std::string> checkNameShape(std::string_view field, std::string_view value);

}  // namespace mtp::app
