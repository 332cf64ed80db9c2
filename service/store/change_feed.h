// The change feed (issue 16 item 1): every committed change that the engine or authentication
// depends on, as announced by the database's triggers (schema/*/007_change_feed.sql), read by
// one replica. PostgreSQL: one LISTEN connection (pg_change_feed.cc); SQLite: a poll of
// change_log's newest row about every 100 ms (sqlite_change_feed.cc).
//
// A feed cannot say what happened while it was not listening: the first batch after every
// (re)connection, and any batch after changes were missed, has `gap` set, and the reader then
// reloads everything it caches from the store.
//
// Thread-safety: wait() from one thread at a time; interrupt() from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "model/status.h"

namespace mtp::store {

// One change: `kind` is provider, org, admin, session or api_key; `id` the row's (for an org's
// tags the org, for a grant the admin, for an API key its admin).
struct Change {
  std::string kind;
  std::string id;
  bool operator==(const Change&) const = default;
};

struct ChangeBatch {
  bool gap = false;  // changes may have been missed: reload in full
  std::vector<Change> changes;
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Connects when not connected (the batch then has `gap`), then waits up to `timeout` for
  // changes; an empty batch when none came. kUnavailable when the database cannot be reached
  // or the connection was lost (the next call reconnects).
  virtual Result<ChangeBatch> wait(std::chrono::milliseconds timeout) = 0;
  // Makes a wait() in progress return at once (an empty batch).
  virtual void interrupt() = 0;
};

// A feed for the store at `url` (the Store's url). kInvalidArgument for a malformed url.
Result<std::unique_ptr<ChangeFeed>> openChangeFeed(const std::string& url);

// "kind:id" as the triggers send it; false when malformed.
bool parseChange(std::string_view payload, Change& out);

}  // namespace mtp::store
