#include "mtp/engine/authorizer.h"

namespace mtp::engine {

Result<std::unique_ptr<Authorizer>> Authorizer::create(std::shared_ptr<const PolicySet> policies,
                                                       DirectoryData directory) {
  auto snap = Snapshot::build(std::move(policies), directory);
  if (!snap) return std::unexpected(snap.error());
  std::unique_ptr<Authorizer> az(new Authorizer());
  az->directory_ = std::move(directory);
  az->publish(std::move(*snap));
  return az;
}

std::shared_ptr<const Snapshot> Authorizer::current() const {
  std::lock_guard lock(live_);
  return current_;
}

void Authorizer::publish(std::shared_ptr<const Snapshot> next) {
  {
    std::lock_guard lock(live_);
    current_.swap(next);
  }
  // `next` now holds the previous snapshot: released here, outside the readers' lock (the last
  // reader holding it frees it otherwise).
}

Result<void> Authorizer::replacePolicies(std::shared_ptr<const PolicySet> policies) {
  std::lock_guard lock(writer_);
  auto snap = Snapshot::build(std::move(policies), directory_);
  if (!snap) return std::unexpected(snap.error());
  publish(std::move(*snap));
  return {};
}

Result<void> Authorizer::replaceDirectory(DirectoryData directory) {
  std::lock_guard lock(writer_);
  auto snap = Snapshot::build(current()->policySet(), directory);
  if (!snap) return std::unexpected(snap.error());
  directory_ = std::move(directory);
  publish(std::move(*snap));
  return {};
}

namespace {

// What `parts` name, as `directory` has it now (absent = not there): applied in reverse order,
// it undoes applyDirectoryParts(directory, parts) without a copy of the whole directory.
std::vector<DirectoryPart> undoOf(const DirectoryData& directory, const std::vector<DirectoryPart>& parts) {
  std::vector<DirectoryPart> undo;
  undo.reserve(parts.size());
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    DirectoryPart before;
    before.kind = it->kind;
    before.id = it->id;
    if (it->kind == DirectoryPart::Kind::kAdmin) {
      for (const auto& a : directory.admins) {
        if (a.id == it->id) {
          before.admin = a;
          break;
        }
      }
    } else {
      for (const auto& p : directory.providers) {
        for (const auto& o : p.organizations) {
          if (o.id == it->id) {
            before.provider = p.id;
            before.org = o;
          }
        }
      }
    }
    undo.push_back(std::move(before));
  }
  return undo;
}

}  // namespace

Result<void> Authorizer::updateDirectory(const std::vector<DirectoryPart>& parts) {
  std::lock_guard lock(writer_);
  // In place, with an undo list: a copy of 10,000 admins would cost more than the change.
  const std::vector<DirectoryPart> undo = undoOf(directory_, parts);
  if (!applyDirectoryParts(directory_, parts)) {
    applyDirectoryParts(directory_, undo);
    return std::unexpected(Status::failedPrecondition("directory update names an unknown provider"));
  }
  auto snap = Snapshot::build(current()->policySet(), directory_);
  if (!snap) {
    applyDirectoryParts(directory_, undo);
    return std::unexpected(snap.error());
  }
  publish(std::move(*snap));
  return {};
}

}  // namespace mtp::engine
