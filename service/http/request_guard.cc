#include "http/request_guard.h"

#include <pistache/http.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

#include "http/query.h"

namespace mtp::http {
namespace {

constexpr std::size_t kMaxCarry = 8192;  // a request line with its query; a header's start
constexpr const char* kStateKey = "__mtpHeaderScan";

bool isSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (isSpace(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (isSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool namedContentLength(std::string_view name) {
  static constexpr std::string_view kName = "content-length";
  name = trim(name);
  if (name.size() != kName.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != kName[i]) return false;
  return true;
}

std::string badRequestResponse(const std::string& why) {
  const std::string body =
      nlohmann::json{{"error", {{"code", "invalid_argument"}, {"message", why}}}}.dump();
  return "HTTP/1.1 400 Bad Request\r\n"
         "Content-Type: application/json\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n"
         "Connection: close\r\n"
         "Cache-Control: no-store\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "\r\n" + body;
}

}  // namespace

bool validContentLength(std::string_view value) {
  value = trim(value);
  if (value.empty() || value.size() > 18) return false;  // 18 digits fit any size_t parse
  for (char c : value)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::string> repeatedQueryParameter(std::string_view request_line) {
  const auto sp = request_line.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  std::string_view target = request_line.substr(sp + 1);
  target = target.substr(0, target.find(' '));
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  rest = rest.substr(0, rest.find('#'));
  std::vector<std::string> names;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    std::string name = decodeQueryComponent(pair.substr(0, pair.find('=')));
    if (std::find(names.begin(), names.end(), name) != names.end()) return name;
    names.push_back(std::move(name));
  }
  return std::nullopt;
}

std::optional<std::string> scanHeaderChunk(HeaderScanState& state, std::string_view chunk) {
  std::string joined;
  std::string_view text = chunk;
  bool first_line_cut = false;
  if (!state.carry.empty()) {
    joined = state.carry;
    joined.append(chunk);
    text = joined;
    first_line_cut = state.cut;
  }
  state.carry.clear();
  state.cut = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      // Unfinished line: keep its start for the next chunk of this connection.
      state.carry = std::string(text.substr(pos, kMaxCarry));
      state.cut = (first_line_cut && pos == 0) || text.size() - pos > kMaxCarry;
      return std::nullopt;
    }
    std::string_view line = text.substr(pos, nl - pos);
    const bool line_cut = first_line_cut && pos == 0;
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (!state.in_headers) continue;  // a stray CRLF before a request line
      state.in_headers = false;
      return std::nullopt;  // end of the headers: the rest is a body
    }
    if (!state.in_headers) {
      // The request line (its query is looked at only when the line was kept whole).
      state.in_headers = true;
      if (!line_cut) {
        if (auto name = repeatedQueryParameter(line)) {
          return "query parameter `" + name->substr(0, 64) + "` is given twice: give it once (join several filters with `;`)";
        }
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // Pistache's to refuse
    if (namedContentLength(line.substr(0, colon)) && !validContentLength(line.substr(colon + 1)))
      return "malformed Content-Length: it must be a decimal number of at most 18 digits";
  }
  return std::nullopt;
}

bool guardInput(const char* buffer, std::size_t len, const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  using Pistache::Http::Private::BodyStep;
  using Pistache::Http::Private::HeadersStep;
  std::shared_ptr<HeaderScanState> state;
  try {
    state = std::static_pointer_cast<HeaderScanState>(peer->tryGetData(kStateKey));
    if (!state) {
      state = std::make_shared<HeaderScanState>();
      peer->putData(kStateKey, state);
    }
    auto parser = Pistache::Http::Handler::getParser(peer);
    if (parser && parser->step() && parser->step()->id() == BodyStep::Id) {
      state->carry.clear();  // this chunk starts in a body: nothing to look at
      state->cut = false;
      state->in_headers = false;
      return true;
    }
    // Where this chunk starts, as Pistache's parser knows it (a request pipelined behind
    // another in one chunk leaves our own count behind): in the headers, or at a request line.
    if (parser && parser->step()) state->in_headers = parser->step()->id() == HeadersStep::Id;
  } catch (const std::exception&) {
    return true;  // no parser yet (Pistache will say so itself)
  }
  auto bad = scanHeaderChunk(*state, std::string_view(buffer, len));
  if (!bad) return true;
  spdlog::info("request refused before parsing: {}", *bad);
  const std::string wire = badRequestResponse(*bad);
  // Answer, then shut the socket down once the answer is written: Pistache sees the peer go away
  // and forgets it as for any closed connection.
  // (A failed write means the client has gone already: nothing to shut.)
  peer->send(Pistache::RawBuffer(wire, wire.size()))
      .then([peer](ssize_t) { ::shutdown(peer->fd(), SHUT_RDWR); }, Pistache::Async::IgnoreException);
  return false;
}

}  // namespace mtp::http
