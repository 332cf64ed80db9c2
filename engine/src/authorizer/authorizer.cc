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

Result<void> Authorizer::updateDirectory(const std::vector<DirectoryPart>& parts) {
  std::lock_guard lock(writer_);
  DirectoryData next = directory_;
  if (!applyDirectoryParts(next, parts)) {
    return std::unexpected(Status::failedPrecondition("directory update names an unknown provider"));
  }
  auto snap = Snapshot::build(current()->policySet(), next);
  if (!snap) return std::unexpected(snap.error());
  directory_ = std::move(next);
  publish(std::move(*snap));
  return {};
}

}  // namespace mtp::engine
