// The comparison record votes writes by default, one per comparison:
// {<--item fields>, <--criterion field>, "a", "b", "votes": {"a", "b", "tie",
// "n"}, "winner", "margin", "agreement", "raters"}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "prefline/json/writer.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace prefline::votes {

// The key fields of a comparison as the records name them: the --item fields, then --criterion.
inline void write_comparison_key(JsonWriter& json, const Options& options, const Settings& settings,
                                 const Comparison& c) {
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(c.key_json[i]);
  if (!options.criterion.empty()) json.key(options.criterion).raw(c.criterion_json);
}

// "agreement" is the share of the votes that equal the decision (a tie decision counts the tie
// votes); "raters" (rater names as compact JSON) only with named raters.
inline void write_comparison(JsonWriter& json, const Options& options, const Settings& settings,
                             const std::vector<std::string>& rater_names, const Comparison& c) {
  const Vote decision = decision_of(settings, c);
  json.begin_object();
  write_comparison_key(json, options, settings, c);
  json.key("a").raw(c.a_json);
  json.key("b").raw(c.b_json);
  json.key("votes").begin_object();
  for (Vote vote : {Vote::a, Vote::b, Vote::tie})
    json.key(vote_name(vote)).integer(static_cast<std::int64_t>(c.votes_for(vote)));
  json.key("n").integer(static_cast<std::int64_t>(c.vote_count()));
  json.end_object();
  json.key("winner").string(vote_name(decision));
  json.key("margin").integer(static_cast<std::int64_t>(c.margin()));
  json.key("agreement").number(static_cast<double>(c.votes_for(decision)) / static_cast<double>(c.vote_count()));
  if (settings.named_raters) {
    json.key("raters").begin_array();
    for (std::uint32_t rater : c.raters) json.raw(rater_names[rater]);
    json.end_array();
  }
  json.end_object();
  json.end_record();
}

}  // namespace prefline::votes
