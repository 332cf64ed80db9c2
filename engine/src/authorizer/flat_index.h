// Open-addressing hash tables for the hot path, built once per snapshot and then only read.
//
// An id is read once per request into an IdKey: three 8-byte words that determine it with its
// length (ids of up to 24 bytes: MTP's ids are 24 hex characters) and a 64-bit hash of those
// words (two 64x64->128-bit multiplies; ids longer than 24 bytes are hashed with XXH3 and
// compared in full in the dense record). An id table (IdTable) holds one 32-byte slot per id,
// the words inline next to what a decision reads of it, so finding an admin or an org and
// reading its flags is one compare of three words and a length in one cache line. The grant
// table (GrantTable) is keyed by the pair of the two ids' hashes, so its slot's address is
// known from the request's strings alone: the admin, org and grant lines are fetched at the
// same time, not one after the other. Linear probing over power-of-two tables.
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

// Ids of up to kInlineKey bytes are held inline in a slot; longer ones by their first
// kInlineKey bytes, marked kLongKey, and compared in full with the dense record.
inline constexpr std::size_t kInlineKey = 24;
inline constexpr std::uint8_t kLongKey = 0xff;
inline constexpr std::uint8_t kEmptyKey = 0xfe;  // an empty slot's length: no id matches it

inline std::uint64_t load8(const char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; }
inline std::uint64_t load4(const char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; }

// An id as the tables compare it: three words that, with `len`, determine the id (bytes 0-7,
// 8-15 and the last 8 for 16-24 bytes; overlapping loads within the id for shorter ones, so
// nothing past its end is read), and the hash every table indexes it by (by its high bits).
struct IdKey {
  std::uint64_t w[3] = {0, 0, 0};
  std::uint64_t hash = 0;
  std::uint8_t len = 0;  // the id's length, or kLongKey
};

// The hash of an id of at most kInlineKey bytes, from its words: a chain of three multiplies,
// whose high bits depend on every bit of the words (the tables index by the high bits).
inline std::uint64_t inlineKeyHash(const std::uint64_t (&w)[3], std::size_t n) {
  std::uint64_t h = (w[0] ^ 0xa0761d6478bd642full) * 0xe7037ed1a0b428dbull;
  h = (h ^ w[1]) * 0x8ebc6af09c88c6e3ull;
  return (h ^ w[2] ^ n) * 0x589965cc75374cc3ull;
}

// idKey for ids of other lengths than 16-24 bytes (out of line: the hot path reads 24).
[[gnu::noinline]] inline IdKey otherIdKey(std::string_view id) {
  const char* p = id.data();
  const std::size_t n = id.size();
  IdKey k;
  if (n > kInlineKey) {
    k.w[0] = load8(p);
    k.w[1] = load8(p + 8);
    k.w[2] = load8(p + 16);
    k.len = kLongKey;
    k.hash = XXH3_64bits(p, n);
    return k;
  }
  if (n >= 16) {
    k.w[0] = load8(p);
    k.w[1] = load8(p + 8);
    k.w[2] = load8(p + n - 8);
  } else if (n >= 8) {
    k.w[0] = load8(p);
    k.w[1] = load8(p + n - 8);
  } else if (n >= 4) {
    k.w[0] = load4(p) | (load4(p + n - 4) << 32);
  } else if (n > 0) {
    k.w[0] = static_cast<std::uint8_t>(p[0]) | (std::uint64_t{static_cast<std::uint8_t>(p[n / 2])} << 8) |
             (std::uint64_t{static_cast<std::uint8_t>(p[n - 1])} << 16);
  }
  k.len = static_cast<std::uint8_t>(n);
  k.hash = inlineKeyHash(k.w, n);
  return k;
}

[[gnu::always_inline]] inline IdKey idKey(std::string_view id) {
  const std::size_t n = id.size();
  if (n < 16 || n > kInlineKey) [[unlikely]] return otherIdKey(id);
  const char* p = id.data();
  IdKey k;
  k.w[0] = load8(p);
  k.w[1] = load8(p + 8);
  k.w[2] = load8(p + n - 8);
  k.len = static_cast<std::uint8_t>(n);
  k.hash = inlineKeyHash(k.w, n);
  return k;
}

inline std::uint64_t hashId(std::string_view id) { return idKey(id).hash; }

// The grant table's hash of an (admin, org) pair from the two ids' hashes (its high bits
// index the table).
inline std::uint64_t pairHash(std::uint64_t admin_hash, std::uint64_t org_hash) {
  return admin_hash ^ (org_hash * 0x9E3779B97F4A7C15ull);
}

// Capacity for n entries: a power of two at least 1.5 n (load at most 2/3).
inline std::size_t tableCapacity(std::size_t n) {
  std::size_t cap = 16;
  while (cap < n + n / 2) cap <<= 1;
  return cap;
}

// Slot: a standard-layout struct with `std::uint64_t key[3]`, `std::uint32_t index`
// (kNotFound: empty) and `std::uint8_t key_len` (kEmptyKey when empty).
// REQUIRES of both tables: reserve() before any other call (a table always has at least 16
// slots, so lookups need no emptiness test).
// Whether the long id of slot `index` is `key` (out of line: the hot path's ids are inline).
template <class LongKey>
[[gnu::noinline, gnu::cold]] bool sameLongKey(const LongKey& long_key, std::uint32_t index, std::string_view key) {
  return long_key(index) == key;
}

template <class Slot>
class IdTable {
 public:
  static_assert(sizeof(Slot::key) == kInlineKey);

