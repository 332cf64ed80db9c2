// The change listener of mtpd (issue 16 item 1): a thread that reads the store's change feed
// (store/change_feed.h) and keeps this replica's directory in step with every committed change,
// whoever made it (another replica, mtpctl, a job):
//  - admins (and their grants) and orgs (and their tags): applied one by one
//    (AppContext::updateDirectory), at most `max_incremental` per batch;
//  - a provider (created, deleted, its MFA requirement), a bigger batch, a gap (a lost or new
//    connection, a missed change) or a failed update: a full reload (AppContext::refreshDirectory).
//    From the gap until that reload has succeeded, synced() is false and /readyz answers 503.
//  - a policy version made active (policy:<version>, schema 012): options.on_policy();
//  - sessions and API keys: evicted from AppContext::credentials(), which is enabled only while
//    synced() (so a revocation is never missed by a cached credential).
//
// Thread-safety: every method from any thread; stop() joins and must run before the AppContext
// goes away.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "app/app_context.h"
#include "store/change_feed.h"

namespace mtp::service {

struct ChangeListenerOptions {
  std::chrono::milliseconds wait{100};   // one feed wait (the SQLite poll interval)
  std::chrono::milliseconds retry{500};  // after the database could not be reached
  std::size_t max_incremental = 256;     // distinct admins + orgs in one batch; more: full reload
  // Called (on the listener's thread) after a 'policy' change, and after every full reload
  // that follows a gap (a missed change may be a policy's); empty: policy changes are ignored.
  std::function<void()> on_policy;
};

class ChangeListener {
 public:
  static std::unique_ptr<ChangeListener> start(std::unique_ptr<store::ChangeFeed> feed,
                                               app::AppContext& app,
                                               ChangeListenerOptions options = {});
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // Listening, and every change seen so far applied.
  bool synced() const { return synced_.load(); }
  // Waits until synced() (true) or `limit` has passed (false).
  bool waitSynced(std::chrono::milliseconds limit);
  void stop();

  std::uint64_t fullReloads() const { return full_reloads_.load(); }
  std::uint64_t incrementalUpdates() const { return incremental_.load(); }
  std::uint64_t changesSeen() const { return changes_.load(); }

 private:
  ChangeListener(std::unique_ptr<store::ChangeFeed> feed, app::AppContext& app,
                 ChangeListenerOptions options);
  void run();
  bool fullReload();
  void setSynced(bool v);

  std::unique_ptr<store::ChangeFeed> feed_;
  app::AppContext& app_;
  ChangeListenerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> synced_{false};
  std::atomic<std::uint64_t> full_reloads_{0}, incremental_{0}, changes_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace mtp::service
