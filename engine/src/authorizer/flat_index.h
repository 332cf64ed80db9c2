// An open-addressing hash index from string ids to dense record indices, built once per
// snapshot and then only read. A slot is 8 bytes (32 bits of the hash and the index), so the
// table of 10,000 ids fits in 256 KiB of cache; the key itself is compared in the record the
// caller reads anyway (`key_of`), so a hit costs no extra memory access.
// Linear probing over a power-of-two table, at most half full.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace mtp::engine::detail {

inline constexpr std::uint32_t kNotFound = 0xffffffffu;

class StringIndex {
 public:
  void reserve(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
  }

  // KeyOf: std::string_view(std::uint32_t value), the key of an indexed value.
  // REQUIRES: reserve() for at least the number of values inserted. False on a duplicate key.
  template <class KeyOf>
  bool insert(std::string_view key, std::uint32_t value, const KeyOf& key_of) {
    const std::uint32_t tag = tagOf(key);
    for (std::size_t i = start(key); ; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.value == kNotFound) {
        s = Slot{tag, value};
        return true;
      }
      if (s.tag == tag && key_of(s.value) == key) return false;
    }
  }

  template <class KeyOf>
  std::uint32_t find(std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return kNotFound;
    const std::uint32_t tag = tagOf(key);
    for (std::size_t i = start(key); ; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.value == kNotFound) return kNotFound;
      if (s.tag == tag && key_of(s.value) == key) return s.value;
    }
  }

  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t value = kNotFound;
  };
  static std::uint64_t hash(std::string_view k) { return std::hash<std::string_view>{}(k); }
  static std::uint32_t tagOf(std::string_view k) { return static_cast<std::uint32_t>(hash(k) >> 32); }
  std::size_t start(std::string_view k) const { return hash(k) & (slots_.size() - 1); }
  std::vector<Slot> slots_;
};

}  // namespace mtp::engine::detail
