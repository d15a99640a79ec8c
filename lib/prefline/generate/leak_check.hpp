// The leak check of generate (--leak-check FIELD --leak-ngram N): a challenger
// answer is written from a prompt that holds hidden reference information
// (the solved PR) under a rule not to repeat it; a reply that repeats N words
// in a row of that reference has leaked it and is marked. Linear in the two
// texts: the reference's N-word sequences are hashed into a set (a rolling
// hash over per-word hashes), then the reply's are looked up one by one and
// a hit is confirmed word by word, so a hash collision never reports a leak.
//
// Words: maximal runs of bytes that are not ASCII whitespace (space, tab,
// LF, CR, FF, VT), compared after ASCII letters are lowercased and leading
// and trailing ASCII punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~) is
// stripped; a word left empty (a lone "--" or "*") is skipped, so the words
// around it are neighbours. Non-ASCII bytes are compared as they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefline/random/hashing.hpp"

namespace prefline::generate {

class LeakCheck {
 public:
  // `ngram`: words per sequence, >= 1 (0 throws std::invalid_argument).
  explicit LeakCheck(std::size_t ngram) : ngram_(ngram) {
    if (ngram == 0) throw std::invalid_argument("LeakCheck: ngram must be at least 1");
  }

  std::size_t ngram() const { return ngram_; }

  // The first `ngram`-word sequence of `reply` that also appears in
  // `reference`, as its compared words (lowercased, punctuation stripped)
  // joined by one space, or nullopt.
  std::optional<std::string> find(std::string_view reference, std::string_view reply) const {
    const Words source(reference);
    const Words answer(reply);
    if (source.size() < ngram_ || answer.size() < ngram_) return std::nullopt;
    const std::uint64_t top = power(base, ngram_ - 1);  // weight of the word leaving the window
    // n-gram hash -> its first word. Only the first sequence with a given hash
    // is kept: a repeated sequence needs one entry, and two different ones
    // sharing a 64-bit hash (odds ~ words^2 / 2^64) could only hide a leak.
    std::unordered_map<std::uint64_t, std::uint32_t> starts;
    starts.reserve(source.size() - ngram_ + 1);
    std::uint64_t rolling = 0;
    for (std::size_t i = 0; i < source.size(); ++i) {
      if (i >= ngram_) rolling -= source.hash(i - ngram_) * top;
      rolling = rolling * base + source.hash(i);
      if (i + 1 >= ngram_) starts.try_emplace(rolling, static_cast<std::uint32_t>(i + 1 - ngram_));
    }
    rolling = 0;
    for (std::size_t i = 0; i < answer.size(); ++i) {
      if (i >= ngram_) rolling -= answer.hash(i - ngram_) * top;
      rolling = rolling * base + answer.hash(i);
      if (i + 1 < ngram_) continue;
      const std::size_t start = i + 1 - ngram_;
      const auto hit = starts.find(rolling);
      if (hit == starts.end() || !same_words(source, hit->second, answer, start)) continue;
      std::string text;
      for (std::size_t k = 0; k < ngram_; ++k) {
        if (k > 0) text += ' ';
        text += answer.word(start + k);
      }
      return text;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::uint64_t base = 0x9E3779B97F4A7C15ull;  // odd, so the polynomial hash mixes every word

  static std::uint64_t power(std::uint64_t x, std::size_t n) {
    std::uint64_t result = 1;
    for (; n > 0; n >>= 1, x *= x)
      if (n & 1) result *= x;
    return result;
  }

  static bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
  static bool is_punctuation(unsigned char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
  }

  // The compared words of a text: views into its lowercased copy, each with
  // its hash.
  class Words {
   public:
    Words(const Words&) = delete;  // the views point into lower_
    Words& operator=(const Words&) = delete;
    explicit Words(std::string_view text) : lower_(text) {
      for (char& c : lower_)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      const std::string_view all(lower_);
      std::size_t p = 0;
      while (p < all.size()) {
        while (p < all.size() && is_space(static_cast<unsigned char>(all[p]))) ++p;
        std::size_t end = p;
        while (end < all.size() && !is_space(static_cast<unsigned char>(all[end]))) ++end;
        std::size_t first = p, last = end;
        while (first < last && is_punctuation(static_cast<unsigned char>(all[first]))) ++first;
        while (last > first && is_punctuation(static_cast<unsigned char>(all[last - 1]))) --last;
        if (first < last) {
          words_.push_back(all.substr(first, last - first));
          hashes_.push_back(stable_hash(words_.back(), 0));
        }
        p = end;
      }
    }
    std::size_t size() const { return words_.size(); }
    std::string_view word(std::size_t i) const { return words_[i]; }
    std::uint64_t hash(std::size_t i) const { return hashes_[i]; }

   private:
    std::string lower_;
    std::vector<std::string_view> words_;
    std::vector<std::uint64_t> hashes_;
  };

  bool same_words(const Words& a, std::size_t a_start, const Words& b, std::size_t b_start) const {
    for (std::size_t k = 0; k < ngram_; ++k)
      if (a.word(a_start + k) != b.word(b_start + k)) return false;
    return true;
  }

  std::size_t ngram_;
};

}  // namespace prefline::generate
