// votes --pairs: each decided comparison as a pair record in pairup's schema
// (DESIGN.md §3, which export --to reads): the winner's text as chosen, the
// loser's as rejected. Comparisons decided as a tie, without their three
// texts, or with the same text on both sides give no pair and are counted for
// the summary line.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "prefline/cli/run_summary.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/votes/comparison_record.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace prefline::votes {

// Why a comparison gives no pair record.
enum class NoPair { none, tie, missing_text, identical_texts };

// A text missing, empty or only white space.
inline bool blank_text(const Text& text) {
  return !text || std::ranges::all_of(*text, [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

// pairup writes chosen_ + its candidate field (default model); the sides of votes are models too.
inline std::string pair_candidate_field(std::string_view prefix) { return std::string(prefix) + "model"; }

class PairWriter {
 public:
  // `generated_at`: metadata.generated_at of every pair (SOURCE_DATE_EPOCH or the time of the run).
  PairWriter(const Options& options, const Settings& settings, std::string generated_at)
      : options_(options), settings_(settings), generated_at_(std::move(generated_at)) {}

  // Writes the pair record of `c`, or counts why it has none; returns that reason (NoPair::none: written).
  NoPair write(JsonWriter& json, const Comparison& c) {
    const NoPair why = write_pair(json, c);
    ++counts_[static_cast<std::size_t>(why)];
    return why;
  }

  std::size_t count(NoPair why) const { return counts_[static_cast<std::size_t>(why)]; }

  // The summary line: comparisons read, pairs written, and each reason a comparison gave none.
  RunSummary summary(std::size_t comparisons) const {
    RunSummary summary(tool_name, "comparisons", "pairs");
    summary.set_read(comparisons);
    summary.set_written(count(NoPair::none));
    summary.left_out("tie", count(NoPair::tie),
                     fmt::format("no side won under --rule {}{}", options_.rule,
                                 options_.min_margin > 1 ? fmt::format(" --min-margin {}", options_.min_margin) : ""));
    summary.left_out("missing_text", count(NoPair::missing_text),
                     "a --prompt, --text-a or --text-b text missing, empty or only white space");
    summary.left_out("identical_texts", count(NoPair::identical_texts), "the same text on both sides");
    summary.set_empty_reason(comparisons == 0 ? "every vote record was bad (skipped)" : "");
    return summary;
  }

 private:
  NoPair write_pair(JsonWriter& json, const Comparison& c) const {
    const Vote decision = decision_of(settings_, c);
    if (decision == Vote::tie) return NoPair::tie;
    if (blank_text(c.prompt) || blank_text(c.text_a) || blank_text(c.text_b)) return NoPair::missing_text;
    if (*c.text_a == *c.text_b) return NoPair::identical_texts;
    const bool a_won = decision == Vote::a;
    namespace pair_schema = prefline::schema::pair;
    const auto scores = [&](Vote side) {
      json.begin_object();
      json.key("votes").integer(static_cast<std::int64_t>(c.votes_for(side)));
      json.key(prefline::schema::item::vote_count).integer(static_cast<std::int64_t>(c.vote_count()));
      json.end_object();
    };
    json.begin_object();
    json.key(pair_schema::prompt).string(*c.prompt);
    json.key(pair_schema::chosen).string(a_won ? *c.text_a : *c.text_b);
    json.key(pair_schema::rejected).string(a_won ? *c.text_b : *c.text_a);
    json.key(pair_schema::metadata).begin_object();
    write_comparison_key(json, options_, settings_, c);
    json.key(pair_candidate_field(pair_schema::chosen_prefix)).raw(a_won ? c.a_json : c.b_json);
    json.key(pair_candidate_field(pair_schema::rejected_prefix)).raw(a_won ? c.b_json : c.a_json);
    json.key(pair_schema::chosen_scores);
    scores(a_won ? Vote::a : Vote::b);
    json.key(pair_schema::rejected_scores);
    scores(a_won ? Vote::b : Vote::a);
    json.key(pair_schema::score_difference).integer(static_cast<std::int64_t>(c.margin()));
    json.key(pair_schema::dataset_version).string(options_.dataset_version);
    json.key(pair_schema::generated_at).string(generated_at_);
    json.end_object();
    json.end_object();
    json.end_record();
    return NoPair::none;
  }

  const Options& options_;
  const Settings& settings_;
  std::string generated_at_;
  std::array<std::size_t, 4> counts_{0, 0, 0, 0};  // by NoPair
};

}  // namespace prefline::votes
