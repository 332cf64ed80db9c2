// A problem found in a policy file or an input file, located to the character.
#pragma once

#include <string>
#include <vector>

namespace mtp::engine {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when not known
  int column = 0;  // 1-based; 0 when not known
  std::string code;     // `unknown_action`, `bad_regex`, ...
  std::string message;  // lowercase, user input in backticks

  // `file:line:col: code: message`
  std::string str() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace mtp::engine
