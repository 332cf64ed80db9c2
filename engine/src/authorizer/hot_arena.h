// One allocation for a snapshot's hot tables (admin slots, org slots, grant slots), aligned to
// 2 MiB and advised for transparent huge pages: a decision's three random lines then cost no
// TLB miss (with 4 KiB pages the tables span about a thousand pages, more than the TLB holds,
// and a page walk under virtualization is dearer than the line itself). Where the kernel gives
// no huge page the advice is ignored and the tables work the same.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace mtp::engine::detail {

class HotArena {
 public:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kAlign = 64;

  // Room for `bytes` (the sum of the tables' sizes, each rounded up to kAlign). Zero-filled.
  // A small directory (under 1 MiB of tables) gets no huge page: its tables fit the TLB.
  void allocate(std::size_t bytes) {
    const bool huge = bytes >= kHugePage / 2;
    const std::size_t size = huge ? (bytes + kHugePage - 1) / kHugePage * kHugePage : rounded(bytes);
    void* p = size ? std::aligned_alloc(huge ? kHugePage : kAlign, size) : nullptr;
    if (size && p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (huge) madvise(p, size, MADV_HUGEPAGE);
#endif
    if (p != nullptr) std::memset(p, 0, size);
    block_.reset(static_cast<unsigned char*>(p));
    size_ = size;
    used_ = 0;
  }
  // The next `bytes` of the block. REQUIRES: allocate() made room for them.
  void* take(std::size_t bytes) {
    void* p = block_.get() + used_;
    used_ += (bytes + kAlign - 1) / kAlign * kAlign;
    return p;
  }
  static std::size_t rounded(std::size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }
  std::size_t bytes() const { return size_; }

 private:
  struct Free {
    void operator()(unsigned char* p) const { std::free(p); }
  };
  std::unique_ptr<unsigned char, Free> block_;
  std::size_t size_ = 0;
  std::size_t used_ = 0;
};

}  // namespace mtp::engine::detail
