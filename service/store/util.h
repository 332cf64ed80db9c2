// Internal helpers of the store: ids, base64, connect strings, RFC 3339. Not for callers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/status.h"
#include "store/model.h"

namespace mtp::store::detail {

// 24 lowercase hex characters from libsodium's CSPRNG (like a MongoDB ObjectId).
std::string newId();

std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

enum class Backend { kSqlite, kPostgres };

struct ConnectSpec {
  Backend backend = Backend::kSqlite;
  std::string soci_connect;  // what the SOCI backend factory takes
  std::string sqlite_path;   // SQLite: the file (for the bulk loader's own connection)
};

// sqlite:PATH → "db=PATH timeout=5"; postgresql://u:p@h:port/db?k=v → libpq conninfo with
// connect_timeout, keepalives and tcp_user_timeout added (unless given).
Result<ConnectSpec> parseConnectUrl(std::string_view url, int connect_timeout_seconds);

// RFC 3339 (`2026-11-22T16:00:00Z`, `...+02:00`, fractions dropped) or plain Unix seconds.
std::optional<UnixTime> parseTime(std::string_view text);

std::string asciiLower(std::string_view s);

// A state of the database to wait out, in the store's own words (`why`: never database text).
// The client reads "service unavailable: <why>" and retries after 2 s; the log reads `why`.
inline Status storeUnavailable(std::string why) {
  Status s = Status::unavailable(2, why.empty() ? "service unavailable" : "service unavailable: " + why);
  s.detail = std::move(why);
  return s;
}

}  // namespace mtp::store::detail
