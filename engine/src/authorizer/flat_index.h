// Open-addressing hash tables for the hot path, built once per snapshot and then only read.
//
// Ids are hashed once per request with XXH3 (hashId). An id table (IdTable) holds one 64-byte
// slot per id, the id inline (up to Slot::kInline bytes; a longer id is compared in the dense
// record instead) next to what a decision reads of it, so finding an admin or an org and
// reading its flags is one cache line. The grant table (GrantTable) is keyed by the pair of the
// two ids' hashes, so its slot's address is known from the request's strings alone: the
// admin, org and grant lines are fetched at the same time, not one after the other.
// Linear probing over power-of-two tables.
#pragma once

#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace mtp::engine::detail {

inline constexpr std::uint32_t kNotFound = 0xffffffffu;

inline std::uint64_t hashId(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

// The grant table's hash of an (admin, org) pair from the two ids' hashes.
inline std::uint64_t pairHash(std::uint64_t admin_hash, std::uint64_t org_hash) {
  std::uint64_t h = admin_hash ^ (org_hash * 0x9E3779B97F4A7C15ull);
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

// Whether the n bytes at `a` and `b` are equal, inline: overlapping 16-, 8-, 4-byte loads that
// stay within the n bytes (ids are short; a call to memcmp costs more than the compare).
inline bool sameBytes(const char* a, const char* b, std::size_t n) {
  auto load8 = [](const char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; };
  auto load4 = [](const char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; };
  if (n > 32) {
    std::uint64_t diff = 0;
    std::size_t i = 0;
    for (; i + 16 < n; i += 16) diff |= (load8(a + i) ^ load8(b + i)) | (load8(a + i + 8) ^ load8(b + i + 8));
    diff |= (load8(a + n - 16) ^ load8(b + n - 16)) | (load8(a + n - 8) ^ load8(b + n - 8));
    return diff == 0;
  }
  if (n >= 16)  // the first 16 and the last 16 bytes (they overlap below 32)
    return ((load8(a) ^ load8(b)) | (load8(a + 8) ^ load8(b + 8)) | (load8(a + n - 16) ^ load8(b + n - 16)) |
            (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
  if (n >= 8) return ((load8(a) ^ load8(b)) | (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
  if (n >= 4) return ((load4(a) ^ load4(b)) | (load4(a + n - 4) ^ load4(b + n - 4))) == 0;
  if (n == 0) return true;
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

// Capacity for n entries: a power of two at least 1.5 n (load at most 2/3).
inline std::size_t tableCapacity(std::size_t n) {
  std::size_t cap = 16;
  while (cap < n + n / 2) cap <<= 1;
  return cap;
}

// Slot: a standard-layout struct with `std::uint32_t index` (kNotFound: empty),
// `std::uint8_t key_len`, `char key[N]` (kInline = N) and optionally `std::uint64_t hash` (then
// compared before the key).
// REQUIRES of both tables: reserve() before any other call (a table always has at least 16
// slots, so lookups need no emptiness test).
template <class Slot>
class IdTable {
 public:
  static constexpr std::size_t kInline = sizeof(Slot::key);
  static constexpr std::uint8_t kLongKey = 0xff;
  static_assert(kInline < kLongKey);
  static constexpr bool kHasHash = requires(Slot s) { s.hash; };

  // At most 2/3 full: the smaller table stays in cache more than a second probe costs.
  static std::size_t bytesFor(std::size_t n) { return tableCapacity(n) * sizeof(Slot); }
  // REQUIRES: `memory` holds bytesFor(n) bytes, aligned for Slot, and outlives the table.
  void reserve(std::size_t n, void* memory) {
    count_ = tableCapacity(n);
    slots_ = static_cast<Slot*>(memory);
    for (std::size_t i = 0; i < count_; ++i) ::new (static_cast<void*>(slots_ + i)) Slot{};
    mask_ = count_ - 1;
  }

  // Inserts a slot for `key` (its index and payload already set in `slot`); LongKey:
  // std::string_view(std::uint32_t index). REQUIRES: reserve() for every insert. False on a
  // duplicate key.
  template <class LongKey>
  bool insert(std::string_view key, std::uint64_t h, Slot slot, const LongKey& long_key) {
    if (find(key, h, long_key) != nullptr) return false;
    if constexpr (kHasHash) slot.hash = h;
    if (key.size() <= kInline) {
      slot.key_len = static_cast<std::uint8_t>(key.size());
      std::memset(slot.key, 0, kInline);
      std::memcpy(slot.key, key.data(), key.size());
    } else {
      slot.key_len = kLongKey;
    }
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].index == kNotFound) {
        slots_[i] = slot;
        return true;
      }
    }
  }

  template <class LongKey>
  const Slot* find(std::string_view key, std::uint64_t h, const LongKey& long_key) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == kNotFound) return nullptr;
      if constexpr (kHasHash) {
        if (s.hash != h) continue;
      }
      if (s.key_len == kLongKey ? long_key(s.index) == key
                                : s.key_len == key.size() && sameBytes(s.key, key.data(), key.size()))
        return &s;
    }
  }

  // Calls f(Slot&) for every filled slot (to add what is computed after the ids are indexed).
  template <class F>
  void forEach(const F& f) {
    for (std::size_t i = 0; i < count_; ++i)
      if (slots_[i].index != kNotFound) f(slots_[i]);
  }

  void prefetch(std::uint64_t h) const {
    __builtin_prefetch(&slots_[h & mask_]);
  }
  std::size_t bytes() const { return count_ * sizeof(Slot); }

 private:
  Slot* slots_ = nullptr;  // in the snapshot's HotArena
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
};

// One org grant in the grant table: 16 bytes, four to a cache line.
struct GrantSlot {
  std::uint32_t admin = kNotFound;  // dense admin index; kNotFound: empty
  std::uint32_t org = 0;            // dense org index
  std::uint16_t role = 0xffff;      // RoleId; kNoRole: the admin's default role
  std::uint8_t expiry = 0;          // kNever, kInline (`until` is the time), kFar (`until` is
                                    // the dense grant index, whose expires_at is the time)
  std::uint8_t unused = 0;
  std::uint32_t until = 0;
  static constexpr std::uint8_t kNever = 0, kInlineTime = 1, kFar = 2;
};

class GrantTable {
 public:
  static std::size_t bytesFor(std::size_t n) { return tableCapacity(n) * sizeof(GrantSlot); }
  // REQUIRES: `memory` holds bytesFor(n) bytes, aligned for GrantSlot, and outlives the table.
  void reserve(std::size_t n, void* memory) {
    count_ = tableCapacity(n);
    slots_ = static_cast<GrantSlot*>(memory);
    for (std::size_t i = 0; i < count_; ++i) ::new (static_cast<void*>(slots_ + i)) GrantSlot{};
    mask_ = count_ - 1;
  }
  // REQUIRES: reserve() for every insert; (admin, org) not inserted before.
  void insert(std::uint64_t pair_hash, const GrantSlot& g) {
    for (std::size_t i = pair_hash & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].admin == kNotFound) {
        slots_[i] = g;
        return;
      }
    }
  }
  const GrantSlot* find(std::uint64_t pair_hash, std::uint32_t admin, std::uint32_t org) const {
    for (std::size_t i = pair_hash & mask_;; i = (i + 1) & mask_) {
      const GrantSlot& s = slots_[i];
      if (s.admin == kNotFound) return nullptr;
      if (s.admin == admin && s.org == org) return &s;
    }
  }
  void prefetch(std::uint64_t pair_hash) const {
    __builtin_prefetch(&slots_[pair_hash & mask_]);
  }
  std::size_t bytes() const { return count_ * sizeof(GrantSlot); }

 private:
  GrantSlot* slots_ = nullptr;  // in the snapshot's HotArena
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
};

// The provider index stays a small map from id to index (few providers, not on the hot path).
class StringIndex {
 public:
  void reserve(std::size_t n) {
    slots_.assign(tableCapacity(n), Slot{});
    mask_ = slots_.size() - 1;
  }
  template <class KeyOf>
  bool insert(std::string_view key, std::uint32_t value, const KeyOf& key_of) {
    const std::uint64_t h = hashId(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kNotFound) {
        s = Slot{h, value};
        return true;
      }
      if (s.hash == h && key_of(s.value) == key) return false;
    }
  }
  template <class KeyOf>
  std::uint32_t find(std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return kNotFound;
    const std::uint64_t h = hashId(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kNotFound) return kNotFound;
      if (s.hash == h && key_of(s.value) == key) return s.value;
    }
  }
  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t value = kNotFound;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace mtp::engine::detail
