// votes --stats: the raters' agreement as one JSON object. Krippendorff's
// alpha (nominal and ordinal), Fleiss' kappa or why not, Cohen's kappa per
// pair of raters, per-rater figures and, with --shown, position bias; with
// --criterion the same figures per criterion under "criteria". An undefined
// value is null (JsonWriter writes NaN as null).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "prefline/json/writer.hpp"
#include "prefline/votes/pairwise_agreement.hpp"
#include "prefline/votes/position_bias.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace prefline::votes {

// The votes of a set of comparisons (all of them, or one criterion's), comparisons indexed densely.
struct VoteSet {
  std::vector<RatedVote> rated;
  std::vector<ShownVote> shown;
  std::size_t comparisons = 0;
  std::array<std::size_t, vote_kinds> decisions{0, 0, 0};
};

namespace detail {

inline void write_position_counts(JsonWriter& json, const PositionCounts& counts) {
  json.key("first").integer(static_cast<std::int64_t>(counts.first));
  json.key("second").integer(static_cast<std::int64_t>(counts.second));
  json.key("ties").integer(static_cast<std::int64_t>(counts.ties));
  json.key("share").number(counts.first_share.share);
  json.key("low").number(counts.first_share.low);
  json.key("high").number(counts.first_share.high);
}

inline void write_position_bias(JsonWriter& json, const Settings& settings, const Tally& tally, const VoteSet& set) {
  const std::size_t raters = tally.rater_count();
  // Without named raters only the overall share is written: every vote counts as one rater's.
  std::vector<ShownVote> unnamed;
  if (!settings.named_raters) {
    unnamed = set.shown;
    for (ShownVote& v : unnamed) v.rater = 0;
  }
  const PositionBias bias = settings.named_raters ? position_bias(set.shown, raters) : position_bias(unnamed, 1);
  json.key("position_bias").begin_object();
  json.key("votes").integer(static_cast<std::int64_t>(set.shown.size()));
  json.key("unknown").integer(static_cast<std::int64_t>(set.rated.size() - set.shown.size()));
  write_position_counts(json, bias.overall);
  json.key("per_rater").begin_array();
  if (settings.named_raters) {
    for (std::size_t r = 0; r < raters; ++r) {
      const PositionCounts& counts = bias.per_rater[r];
      if (counts.first + counts.second + counts.ties == 0) continue;
      json.begin_object();
      json.key("rater").raw(tally.rater_names()[r]);
      write_position_counts(json, counts);
      json.end_object();
    }
  }
  json.end_array();
  json.end_object();
}

}  // namespace detail

