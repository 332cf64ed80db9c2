#include "store/pool.h"
#include "store/util.h"

#include <soci/soci.h>

#include <utility>

namespace mtp::store::detail {

struct Pool::Slot {
  std::unique_ptr<soci::session> session;
  StatementCache statements;  // after the session: destroyed first, as it refers to it
  bool open = false;          // false: open (again) before use
};

Pool::Pool(std::size_t size, std::function<void(soci::session&)> open) : open_(std::move(open)) {
  if (size == 0) size = 1;
  for (std::size_t i = 0; i < size; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->session = std::make_unique<soci::session>();
    free_.push_back(size - 1 - i);
  }
}

Pool::~Pool() = default;

Result<Pool::Lease> Pool::lease(std::chrono::milliseconds timeout) {
  std::size_t slot;
  {
    std::unique_lock lock(mu_);
    if (!freed_.wait_for(lock, timeout, [&] { return !free_.empty(); })) {
      return fail(detail::storeUnavailable("no database connection free"));
    }
    slot = free_.back();
    free_.pop_back();
  }
  Slot& s = *slots_[slot];
  Lease lease(this, slot, s.session.get());
  if (!s.open) {
    if (auto r = lease.reopen(); !r) return fail(r.error());
  }
  return lease;
}

void Pool::giveBack(std::size_t slot, bool broken) {
  {
    std::lock_guard lock(mu_);
    if (broken) slots_[slot]->open = false;
    free_.push_back(slot);
  }
  freed_.notify_one();
}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      slot_(other.slot_),
      session_(other.session_),
      broken_(other.broken_) {}

Pool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->giveBack(slot_, broken_);
}

StatementCache& Pool::Lease::statements() { return pool_->slots_[slot_]->statements; }

Result<void> Pool::Lease::reopen() {
  Slot& s = *pool_->slots_[slot_];
  s.statements.clear();  // they belong to the session about to close
  s.open = false;
  broken_ = true;
  try {
    s.session->close();
  } catch (const std::exception&) {
    // Closing a dead connection may fail; a new one is opened either way.
  }
  try {
    s.session = std::make_unique<soci::session>();
    pool_->open_(*s.session);
  } catch (const std::exception& e) {
    try {
      s.session->close();
    } catch (const std::exception&) {
    }
    // The driver's text (host, port, user, its own words) is for the log only.
    Status down = detail::storeUnavailable("cannot connect to the database");
    down.detail += std::string(": ") + e.what();
    return fail(std::move(down));
  }
  session_ = s.session.get();
  s.open = true;
  broken_ = false;
  return {};
}

}  // namespace mtp::store::detail
