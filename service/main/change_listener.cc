#include "main/change_listener.h"

#include <spdlog/spdlog.h>

#include <set>
#include <utility>
#include <vector>

namespace mtp::service {

using Kind = engine::DirectoryPart::Kind;

std::unique_ptr<ChangeListener> ChangeListener::start(std::unique_ptr<store::ChangeFeed> feed,
                                                      app::AppContext& app,
                                                      ChangeListenerOptions options) {
  std::unique_ptr<ChangeListener> l(new ChangeListener(std::move(feed), app, options));
  l->thread_ = std::thread([p = l.get()] { p->run(); });
  return l;
}

ChangeListener::ChangeListener(std::unique_ptr<store::ChangeFeed> feed, app::AppContext& app,
                               ChangeListenerOptions options)
    : feed_(std::move(feed)), app_(app), options_(options) {}

ChangeListener::~ChangeListener() { stop(); }

void ChangeListener::stop() {
  stopping_.store(true);
  feed_->interrupt();
  {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool ChangeListener::waitSynced(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, limit, [this] { return synced_.load() || stopping_.load(); }) &&
         synced_.load();
}

void ChangeListener::setSynced(bool v) {
  // Cached credentials are trusted only while every revocation is heard.
  if (v)
    app_.credentials().enable();
  else
    app_.credentials().disable();
  std::lock_guard lock(mu_);
  synced_.store(v);
  cv_.notify_all();
}

bool ChangeListener::fullReload() {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = app_.refreshDirectory();
  if (!r) {
    spdlog::warn("change feed: full directory reload failed ({}): retrying", r.error().text());
    return false;
  }
  ++full_reloads_;
  spdlog::info(
      "change feed: directory reloaded in full ({} ms)",
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  return true;
}

void ChangeListener::run() {
  bool need_full = true;  // until the first connection's reload
  bool reported_down = false;
  while (!stopping_.load()) {
    auto batch = feed_->wait(options_.wait);
    if (stopping_.load()) break;
    if (!batch) {
      // Changes may be missed from now on: not ready until reconnected and reloaded.
      setSynced(false);
      need_full = true;
      if (!reported_down)
        spdlog::warn("{}: not ready until it is back and the directory reloaded",
                     batch.error().text());
      reported_down = true;
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.retry, [this] { return stopping_.load(); });
      continue;
    }
    reported_down = false;
    bool policy = false;
    if (batch->gap) {
      setSynced(false);
      need_full = true;
      policy = true;
    }
    std::set<std::pair<Kind, std::string>> parts;
    for (const auto& c : batch->changes) {
      ++changes_;
      if (c.kind == "admin") {
        parts.emplace(Kind::kAdmin, c.id);
        app_.credentials().forgetApiKeysOf(c.id);  // deleting an admin deletes its keys
      } else if (c.kind == "org") {
        parts.emplace(Kind::kOrg, c.id);
      } else if (c.kind == "provider") {
        need_full = true;
      } else if (c.kind == "session") {
        app_.credentials().forgetSession(c.id);
      } else if (c.kind == "api_key") {
        app_.credentials().forgetApiKeysOf(c.id);
      } else if (c.kind == "policy") {
        policy = true;
      }
    }
    if (!need_full && parts.size() > options_.max_incremental) need_full = true;
    if (!need_full && !parts.empty()) {
      const auto t0 = std::chrono::steady_clock::now();
      // Orgs first, so a grant or an admin naming a new org finds it.
      std::vector<std::pair<Kind, std::string>> ordered;
      for (const auto& p : parts)
        if (p.first == Kind::kOrg) ordered.push_back(p);
      for (const auto& p : parts)
        if (p.first == Kind::kAdmin) ordered.push_back(p);
      if (app_.updateDirectory(ordered)) {
        ++incremental_;
        spdlog::debug("change feed: {} directory parts applied in {} us", ordered.size(),
                      std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - t0)
                          .count());
      } else {
        need_full = true;
      }
    }
    if (policy && options_.on_policy) options_.on_policy();
    if (need_full) {
      if (fullReload()) {
        need_full = false;
        setSynced(true);
      } else {
        setSynced(false);
      }
    }
  }
}

}  // namespace mtp::service
