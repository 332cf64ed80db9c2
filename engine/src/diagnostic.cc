#include "mtp/engine/diagnostic.h"

namespace mtp::engine {

// Unknown parts are left out rather than printed as 0, as compilers do: `file: code: msg`
// for a whole-file problem, `code: msg` when not even the file is known.
std::string Diagnostic::str() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  out += code;
  out += ": ";
  out += message;
  return out;
}

}  // namespace mtp::engine
