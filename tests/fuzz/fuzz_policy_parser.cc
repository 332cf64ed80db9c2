// libFuzzer target: the policy language (YAML documents, roles, conditions) compiled as one
// set together with the built-in roles file, as `mtpctl policy check` and mtpd do. Any input
// must end in a set or in diagnostics: no crash, no sanitizer report.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mtp/engine/policy_set.h"

namespace {

std::string builtinRoles() {
  std::ifstream in(MTP_FUZZ_ROLES_FILE);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string roles = builtinRoles();
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Alone (a file of roles and policies of its own) and beside the built-in roles.
  std::vector<mtp::engine::PolicySource> alone{{"fuzz.yaml", text}};
  (void)mtp::engine::PolicySet::compile(alone);
  std::vector<mtp::engine::PolicySource> with_roles{{"builtin/roles.yaml", roles}, {"custom/fuzz.yaml", text}};
  (void)mtp::engine::PolicySet::compile(with_roles);
  return 0;
}
