// Reading a judge's verdict: from a verdict object (on a record), or from a
// whole free-text reply where thinking blocks, code fences and prose are
// tolerated and the verdict is the LAST {...} giving every metric 0, 1 or 2.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "prefline/duel/detail/balanced_ends.hpp"
#include "prefline/duel/metric.hpp"
#include "prefline/text/same_text.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/text/thinking.hpp"

namespace prefline::duel {

// Thinking blocks are removed the same way for judges' replies and for
// generated answers (text/thinking.hpp); the name stays callable here.
using prefline::strip_thinking;

// A verdict object: every metric at 0, 1 or 2 (numbers, or strings "0".."2").
// A metric given twice counts by its first occurrence (a judge's reply), or,
// with `repeated`, makes the verdict bad and is named there (a verdict on a
// record); other keys are ignored. Fills out[0..metrics) and returns true,
// or returns false.
[[gnu::flatten]] inline bool read_verdict(simdjson::dom::object object, const std::vector<Metric>& metrics, std::uint8_t* out,
                         std::string_view* repeated = nullptr) {
  constexpr std::uint8_t unseen = 0xff;
  std::fill(out, out + metrics.size(), unseen);
  std::size_t seen = 0;
  std::size_t position = 0;  // verdicts usually list the metrics in order: try that one first
  for (auto field : object) {
    std::size_t m = position;
    ++position;
    if (m >= metrics.size() || !same_text(metrics[m].name, field.key)) {
      m = 0;
      while (m < metrics.size() && !same_text(metrics[m].name, field.key)) ++m;
    }
    if (m == metrics.size()) continue;
    if (out[m] != unseen) {
      if (repeated == nullptr) continue;
      *repeated = metrics[m].name;
      return false;
    }
    const simdjson::dom::element value = field.value;
    std::int64_t number = -1;
    switch (value.type()) {  // one look at the type (is_int64() and then get_int64() were two)
      case simdjson::dom::element_type::INT64:
        number = value.get_int64().value_unsafe();
        break;
      case simdjson::dom::element_type::STRING: {
        const std::string_view s = value.get_string().value_unsafe();
        if (s == "0" || s == "1" || s == "2") number = s[0] - '0';
        break;
      }
      case simdjson::dom::element_type::DOUBLE: {
        const double d = value.get_double().value_unsafe();
        if (d == 0 || d == 1 || d == 2) number = static_cast<std::int64_t>(d);
        break;
      }
      default:
        break;  // a number beyond int64 (UINT64), or not a number
    }
    if (number < 0 || number > 2) return false;
    out[m] = static_cast<std::uint8_t>(number);
    ++seen;
  }
  return seen == metrics.size();
}

inline std::optional<Verdict> read_verdict(simdjson::dom::object object, const std::vector<Metric>& metrics) {
  std::vector<std::uint8_t> values(metrics.size());
  if (!read_verdict(object, metrics, values.data())) return std::nullopt;
  return Verdict(values.begin(), values.end());
}

// The verdict of a judge's reply: thinking blocks removed, the last {...}
// that is a JSON object with every metric at a valid value (objects inside
// another JSON object are not verdicts of their own). Linear in the reply
// (BalancedEnds), but for a {...} that is not valid JSON, whose inner
// objects are tried in turn; one nested deeper than the JSON parser's limit
// is not tried.
inline std::optional<Verdict> parse_reply(std::string_view reply, const std::vector<Metric>& metrics) {
  const std::string text = strip_thinking(reply);
  thread_local simdjson::dom::parser parser;
  std::optional<Verdict> last;
  detail::with_balanced_ends(text, [&](auto& balanced) {
    for (std::size_t i = text.find('{'); i != std::string::npos; i = text.find('{', i + 1)) {
      const std::size_t end = balanced.end(i);
      if (end == std::string_view::npos || balanced.depth(i) > simdjson::DEFAULT_MAX_DEPTH) continue;
      // A JSON object starts with '{' then '"' or '}' (after any whitespace).
      const std::size_t first = text.find_first_not_of(" \t\r\n", i + 1);
      if (text[first] != '"' && text[first] != '}') continue;
      simdjson::dom::element element;
      if (parser.parse(text.data() + i, end - i).get(element) || !element.is_object()) continue;
      if (auto verdict = read_verdict(element.get_object().value_unsafe(), metrics)) last = std::move(verdict);
      i = end - 1;  // the objects inside this one are not verdicts of their own
    }
  });
  return last;
}

}  // namespace prefline::duel
