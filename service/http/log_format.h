// Every log line of the process goes through one formatter that escapes control characters
// in the message (issue 10 item 5): a request id, path or header value with `\n` or `\r`
// cannot forge a log line, and an ESC cannot drive a terminal. `\n` → `\n` (two characters),
// `\r` → `\r`, `\t` → `\t`, other bytes below 0x20 and 0x7f → `\xNN`. The line's own end and
// the pattern (time, level) are untouched.
//
// Usage: installEscapingLogFormat() once at startup (mtpd and mtpctl; Mtpd::start does it)
// after the sinks exist; a sink added later gets it from the next call.
// Thread-safety: install before logging from other threads (spdlog's set_formatter).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>

namespace mtp::http {

// `text` with its control characters escaped as above (unchanged when it has none).
std::string escapeControlChars(std::string_view text);

// A formatter: spdlog's pattern formatter (default pattern) over the escaped message.
std::unique_ptr<spdlog::formatter> escapingLogFormatter();

// Sets escapingLogFormatter() on every sink of every registered logger.
void installEscapingLogFormat();

}  // namespace mtp::http
