#include "policy/suggest.h"

#include <algorithm>
#include <vector>

#include "policy/diagnostic_sink.h"

namespace mtp::engine::detail {

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string_view closest(std::string_view word, std::span<const std::string_view> candidates) {
  // Long garbage gets no hint; comparing it with every candidate would only cost time.
  if (word.empty() || word.size() > 64) return {};
  std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string_view best;
  std::size_t best_d = limit + 1;
  for (std::string_view c : candidates) {
    std::size_t d = editDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view c = closest(word, candidates);
  if (c.empty() || c == word) return {};
  return "; did you mean " + ticked(c) + "?";
}

}  // namespace mtp::engine::detail
