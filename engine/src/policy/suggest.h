// "Did you mean" hints for unknown names, by edit distance.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace mtp::engine::detail {

// Levenshtein distance between `a` and `b`.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo, else empty.
std::string_view closest(std::string_view word, std::span<const std::string_view> candidates);

// "; did you mean `x`?" or "" when nothing is close.
std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace mtp::engine::detail
