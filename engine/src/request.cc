#include "mtp/engine/request.h"

#include <arpa/inet.h>

#include <chrono>
#include <charconv>
#include <cstring>
#include <string>

namespace mtp::engine {
namespace {

bool parseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<IpAddress> parseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);  // inet_pton needs a NUL-terminated string
  IpAddress ip;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.bytes[10] = 0xff;
    ip.bytes[11] = 0xff;
    std::memcpy(&ip.bytes[12], &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

bool IpNetwork::contains(const IpAddress& ip) const {
  const int full = prefix / 8;
  for (int i = 0; i < full; ++i)
    if (ip.bytes[i] != base.bytes[i]) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (ip.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::optional<IpNetwork> parseIpNetwork(std::string_view text) {
  const auto slash = text.find('/');
  const auto addr = parseIpAddress(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  int bits = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    if (!parseInt(text.substr(slash + 1), bits)) return std::nullopt;
    if (bits < 0 || bits > (v4 ? 32 : 128)) return std::nullopt;
  }
  IpNetwork n;
  n.base = *addr;
  n.prefix = static_cast<std::uint8_t>(v4 ? bits + 96 : bits);
  // Zero the host bits so that `10.1.2.3/8` means 10.0.0.0/8.
  for (int i = 0; i < 16; ++i) {
    const int lo = i * 8;
    if (lo >= n.prefix) n.base.bytes[i] = 0;
    else if (lo + 8 > n.prefix)
      n.base.bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - (n.prefix - lo)));
  }
  return n;
}

std::optional<UnixTime> parseRfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':')
    return std::nullopt;
  int y, mo, d, h, mi, s;
  if (!parseInt(t.substr(0, 4), y) || !parseInt(t.substr(5, 2), mo) ||
      !parseInt(t.substr(8, 2), d) || !parseInt(t.substr(11, 2), h) ||
      !parseInt(t.substr(14, 2), mi) || !parseInt(t.substr(17, 2), s))
    return std::nullopt;
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  if (i >= t.size()) return std::nullopt;
  int offset = 0;
  if (t[i] == 'Z' || t[i] == 'z') {
    if (i + 1 != t.size()) return std::nullopt;
  } else if (t[i] == '+' || t[i] == '-') {
    if (t.size() != i + 6 || t[i + 3] != ':') return std::nullopt;
    int oh, om;
    if (!parseInt(t.substr(i + 1, 2), oh) || !parseInt(t.substr(i + 4, 2), om) || oh > 23 ||
        om > 59)
      return std::nullopt;
    offset = (oh * 60 + om) * 60 * (t[i] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const auto days = sys_days{ymd}.time_since_epoch().count();
  return static_cast<UnixTime>(days) * 86400 + h * 3600 + mi * 60 + s - offset;
}

}  // namespace mtp::engine
