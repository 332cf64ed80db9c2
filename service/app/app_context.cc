#include "app/app_context.h"

#include <spdlog/spdlog.h>

namespace mtp::app {

AppContext::AppContext(store::Store& store, engine::Authorizer& authorizer,
                       auth::PasswordHasher& passwords, auth::TokenCodec& tokens,
                       auth::ApiKeyHasher& api_keys, AppConfig config,
                       std::function<std::int64_t()> clock)
    : store_(store),
      authorizer_(authorizer),
      passwords_(passwords),
      tokens_(tokens),
      api_keys_(api_keys),
      config_(std::move(config)),
      clock_(std::move(clock)),
      refresh_retry_(std::make_unique<BackgroundRetry>(
          [this] {
            auto r = refreshDirectory();
            if (r) spdlog::info("directory refreshed after an earlier failure");
            else spdlog::warn("directory refresh retry failed: {}", r.error().text());
            return r.has_value();
          },
          std::chrono::milliseconds(500))) {}

void AppContext::refreshAfterCommit(const DirectoryRefs& parts) {
  if (!parts.empty() && updateDirectory(parts)) return;
  auto r = refreshDirectory();
  if (r) return;
  spdlog::error("directory refresh after a committed change failed ({}): retrying in the background",
                r.error().text());
  refresh_retry_->request();
}

bool AppContext::directoryStale() const { return refresh_retry_->pending(); }

Result<void> AppContext::refreshDirectory() {
  std::lock_guard lock(refresh_);
  auto dir = store_.loadDirectory();
  if (!dir) return fail(dir.error());
  auto swapped = authorizer_.replaceDirectory(std::move(*dir));
  if (!swapped) {
    spdlog::error("directory snapshot rejected: {}", swapped.error().message);
    return fail(Status::internal());
  }
  return {};
}

Result<void> AppContext::updateDirectory(const DirectoryRefs& parts) {
  std::lock_guard lock(refresh_);
  std::vector<engine::DirectoryPart> loaded;
  loaded.reserve(parts.size());
  for (const auto& [kind, id] : parts) {
    auto part = store_.loadDirectoryPart(kind, id);
    if (!part) return fail(part.error());
    loaded.push_back(std::move(*part));
  }
  auto updated = authorizer_.updateDirectory(loaded);
  if (!updated) {
    spdlog::warn("directory update not applied ({}): a full reload follows", updated.error().message);
    return fail(Status::internal());
  }
  return {};
}

}  // namespace mtp::app
