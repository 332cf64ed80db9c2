#include "handlers/etag.h"

#include <charconv>
#include <string>
#include <string_view>
#include <utility>

namespace mtp::handlers {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

app::IfMatch ifMatchOf(const http::RequestContext& ctx) {
  app::IfMatch out;
  auto h = ctx.header("if-match");
  if (!h) return out;
  std::string_view rest = trimmed(*h);
  if (rest == "*") return out;
  out.versions.emplace();
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view tag = trimmed(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    // A strong tag of ours: "<digits>". Anything else (weak, foreign, malformed) matches nothing.
    if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') continue;
    std::string_view digits = tag.substr(1, tag.size() - 2);
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc() && end == digits.data() + digits.size() && v >= 0) out.versions->push_back(v);
  }
  return out;
}

http::Response withEtag(http::Response r, std::int64_t version) {
  r.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
  return r;
}

http::Response created(http::Response r, std::string location, std::int64_t version) {
  r.headers.emplace_back("Location", std::move(location));
  return withEtag(std::move(r), version);
}

}  // namespace mtp::handlers
