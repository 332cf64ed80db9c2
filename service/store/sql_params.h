// Bound parameters for SQL assembled at run time (lists with filters): every value is bound
// by name (`:p0`, `:p1`, ...); only whitelisted identifiers are ever written into the text.
// Internal to the store; not thread-safe (one per statement).
#pragma once

#include <soci/soci.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace mtp::store::detail {

class SqlParams {
 public:
  // Returns the placeholder to write into the SQL text.
  std::string text(std::string v) {
    strings_.push_back(std::move(v));
    return add(Kind::kText, strings_.size() - 1, soci::i_ok);
  }
  std::string optText(const std::optional<std::string>& v) {
    strings_.push_back(v.value_or(""));
    return add(Kind::kText, strings_.size() - 1, v ? soci::i_ok : soci::i_null);
  }
  std::string integer(long long v) {
    ints_.push_back(v);
    return add(Kind::kInt, ints_.size() - 1, soci::i_ok);
  }
  std::string optInteger(const std::optional<long long>& v) {
    ints_.push_back(v.value_or(0));
    return add(Kind::kInt, ints_.size() - 1, v ? soci::i_ok : soci::i_null);
  }
  std::string boolean(bool v) { return integer(v ? 1 : 0); }

  template <class Binder>
  void bind(Binder& pt) {
    for (Entry& e : entries_) {
      if (e.kind == Kind::kText) {
        pt, soci::use(strings_[e.index], e.ind, e.name);
      } else {
        pt, soci::use(ints_[e.index], e.ind, e.name);
      }
    }
  }

 private:
  enum class Kind { kText, kInt };
  struct Entry {
    Kind kind;
    std::size_t index;
    soci::indicator ind;
    std::string name;
  };
  std::string add(Kind kind, std::size_t index, soci::indicator ind) {
    std::string name = "p" + std::to_string(entries_.size());
    entries_.push_back({kind, index, ind, name});
    return ":" + name;
  }
  std::deque<std::string> strings_;
  std::deque<long long> ints_;
  std::deque<Entry> entries_;  // stable addresses: soci keeps pointers to the indicators
};

}  // namespace mtp::store::detail
