// Balanced {...} spans of a text in linear time overall: what neutralising
// answers and parsing judges' replies both need to find JSON-like objects in
// free text without rescanning it once per brace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace prefline::duel::detail {

// The balanced {...} of a text: for a '{', the end of the {...} it opens
// (one past its '}'), or npos when it never closes. Braces count outside
// strings; a string starts at a '"' after that '{' (a quote before it does
// not matter), and a backslash in a string escapes the next byte. Answered
// for any '{' in linear time overall: a scan from one '{' settles every '{'
// it meets outside a string (from there the scan is the one that '{' would
// make itself), and a later scan jumps over the spans already settled. (A
// text whose braces never close would otherwise be scanned to its end once
// per '{'.) Index: an unsigned type that holds the text's size.
template <typename Index>
class BalancedEnds {
 public:
  static constexpr std::size_t npos = std::string_view::npos;

  explicit BalancedEnds(std::string_view text) : text_(text) {
    for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1))
      opens_.push_back(static_cast<Index>(at));
    ends_.assign(opens_.size(), unknown);
    depths_.assign(opens_.size(), 0);
  }

 private:
  struct Open {
    std::size_t k;
    Index depth;  // the deepest span closed inside it so far
  };

 public:
  // text[open] must be '{'.
  std::size_t end(std::size_t open) { return from_index(ends_[settle_from(ordinal(open))]); }

  // How many '{' of the {...} at `open` are open at once at most, itself
  // included; 0 when it never closes.
  std::size_t depth(std::size_t open) {
    const std::size_t k = settle_from(ordinal(open));
    return ends_[k] == unclosed ? 0 : depths_[k];
  }

 private:
  static constexpr Index unknown = std::numeric_limits<Index>::max();
  static constexpr Index unclosed = unknown - 1;

  static std::size_t from_index(Index end) { return end == unclosed ? npos : end; }

  std::size_t ordinal(std::size_t position) const {
    return static_cast<std::size_t>(std::lower_bound(opens_.begin(), opens_.end(), position) - opens_.begin());
  }

  // Settles '{' number k (and what its scan meets); returns k.
  std::size_t settle_from(std::size_t k) {
    if (ends_[k] != unknown) return k;
    stack_.clear();
    stack_.push_back({k, 0});
    bool in_string = false;
    std::size_t next = k + 1;  // ordinal of a '{' at or before the next one outside a string
    for (std::size_t i = opens_[k] + 1; i < text_.size(); ++i) {
      const char c = text_[i];
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        while (opens_[next] < i) ++next;  // past the '{' inside strings
        const std::size_t inner = next++;
        if (ends_[inner] == unclosed) break;  // never closes: nor does anything open around it
        if (ends_[inner] != unknown) {  // a settled span: jump to its '}'
          stack_.back().depth = std::max(stack_.back().depth, depths_[inner]);
          i = static_cast<std::size_t>(ends_[inner]) - 1;
          next = ordinal(i);
          continue;
        }
        stack_.push_back({inner, 0});
      } else if (c == '}') {
        const Open closed = stack_.back();
        stack_.pop_back();
        ends_[closed.k] = static_cast<Index>(i + 1);
        depths_[closed.k] = static_cast<Index>(closed.depth + 1);
        if (stack_.empty()) return k;
        stack_.back().depth = std::max(stack_.back().depth, depths_[closed.k]);
      }
    }
    for (const Open& open : stack_) ends_[open.k] = unclosed;
    return k;
  }

  std::string_view text_;
  std::vector<Index> opens_;   // position of every '{'
  std::vector<Index> ends_;    // per '{': end of its span, unclosed or unknown
  std::vector<Index> depths_;  // per settled '{' with an end: its depth
  std::vector<Open> stack_;
};

// Calls f(BalancedEnds<Index>&) with the smallest Index that fits the text.
template <typename F>
decltype(auto) with_balanced_ends(std::string_view text, F&& f) {
  if (text.size() < std::numeric_limits<std::uint32_t>::max() - 2) {
    BalancedEnds<std::uint32_t> ends(text);
    return f(ends);
  }
  BalancedEnds<std::size_t> ends(text);
  return f(ends);
}

}  // namespace prefline::duel::detail
