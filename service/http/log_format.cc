#include "http/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace mtp::http {
namespace {

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

class EscapingFormatter final : public spdlog::formatter {
 public:
  EscapingFormatter() : inner_(std::make_unique<spdlog::pattern_formatter>()) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    bool clean = true;
    for (unsigned char c : text) clean = clean && !isControl(c);
    if (clean) {
      inner_->format(msg, dest);
      return;
    }
    const std::string escaped = escapeControlChars(text);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    inner_->format(copy, dest);
    msg.color_range_start = copy.color_range_start;
    msg.color_range_end = copy.color_range_end;
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<EscapingFormatter>(); }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
};

}  // namespace

std::string escapeControlChars(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (!isControl(c)) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\x";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::unique_ptr<spdlog::formatter> escapingLogFormatter() { return std::make_unique<EscapingFormatter>(); }

void installEscapingLogFormat() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->set_formatter(escapingLogFormatter()); });
}

}  // namespace mtp::http
