// Collects the diagnostics of one compilation, capped so that a pathological file cannot
// produce an unbounded report.
#pragma once

#include <string>

#include "mtp/engine/diagnostic.h"

namespace mtp::engine::detail {

class DiagnosticSink {
 public:
  static constexpr std::size_t kMaxErrors = 100;

  void add(const std::string& file, int line, int column, std::string code, std::string message);
  bool empty() const { return diags_.empty(); }
  bool full() const { return overflow_; }
  // The diagnostics, followed by one `too_many_errors` line if the cap was hit.
  Diagnostics take();

 private:
  Diagnostics diags_;
  bool overflow_ = false;
  std::string overflow_file_;
};

// `text` in backticks, for messages.
std::string ticked(std::string_view text);

}  // namespace mtp::engine::detail
