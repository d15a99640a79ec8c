// Neutralising the candidates before a judge sees them: nothing inside an
// answer may steer the judge (no verdict-shaped objects, no MODEL 1 / MODEL 2
// labels), and the fence line around each answer is one neither contains.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/duel/detail/balanced_ends.hpp"
#include "prefline/duel/metric.hpp"
#include "prefline/random/hashing.hpp"

namespace prefline::duel {

namespace detail {
inline bool contains_ci(std::string_view text, std::string_view needle) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(text[i + j]) == lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

inline void replace_all_ci(std::string& text, std::string_view needle, std::string_view with) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = 0;
    while (j < needle.size() && i + j < text.size() && lower(text[i + j]) == lower(needle[j])) ++j;
    if (j == needle.size()) {
      out.append(with);
      i += needle.size();
    } else {
      out.push_back(text[i++]);
    }
  }
  text = std::move(out);
}
}  // namespace detail

inline constexpr std::string_view removed_verdict = "[verdict-like text removed]";
inline constexpr std::string_view removed_label = "[label removed]";

// Removes from a candidate answer what could pass for a verdict or for the
// prompt's own labels: any {...} that names a metric, and the words
// "MODEL 1" / "MODEL 2" (any case). The rest of the answer is unchanged. A
// {...} that names no metric is kept whole (nothing inside it names one).
inline std::string neutralise(std::string_view answer, const std::vector<Metric>& metrics) {
  std::string text;
  text.reserve(answer.size());
  std::vector<std::string> names;
  for (const auto& metric : metrics) {
    names.push_back("\"" + metric.name + "\"");
    names.push_back("'" + metric.name + "'");
  }
  detail::with_balanced_ends(answer, [&](auto& balanced) {
    for (std::size_t i = 0; i < answer.size();) {
      const std::size_t open = answer.find('{', i);
      if (open == std::string_view::npos) {
        text.append(answer.substr(i));
        break;
      }
      text.append(answer.substr(i, open - i));
      const std::size_t end = balanced.end(open);
      if (end == std::string_view::npos) {
        text.push_back('{');
        i = open + 1;
        continue;
      }
      const std::string_view object = answer.substr(open, end - open);
      bool verdict_like = false;
      for (const auto& name : names) verdict_like = verdict_like || detail::contains_ci(object, name);
      if (verdict_like) text.append(removed_verdict);
      else text.append(object);
      i = end;
    }
  });
  detail::replace_all_ci(text, "model 1", removed_label);
  detail::replace_all_ci(text, "model 2", removed_label);
  detail::replace_all_ci(text, "model_1", removed_label);
  detail::replace_all_ci(text, "model_2", removed_label);
  return text;
}

// A fence line that neither answer contains, derived from their bytes (so
// the prompt, and its cache key, are the same in every run).
inline std::string boundary_for(std::string_view first, std::string_view second, std::uint64_t seed) {
  for (std::uint64_t attempt = 0;; ++attempt) {
    const std::uint64_t hash = stable_hash(std::string(first) + '\0' + std::string(second), seed + attempt);
    std::string boundary = fmt::format("=====ANSWER-{:016x}=====", hash);
    if (first.find(boundary) == std::string_view::npos && second.find(boundary) == std::string_view::npos)
      return boundary;
  }
}

}  // namespace prefline::duel
