#include "mtp/engine/directory.h"

namespace mtp::engine {

std::string_view adminStatusName(AdminStatus s) {
  switch (s) {
    case AdminStatus::kActive: return "active";
    case AdminStatus::kPending: return "pending";
    case AdminStatus::kSuspended: return "suspended";
  }
  return "suspended";
}

std::optional<AdminStatus> parseAdminStatus(std::string_view name) {
  if (name == "active") return AdminStatus::kActive;
  if (name == "pending") return AdminStatus::kPending;
  if (name == "suspended") return AdminStatus::kSuspended;
  return std::nullopt;
}

}  // namespace mtp::engine
