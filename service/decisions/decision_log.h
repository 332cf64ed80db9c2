// mtpd's decision log: every decision the service asks the engine for, as one JSON line
// (decisions/decision_record.h), written off the request path. The request's thread formats
// the line and queues it; spdlog's async logger writes it to a rotating file (size-based:
// decisions.log, then decisions.1.log (the newest rotated) … decisions.N.log) from its own thread. Files are created 0600. Allowed decisions are
// sampled (a fixed fraction, chosen by the decision id, so the same id is always kept or
// always dropped); denials are always written. When the queue is full the oldest queued line
// is dropped (dropped() counts them): a slow disk never holds a request up.
// Thread-safety: write() and setPolicyVersion() are safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "mtp/engine/decision.h"
#include "mtp/engine/request.h"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace mtp::decisions {

struct DecisionLogOptions {
  std::string path;                        // the live file; rotated: NAME.1.EXT, NAME.2.EXT, …
  std::size_t max_bytes = 100u << 20;      // rotate when the live file would exceed this
  std::size_t max_files = 10;              // rotated files kept
  double sample = 1.0;                     // fraction of allowed decisions written, 0..1
  std::size_t queue_lines = 8192;          // lines queued for the writer thread
};

class DecisionLog {
 public:
  // Opens (creating 0600) the file. Fails on a bad path or option, with why.
  static std::expected<std::unique_ptr<DecisionLog>, std::string> open(DecisionLogOptions options);
  ~DecisionLog();  // writes out what is queued
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Queues the line for one decision (unless it is an allowed one the sample leaves out).
  void write(const engine::Request& request, const engine::Decision& decision,
             std::string_view decision_id) noexcept;

  // The policy version written with every following line (PolicySet::version). mtpd sets it
  // at start and after each reload; a decision made just before a reload and written just
  // after it carries the new version.
  void setPolicyVersion(std::string_view version);

  // Whether an allowed decision with this id is written at `sample`.
  static bool sampled(std::string_view decision_id, double sample);

  // Asks the writer thread to flush after what is queued (it does not wait; the destructor
  // waits for every queued line to be written).
  void flush();
  std::uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const;

 private:
  DecisionLog() = default;
  DecisionLogOptions options_;
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex version_mu_;  // held for a pointer copy only, never while formatting
  std::shared_ptr<const std::string> version_ = std::make_shared<const std::string>();
  std::atomic<std::uint64_t> written_{0};
};

}  // namespace mtp::decisions
