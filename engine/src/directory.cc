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

namespace {

void applyAdmin(DirectoryData& d, const DirectoryPart& part) {
  auto it = d.admins.begin();
  while (it != d.admins.end() && it->id != part.id) ++it;
  if (!part.admin) {
    if (it != d.admins.end()) d.admins.erase(it);
  } else if (it != d.admins.end()) {
    *it = *part.admin;
  } else {
    d.admins.push_back(*part.admin);
  }
}

bool applyOrg(DirectoryData& d, const DirectoryPart& part) {
  // The org leaves wherever it was (an org never changes provider; a delete removes it).
  for (auto& p : d.providers) {
    auto& orgs = p.organizations;
    for (auto it = orgs.begin(); it != orgs.end(); ++it) {
      if (it->id != part.id) continue;
      if (part.org && p.id == part.provider) {
        *it = *part.org;
        return true;
      }
      orgs.erase(it);
      break;
    }
  }
  if (!part.org) return true;
  for (auto& p : d.providers) {
    if (p.id != part.provider) continue;
    p.organizations.push_back(*part.org);
    return true;
  }
  return false;
}

}  // namespace

bool applyDirectoryParts(DirectoryData& directory, const std::vector<DirectoryPart>& parts) {
  for (const auto& part : parts) {
    if (part.kind == DirectoryPart::Kind::kAdmin) {
      applyAdmin(directory, part);
    } else if (!applyOrg(directory, part)) {
      return false;
    }
  }
  return true;
}

}  // namespace mtp::engine
