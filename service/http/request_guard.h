// A malformed Content-Length (`-1`, 20 digits, `12abc`) makes Pistache 0.0.5's own parser throw
// before our code runs: it answers 500 with the C++ exception's text and keeps the socket open
// (issue 10 item 8, STACK.md). The guard looks at the raw bytes of a request's header section
// before Pistache's parser does, and when a Content-Length value is not 1 to 18 decimal digits
// it answers 400 with our JSON error and closes the connection instead.
// It also refuses a request line whose query names a parameter twice (`?filter=a&filter=b`):
// Pistache keeps one value per name, so one of them would be dropped without a word (a list
// then answers more than was asked). Several filters go in one parameter, joined by `;`.
//
// The hook (server.cc): PistacheHandler overrides Tcp::Handler::onInput, runs guardInput() on
// each chunk the transport read and, when the chunk is fine, hands it to Pistache's own
// Http::Handler::onInput (called non-virtually through its exported symbol: Pistache declares
// it private and offers no other way in).
//
// What it sees: every chunk that starts in a request's header section (Pistache's parser is
// not in its body step), with the unfinished last line of the previous chunk of the same
// connection carried over, up to the end of the headers. A request pipelined behind another
// one's body in the same chunk is left to Pistache (and so to the proxy in front).
//
// Thread-safety: guardInput runs on the transport thread that owns the peer.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace Pistache::Tcp {
class Peer;
}

namespace mtp::http {

// Per connection: the unfinished header line of the last chunk (its first bytes only: `cut`
// when it was longer), and whether the request line has been seen.
struct HeaderScanState {
  std::string carry;
  bool cut = false;
  bool in_headers = false;
};

// Scans `chunk` (the start of or more of a header section, `state.carry` before it) for a
// request line that repeats a query parameter and for Content-Length lines; returns the
// reason when one is refused ("malformed Content-Length: ..."). Updates the state. Pure:
// fuzzed and unit-tested on its own.
std::optional<std::string> scanHeaderChunk(HeaderScanState& state, std::string_view chunk);

// The first query parameter name (decoded) that `request_line` (`GET /a?x=1&x=2 HTTP/1.1`)
// names twice, if any.
std::optional<std::string> repeatedQueryParameter(std::string_view request_line);

// Validates a Content-Length value (between the colon and the line end).
bool validContentLength(std::string_view value);

// The hook: true to hand the chunk on to Pistache's parser; false when the guard has answered
// 400 and is closing the connection.
bool guardInput(const char* buffer, std::size_t len, const std::shared_ptr<Pistache::Tcp::Peer>& peer);

}  // namespace mtp::http
