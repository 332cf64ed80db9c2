#include "decisions/decision_log.h"

#include <fcntl.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>

#include "decisions/decision_record.h"

namespace mtp::decisions {

std::expected<std::unique_ptr<DecisionLog>, std::string> DecisionLog::open(DecisionLogOptions o) {
  if (o.path.empty()) return std::unexpected("decision log: no path");
  if (!(o.sample >= 0.0 && o.sample <= 1.0)) return std::unexpected("decision log: the sample must be between 0 and 1");
  if (o.max_bytes < 1024) return std::unexpected("decision log: the maximum file size is too small");
  if (o.max_files < 1 || o.max_files > 1000) return std::unexpected("decision log: keep between 1 and 1000 files");
  std::unique_ptr<DecisionLog> log(new DecisionLog());
  try {
    // Every file the sink opens (the live one, and the new one after each rotation) is created
    // 0600 before it is opened, and narrowed to 0600 if it already existed.
    spdlog::file_event_handlers handlers;
    handlers.before_open = [](const spdlog::filename_t& name) {
      const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd >= 0) ::close(fd);
    };
    handlers.after_open = [](const spdlog::filename_t&, std::FILE* f) {
      if (f != nullptr) ::fchmod(::fileno(f), 0600);
    };
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(o.path, o.max_bytes, o.max_files,
                                                                        false, handlers);
    log->pool_ = std::make_shared<spdlog::details::thread_pool>(o.queue_lines, 1);
    log->logger_ = std::make_shared<spdlog::async_logger>("decision_log", std::move(sink), log->pool_,
                                                          spdlog::async_overflow_policy::overrun_oldest);
    log->logger_->set_pattern("%v", spdlog::pattern_time_type::utc);
    log->logger_->set_level(spdlog::level::info);
    // The writer thread flushes each line: the file is whole for `tail -f` and for a crash.
    log->logger_->flush_on(spdlog::level::info);
  } catch (const std::exception& e) {
    return std::unexpected(std::string("decision log: ") + e.what());
  }
  log->options_ = std::move(o);
  return log;
}

DecisionLog::~DecisionLog() {
  if (logger_) logger_->flush();
  logger_.reset();
  pool_.reset();  // joins the writer thread after the queue is written
}

bool DecisionLog::sampled(std::string_view decision_id, double sample) {
  if (sample >= 1.0) return true;
  if (sample <= 0.0) return false;
  // The id's hash, mixed (std::hash of a string is not uniform in its low bits everywhere).
  std::uint64_t h = std::hash<std::string_view>{}(decision_id);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) * 0x1.0p-53 < sample;
}

void DecisionLog::setPolicyVersion(std::string_view version) {
  auto next = std::make_shared<const std::string>(version);
  std::lock_guard lock(version_mu_);
  version_ = std::move(next);
}

void DecisionLog::write(const engine::Request& request, const engine::Decision& decision,
                        std::string_view decision_id) noexcept {
  if (decision.allowed && !sampled(decision_id, options_.sample)) return;
  try {
    thread_local std::string line;
    line.clear();
    std::shared_ptr<const std::string> version;
    {
      std::lock_guard lock(version_mu_);
      version = version_;
    }
    appendDecisionLine(line, request, decision, DecisionFields{decision_id, *version});
    line.pop_back();  // the sink's pattern ends the line
    logger_->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
    written_.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    // Out of memory: the line is lost, the request goes on.
  }
}

void DecisionLog::flush() {
  if (logger_) logger_->flush();
}

std::uint64_t DecisionLog::dropped() const { return pool_ ? pool_->overrun_counter() : 0; }

}  // namespace mtp::decisions