// The agreement figures of one vote set, as keys of the object being written.
inline void write_agreement(JsonWriter& json, const Options& options, const Settings& settings, const Tally& tally,
                            const VoteSet& set) {
  const std::size_t raters = tally.rater_count();
  const auto per_rater = rater_votes(set.rated, set.comparisons, raters);
  json.key("comparisons").integer(static_cast<std::int64_t>(set.comparisons));
  json.key("votes").integer(static_cast<std::int64_t>(set.rated.size()));
  json.key("raters");
  if (settings.named_raters)
    json.integer(static_cast<std::int64_t>(std::ranges::count_if(per_rater, [](const auto& v) { return v.votes > 0; })));
  else json.null();
  json.key("decisions").begin_object();
  for (Vote vote : {Vote::a, Vote::b, Vote::tie})
    json.key(vote_name(vote)).integer(static_cast<std::int64_t>(set.decisions[index_of(vote)]));
  json.end_object();

  const auto nominal = vote_alpha(set.rated, set.comparisons, agreement::Metric::nominal);
  const auto ordinal = vote_alpha(set.rated, set.comparisons, agreement::Metric::ordinal);
  json.key("alpha").begin_object();
  json.key("nominal").number(nominal.alpha);
  json.key("ordinal").number(ordinal.alpha);
  json.key("comparisons").integer(static_cast<std::int64_t>(nominal.units));
  json.key("votes").integer(static_cast<std::int64_t>(nominal.pairable_values));
  json.end_object();

  const FleissKappa fleiss = vote_fleiss_kappa(set.rated, set.comparisons, raters);
  json.key("fleiss_kappa").begin_object();
  json.key("kappa");
  if (fleiss.kappa) json.number(*fleiss.kappa);
  else json.null();
  json.key("reason");
  if (fleiss.reason.empty()) json.null();
  else json.string(fleiss.reason);
  json.key("comparisons").integer(static_cast<std::int64_t>(fleiss.subjects));
  json.key("votes_per_comparison").integer(static_cast<std::int64_t>(fleiss.raters_per_subject));
  json.end_object();

  // Cohen's kappa and per-rater figures need to know who voted: only with named raters.
  json.key("min_overlap").integer(options.min_overlap);
  json.key("cohen_kappa").begin_array();
  if (settings.named_raters) {
    for (const PairKappa& pair :
         pairwise_cohen_kappa(set.rated, set.comparisons, raters, static_cast<std::size_t>(options.min_overlap))) {
      json.begin_object();
      json.key("raters").begin_array().raw(tally.rater_names()[pair.first]).raw(tally.rater_names()[pair.second]).end_array();
      json.key("shared").integer(static_cast<std::int64_t>(pair.shared));
      json.key("agreement").number(pair.agreement);
      json.key("kappa").number(pair.kappa);
      json.end_object();
    }
  }
  json.end_array();
  json.key("per_rater").begin_array();
  if (settings.named_raters) {
    for (std::size_t r = 0; r < raters; ++r) {
      const RaterVotes& v = per_rater[r];
      if (v.votes == 0) continue;  // a rater of another criterion only
      json.begin_object();
      json.key("rater").raw(tally.rater_names()[r]);
      json.key("votes").integer(static_cast<std::int64_t>(v.votes));
      json.key("ties").integer(static_cast<std::int64_t>(v.ties));
      json.key("tie_rate").number(v.tie_rate);
      json.key("compared").integer(static_cast<std::int64_t>(v.compared));
      json.key("agreed").integer(static_cast<std::int64_t>(v.agreed));
      json.key("agreement").number(v.agreement);
      json.end_object();
    }
  }
  json.end_array();

  if (!options.shown.empty()) detail::write_position_bias(json, settings, tally, set);
}

// The whole --stats object: the figures over every vote, then per criterion (with --criterion),
// each criterion's comparisons renumbered 0..n-1 (its votes keep their raters).
inline void write_agreement_report(Buffer& out, const Options& options, const Settings& settings, const Tally& tally) {
  const auto& comparisons = tally.comparisons();
  VoteSet all;
  all.rated = tally.rated();
  all.shown = tally.shown();
  all.comparisons = comparisons.size();
  for (const Comparison& c : comparisons) ++all.decisions[index_of(decision_of(settings, c))];

  JsonWriter json(out);
  json.begin_object();
  write_agreement(json, options, settings, tally, all);
  if (!options.criterion.empty()) {
    const std::size_t criteria = tally.criterion_names().size();
    std::vector<VoteSet> sets(criteria);
    std::vector<std::size_t> local(comparisons.size());
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
      VoteSet& set = sets[comparisons[i].criterion];
      local[i] = set.comparisons++;
      ++set.decisions[index_of(decision_of(settings, comparisons[i]))];
    }
    for (const RatedVote& v : tally.rated()) {
      VoteSet& set = sets[comparisons[v.comparison].criterion];
      set.rated.push_back(RatedVote{local[v.comparison], v.rater, v.vote});
    }
    for (std::size_t i = 0; i < tally.shown().size(); ++i)
      sets[comparisons[tally.shown_comparison(i)].criterion].shown.push_back(tally.shown()[i]);
    json.key("criteria").begin_array();
    for (std::size_t k = 0; k < criteria; ++k) {
      json.begin_object();
      json.key("criterion").raw(tally.criterion_names()[k]);
      write_agreement(json, options, settings, tally, sets[k]);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  json.end_record();
}

}  // namespace prefline::votes
