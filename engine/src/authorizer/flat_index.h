// Open-addressing hash indexes built once per snapshot and then only read: string id -> index,
// Linear probing over a power-of-two table, at most half full, so a
// lookup is one hash and, on a hit, one string compare.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace mtp::engine::detail {

inline constexpr std::uint32_t kNotFound = 0xffffffffu;

inline std::size_t tableSizeFor(std::size_t n) {
  std::size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  return cap;
}

// Maps string ids (owned elsewhere, e.g. by the snapshot's records) to dense indices.
class StringIndex {
 public:
  // REQUIRES: keys outlive the index; keys are unique (insert returns false otherwise).
  void reserve(std::size_t n) { slots_.assign(tableSizeFor(n), Slot{}); }

  bool insert(std::string_view key, std::uint32_t value) {
    if (slots_.empty() || (count_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.value == kNotFound) {
        s = Slot{h, value, key};
        ++count_;
        return true;
      }
      if (s.hash == h && s.key == key) return false;
    }
  }

  std::uint32_t find(std::string_view key) const {
    if (slots_.empty()) return kNotFound;
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.value == kNotFound) return kNotFound;
      if (s.hash == h && s.key == key) return s.value;
    }
  }

  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t value = kNotFound;
    std::string_view key;
  };
  static std::uint64_t hash(std::string_view k) { return std::hash<std::string_view>{}(k); }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    count_ = 0;
    for (const Slot& s : old)
      if (s.value != kNotFound) insert(s.key, s.value);
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace mtp::engine::detail
