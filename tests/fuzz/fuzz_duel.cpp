// Fuzz target: duel-judge's reply parser (lib/prefline/duel/reply.hpp):
// strip_thinking, parse_reply and read_verdict.
//
// Input: one control byte, then a judge's reply. The control byte picks the
// metric list (bits 0-1: the five defaults, or one metric "a", or two
// metrics one of them non-ASCII) and seeds a verdict V (values 0..2, written
// as a number, a string or a double) that the checks below plant.
//
// Checked, besides "no crash, no sanitizer report":
// - a parsed verdict has one value per metric, each 0, 1 or 2;
// - the LAST verdict wins: reply + "\n" + V parses to V, unless an unclosed
//   thinking block swallows V (then it parses as the reply alone);
// - an earlier verdict never overrides a later one: V + "\n" + reply parses
//   as the reply does, or to V when the reply has no verdict;
// - a reply that is exactly one JSON object (and has no thinking tag) parses
//   to what read_verdict gives for that object (so the brace matching of
//   parse_reply agrees with the JSON parser).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/duel/metric.hpp"
#include "prefline/duel/reply.hpp"

namespace {

namespace duel = prefline::duel;

[[noreturn]] void fail(std::string_view what, std::string_view reply) {
  std::fprintf(stderr, "fuzz_duel: %.*s; reply: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(reply.size()), reply.data());
  std::abort();
}

const std::vector<duel::Metric>& metric_set(std::uint8_t control) {
  static const std::vector<duel::Metric> sets[] = {
      duel::default_metrics(),
      duel::default_metrics(),
      {{"a", ""}},
      {{"correctness", ""}, {"\xC3\xBC" "berblick", ""}},  // "überblick"
  };
  return sets[control & 3];
}

// V: one value per metric from `seed`, each written in one of three forms.
std::string planted_verdict(const std::vector<duel::Metric>& metrics, std::uint64_t seed, duel::Verdict& values) {
  std::string text = "{";
  values.clear();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const int value = static_cast<int>(seed % 3);
    const int form = static_cast<int>((seed / 3) % 3);
    seed = seed / 9 + 0x9e3779b97f4a7c15ULL * (m + 1);
    values.push_back(value);
    if (m) text += ", ";
    text += '"' + metrics[m].name + "\": ";
    if (form == 0) text += std::to_string(value);
    else if (form == 1) text += '"' + std::to_string(value) + '"';
    else text += std::to_string(value) + ".0";
  }
  return text + "}";
}

void check_shape(const std::optional<duel::Verdict>& verdict, const std::vector<duel::Metric>& metrics,
                 std::string_view reply) {
  if (!verdict) return;
  if (verdict->size() != metrics.size()) fail("verdict has the wrong number of values", reply);
  for (int value : *verdict)
    if (value < 0 || value > 2) fail("verdict value outside 0..2", reply);
}

bool has_thinking_tag(std::string_view text) {
  return text.find("<think") != std::string_view::npos || text.find("</think") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::vector<duel::Metric>& metrics = metric_set(control);
  const std::string_view reply(reinterpret_cast<const char*>(data + 1), size - 1);

  const std::optional<duel::Verdict> alone = duel::parse_reply(reply, metrics);
  check_shape(alone, metrics, reply);

  std::uint64_t seed = control >> 2;
  for (unsigned char c : reply.substr(0, 16)) seed = seed * 131 + c;
  duel::Verdict planted;
  const std::string v = planted_verdict(metrics, seed, planted);

  // Last verdict wins.
  const std::string appended = std::string(reply) + "\n" + v;
  const std::string stripped = duel::strip_thinking(reply);
  const std::string stripped_appended = duel::strip_thinking(appended);
  const std::optional<duel::Verdict> last = duel::parse_reply(appended, metrics);
  if (stripped_appended == stripped + "\n" + v) {
    if (last != planted) fail("a verdict at the end does not win", appended);
  } else if (stripped_appended == stripped) {
    if (last != alone) fail("text swallowed by a thinking block changes the verdict", appended);
  } else {
    fail("strip_thinking treats an appended verdict neither as text nor as thinking", appended);
  }

  // An earlier verdict never overrides a later one.
  const std::string prepended = v + "\n" + std::string(reply);
  const std::optional<duel::Verdict> first = duel::parse_reply(prepended, metrics);
  if (first != (alone ? alone : std::optional<duel::Verdict>(planted)))
    fail("a verdict before the reply changes its verdict", prepended);

  // A reply that is one JSON object: parse_reply and read_verdict agree.
  if (!has_thinking_tag(reply)) {
    static simdjson::dom::parser dom;
    simdjson::dom::element element;
    if (!dom.parse(reply.data(), reply.size()).get(element) && element.is_object()) {
      std::vector<std::uint8_t> values(metrics.size());
      const bool read = duel::read_verdict(element.get_object().value_unsafe(), metrics, values.data());
      const std::optional<duel::Verdict> expected =
          read ? std::optional<duel::Verdict>(duel::Verdict(values.begin(), values.end())) : std::nullopt;
      if (alone != expected) fail("parse_reply and read_verdict disagree on one JSON object", reply);
    }
  }

  return 0;
}
