#include "policy/diagnostic_sink.h"

namespace mtp::engine::detail {

void DiagnosticSink::add(const std::string& file, int line, int column, std::string code,
                         std::string message) {
  if (diags_.size() >= kMaxErrors) {
    if (!overflow_) overflow_file_ = file;
    overflow_ = true;
    return;
  }
  diags_.push_back(Diagnostic{file, line, column, std::move(code), std::move(message)});
}

Diagnostics DiagnosticSink::take() {
  Diagnostics out = std::move(diags_);
  if (overflow_) {
    out.push_back(Diagnostic{overflow_file_, 0, 0, "too_many_errors",
                             "too many errors; stopped after " + std::to_string(kMaxErrors)});
  }
  diags_.clear();
  overflow_ = false;
  return out;
}

std::string ticked(std::string_view text) {
  // Keep messages one line and bounded whatever the input held.
  std::string out = "`";
  std::size_t n = 0;
  for (char c : text) {
    if (++n > 80) {
      out += "...";
      break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  out += '`';
  return out;
}

}  // namespace mtp::engine::detail