  // At most 2/3 full: the smaller table stays in cache more than a second probe costs.
  static std::size_t bytesFor(std::size_t n) { return tableCapacity(n) * sizeof(Slot); }
  // REQUIRES: `memory` holds bytesFor(n) bytes, aligned for Slot, and outlives the table.
  void reserve(std::size_t n, void* memory) {
    count_ = tableCapacity(n);
    slots_ = static_cast<Slot*>(memory);
    for (std::size_t i = 0; i < count_; ++i) ::new (static_cast<void*>(slots_ + i)) Slot{};
    mask_ = count_ - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(count_));
  }

  // Inserts a slot for `key` (its index and payload already set in `slot`); LongKey:
  // std::string_view(std::uint32_t index). REQUIRES: reserve() for every insert. False on a
  // duplicate key.
  template <class LongKey>
  bool insert(std::string_view key, const IdKey& k, Slot slot, const LongKey& long_key) {
    if (find(key, k, long_key) != nullptr) return false;
    for (int w = 0; w < 3; ++w) slot.key[w] = k.w[w];
    slot.key_len = k.len;
    for (std::size_t i = home(k.hash);; i = (i + 1) & mask_) {
      if (slots_[i].index == kNotFound) {
        slots_[i] = slot;
        return true;
      }
    }
  }

  template <class LongKey>
  const Slot* find(std::string_view key, const IdKey& k, const LongKey& long_key) const {
    for (std::size_t i = home(k.hash);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      const std::uint64_t diff = (s.key[0] ^ k.w[0]) | (s.key[1] ^ k.w[1]) | (s.key[2] ^ k.w[2]) |
                                 static_cast<std::uint64_t>(s.key_len ^ k.len);
      if (diff == 0) [[likely]] {
        if (k.len != kLongKey || sameLongKey(long_key, s.index, key)) [[likely]] return &s;
      } else if (s.index == kNotFound) {
        return nullptr;
      }
    }
  }

  // The home slot's line and the next slot's (the next line when the home slot ends its line:
  // where a displaced key most often is).
  void prefetch(std::uint64_t h) const {
    const std::size_t i = home(h);
    __builtin_prefetch(&slots_[i]);
    __builtin_prefetch(&slots_[(i + 1) & mask_]);
  }
  std::size_t bytes() const { return count_ * sizeof(Slot); }

 private:
  std::size_t home(std::uint64_t h) const { return static_cast<std::size_t>(h >> shift_); }
  Slot* slots_ = nullptr;  // in the snapshot's HotArena
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

// One org grant in the grant table: 16 bytes, four to a cache line.
struct GrantSlot {
  std::uint64_t key = kEmpty;  // keyOf(dense admin index, dense org index); kEmpty: empty
  std::uint16_t role = 0xffff;  // RoleId; kNoRole: the admin's default role
  std::uint8_t expiry = 0;      // kNever, kInline (`until` is the time), kFar (`until` is
                                // the dense grant index, whose expires_at is the time)
  std::uint8_t unused = 0;
  std::uint32_t until = 0;
  static constexpr std::uint8_t kNever = 0, kInlineTime = 1, kFar = 2;
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static std::uint64_t keyOf(std::uint32_t admin, std::uint32_t org) {
    return (std::uint64_t{admin} << 32) | org;
  }
  std::uint32_t admin() const { return static_cast<std::uint32_t>(key >> 32); }
  std::uint32_t org() const { return static_cast<std::uint32_t>(key); }
};
static_assert(sizeof(GrantSlot) == 16);

class GrantTable {
 public:
  static std::size_t bytesFor(std::size_t n) { return tableCapacity(n) * sizeof(GrantSlot); }
  // REQUIRES: `memory` holds bytesFor(n) bytes, aligned for GrantSlot, and outlives the table.
  void reserve(std::size_t n, void* memory) {
    count_ = tableCapacity(n);
    slots_ = static_cast<GrantSlot*>(memory);
    for (std::size_t i = 0; i < count_; ++i) ::new (static_cast<void*>(slots_ + i)) GrantSlot{};
    mask_ = count_ - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(count_));
  }
  // REQUIRES: reserve() for every insert; (admin, org) not inserted before.
  void insert(std::uint64_t pair_hash, const GrantSlot& g) {
    for (std::size_t i = home(pair_hash);; i = (i + 1) & mask_) {
      if (slots_[i].key == GrantSlot::kEmpty) {
        slots_[i] = g;
        return;
      }
    }
  }
  const GrantSlot* find(std::uint64_t pair_hash, std::uint32_t admin, std::uint32_t org) const {
    const std::uint64_t key = GrantSlot::keyOf(admin, org);
    for (std::size_t i = home(pair_hash);; i = (i + 1) & mask_) {
      const GrantSlot& s = slots_[i];
      if (s.key == key) return &s;
      if (s.key == GrantSlot::kEmpty) return nullptr;
    }
  }
  void prefetch(std::uint64_t pair_hash) const {
    __builtin_prefetch(&slots_[home(pair_hash)]);
  }
  std::size_t bytes() const { return count_ * sizeof(GrantSlot); }

 private:
  std::size_t home(std::uint64_t pair_hash) const { return static_cast<std::size_t>(pair_hash >> shift_); }
  GrantSlot* slots_ = nullptr;  // in the snapshot's HotArena
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

// The provider index stays a small map from id to index (few providers, not on the hot path).
class StringIndex {
 public:
  void reserve(std::size_t n) {
    slots_.assign(tableCapacity(n), Slot{});
    mask_ = slots_.size() - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(slots_.size()));
  }
  template <class KeyOf>
  bool insert(std::string_view key, std::uint32_t value, const KeyOf& key_of) {
    const std::uint64_t h = hashId(key);
    for (std::size_t i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask_) {
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
    for (std::size_t i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask_) {
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
  unsigned shift_ = 64;
};

}  // namespace mtp::engine::detail
