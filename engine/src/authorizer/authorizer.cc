#include "mtp/engine/authorizer.h"

namespace mtp::engine {

Result<std::unique_ptr<Authorizer>> Authorizer::create(std::shared_ptr<const PolicySet> policies,
                                                       DirectoryData directory) {
  auto snap = Snapshot::build(std::move(policies), directory);
  if (!snap) return std::unexpected(snap.error());
  std::unique_ptr<Authorizer> az(new Authorizer());
  az->directory_ = std::move(directory);
  az->current_.store(std::move(*snap), std::memory_order_release);
  return az;
}

Result<void> Authorizer::replacePolicies(std::shared_ptr<const PolicySet> policies) {
  std::lock_guard lock(writer_);
  auto snap = Snapshot::build(std::move(policies), directory_);
  if (!snap) return std::unexpected(snap.error());
  current_.store(std::move(*snap), std::memory_order_release);
  return {};
}

Result<void> Authorizer::replaceDirectory(DirectoryData directory) {
  std::lock_guard lock(writer_);
  auto snap = Snapshot::build(current()->policySet(), directory);
  if (!snap) return std::unexpected(snap.error());
  directory_ = std::move(directory);
  current_.store(std::move(*snap), std::memory_order_release);
  return {};
}

}  // namespace mtp::engine
