#include "app/admin_text.h"

#include <ctime>

namespace mtp::app {

std::string formatRfc3339(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return {};
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::optional<std::string> checkEmailShape(std::string_view email) {
  if (email.empty()) return "email is required";
  if (email.size() > 254) return "email is too long";
  for (unsigned char c : email) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"')
      return "email is not a valid address";
  }
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return "email is not a valid address";
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return "email is not a valid address";
  return std::nullopt;
}

std::optional<std::string> checkNameShape(std::string_view field, std::string_view value) {
  if (value.size() > 100) return std::string(field) + " is too long (at most 100 characters)";
  for (unsigned char c : value) {
    if (c < ' ' || c == 0x7f) return std::string(field) + " contains a control character";
  }
  return std::nullopt;
}

}  // namespace mtp::app
