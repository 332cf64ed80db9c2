#include "store/util.h"

#include <sodium.h>

#include <charconv>
#include <cstdint>
#include <map>

namespace mtp::store::detail {

std::string newId() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(24);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string base64Encode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

namespace {

std::optional<std::string> percentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc() || p != s.data() + i + 3) return std::nullopt;
    out.push_back(static_cast<char>(v));
    i += 2;
  }
  return out;
}

// A libpq conninfo value: single-quoted, with \ and ' escaped.
std::string quote(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

Result<ConnectSpec> parseConnectUrl(std::string_view url, int connect_timeout_seconds) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite://PATH
    if (path.empty()) return fail(Status::invalidArgument("sqlite url without a path"));
    if (path.find_first_of(" \t'\"") != std::string_view::npos) {
      return fail(Status::invalidArgument("sqlite path must not contain spaces or quotes"));
    }
    return ConnectSpec{Backend::kSqlite, "db=" + std::string(path) + " timeout=5",
                       std::string(path)};
  }
  std::string_view rest;
  if (url.starts_with("postgresql://")) {
    rest = url.substr(13);
  } else if (url.starts_with("postgres://")) {
    rest = url.substr(11);
  } else {
    return fail(Status::invalidArgument("database url must start with sqlite: or postgresql://"));
  }
  std::map<std::string, std::string> kv;
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view db;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    std::string_view user = cred, pass;
    bool has_pass = false;
    if (auto colon = cred.find(':'); colon != std::string_view::npos) {
      user = cred.substr(0, colon);
      pass = cred.substr(colon + 1);
      has_pass = true;
    }
    auto u = percentDecode(user);
    auto p = percentDecode(pass);
    if (!u || !p) return fail(Status::invalidArgument("bad percent-encoding in database url"));
    if (!u->empty()) kv["user"] = *u;
    if (has_pass) kv["password"] = *p;
  }
  // host[:port], or a list of them separated by commas (libpq's multi-host URL: a cluster's
  // nodes, tried in order; target_session_attrs=read-write finds the primary).
  std::string hosts, ports;
  bool any_port = false;
  std::size_t n_hosts = 0;
  for (std::string_view list = rest;;) {
    const auto comma = list.find(',');
    std::string_view host = list.substr(0, comma), port;
    if (host.starts_with('[')) {  // [::1]:5432
      auto close = host.find(']');
      if (close == std::string_view::npos) return fail(Status::invalidArgument("bad host in url"));
      port = host.substr(close + 1);
      host = host.substr(1, close - 1);
      if (!port.empty() && port.front() != ':') return fail(Status::invalidArgument("bad port"));
      if (!port.empty()) port.remove_prefix(1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    if (!port.empty()) {
      int n = 0;
      auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
      if (ec != std::errc() || p != port.data() + port.size() || n <= 0 || n > 65535) {
        return fail(Status::invalidArgument("bad port in database url"));
      }
      any_port = true;
    }
    if (host.empty() && (comma != std::string_view::npos || n_hosts > 0)) {
      return fail(Status::invalidArgument("empty host in a multi-host database url"));
    }
    if (n_hosts++ > 0) {
      hosts.push_back(',');
      ports.push_back(',');
    }
    hosts.append(host);
    ports.append(port);
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  if (!hosts.empty()) kv["host"] = hosts;
  if (any_port) kv["port"] = ports;
  if (!db.empty()) {
    auto d = percentDecode(db);
    if (!d) return fail(Status::invalidArgument("bad percent-encoding in database url"));
    kv["dbname"] = *d;
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) return fail(Status::invalidArgument("bad url parameter"));
    auto k = percentDecode(item.substr(0, eq));
    auto v = percentDecode(item.substr(eq + 1));
    if (!k || !v || k->empty()) return fail(Status::invalidArgument("bad url parameter"));
    kv[*k] = *v;
  }
  // Never hang on a dead server or network: bounded connect, keepalives, bounded writes.
  kv.try_emplace("connect_timeout", std::to_string(connect_timeout_seconds));
  kv.try_emplace("keepalives", "1");
  kv.try_emplace("keepalives_idle", "10");
  kv.try_emplace("keepalives_interval", "3");
  kv.try_emplace("keepalives_count", "3");
  kv.try_emplace("tcp_user_timeout", "15000");
  kv.try_emplace("application_name", "mtpd");
  std::string conninfo;
  for (const auto& [k, v] : kv) {
    if (!conninfo.empty()) conninfo.push_back(' ');
    conninfo += k + "=" + quote(v);
  }
  return ConnectSpec{Backend::kPostgres, conninfo};
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<UnixTime> parseTime(std::string_view t) {
  if (!t.empty() && t.find_first_not_of("-0123456789") == std::string_view::npos) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc() && p == t.data() + t.size()) return v;
    return std::nullopt;
  }
  int y, mo, d, h, mi, s;
  if (!digits(t, 0, 4, y) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2, mo) ||
      t[7] != '-' || !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
      !digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' ||
      !digits(t, 17, 2, s)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  if (i >= t.size()) return std::nullopt;
  std::int64_t offset = 0;
  if (t[i] == 'Z' || t[i] == 'z') {
    ++i;
  } else if (t[i] == '+' || t[i] == '-') {
    int oh, om;
    if (!digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' ||
        !digits(t, i + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (t[i] == '+' ? 1 : -1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + s - offset;
}

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace mtp::store::detail
