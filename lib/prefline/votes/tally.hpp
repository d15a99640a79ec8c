// The comparisons of a votes run, in the order they are first seen: a
// comparison is the --item key, the --criterion value and the unordered pair
// of sides, so a vote given with the sides swapped counts for the same side by
// id. Per comparison: the vote counts, its raters (each votes once), and with
// --pairs its three texts. The votes one by one are kept only when --stats or
// the ratings need them: the tallies alone take memory per comparison.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/dom_value.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/key_index.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/votes/pairwise_agreement.hpp"
#include "prefline/votes/position_bias.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/vote_reader.hpp"

namespace prefline::votes {

// A text of a comparison (--prompt, --text-a, --text-b): unset until a vote gives it.
using Text = std::optional<std::string>;

struct Comparison {
  std::vector<std::string> key_json;  // the --item values, compact JSON, from the first vote
  std::string criterion_json;         // with --criterion
  std::size_t criterion = 0;          // index into Tally::criterion_names()
  std::string a_json, b_json;
  std::string a_key;                     // typed key of side a, to recognise swapped votes
  std::size_t a_model = 0, b_model = 0;  // indexes into Tally::model_names()
  std::array<std::size_t, vote_kinds> counts{0, 0, 0};
  std::vector<std::uint32_t> raters;  // rater indexes, in input order
  Text prompt, text_a, text_b;        // with --pairs, in the comparison's order of sides

  std::size_t votes_for(Vote vote) const { return counts[index_of(vote)]; }
  std::size_t vote_count() const { return counts[0] + counts[1] + counts[2]; }
  // |votes for a - votes for b|: ties count for neither side.
  std::size_t margin() const {
    const std::size_t a = votes_for(Vote::a), b = votes_for(Vote::b);
    return a > b ? a - b : b - a;
  }

  // Whether a rater voted here already: a scan of the few raters a comparison usually has, a set once
  // it has many (one key voted on by thousands of raters would make the scan quadratic).
  bool has_rater(std::size_t rater) const {
    if (rater_set) return rater_set->contains(static_cast<std::uint32_t>(rater));
    return std::ranges::find(raters, static_cast<std::uint32_t>(rater)) != raters.end();
  }
  void add_rater(std::uint32_t rater) {
    raters.push_back(rater);
    if (rater_set) rater_set->insert(rater);
    else if (raters.size() > rater_scan_limit) rater_set = std::make_unique<std::unordered_set<std::uint32_t>>(raters.begin(), raters.end());
  }
  static constexpr std::size_t rater_scan_limit = 32;
  std::unique_ptr<std::unordered_set<std::uint32_t>> rater_set;
};

// The decision of a comparison under --rule and --min-margin.
inline Vote decision_of(const Settings& settings, const Comparison& c) {
  return decide(c.counts, settings.rule, settings.min_margin);
}

class Tally {
 public:
  Tally(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), reader_(options, settings) {}

  // Adds one vote record (the long layout) or the votes of one record (the wide layout); returns why
  // the record is bad, or "" when it counted. A bad record changes nothing. The scratch strings are
  // members so that a record that adds no comparison allocates nothing.
  std::string add(simdjson::dom::object record) {
    key_.clear();
    item_values_.clear();
    for (const auto& field : settings_.item_fields) {
      simdjson::dom::element value;
      if (record[field].get(value)) return fmt::format("the --item field '{}' is missing", field);
      prefline::append_key_part(key_, value);
      item_values_.push_back(value);
    }
    simdjson::dom::element criterion;
    if (!options_.criterion.empty()) {
      if (record[options_.criterion].get(criterion))
        return fmt::format("the criterion field '{}' (--criterion) is missing", options_.criterion);
      if (!is_id(criterion))
        return fmt::format("'{}' is {}, not a string or number", options_.criterion, prefline::type_name(criterion));
      set_typed_key(criterion_key_, criterion);
      prefline::append_key_part(key_, prefline::key_tag::json, criterion_key_);
    }
    simdjson::dom::element a, b;
    if (record[options_.a].get(a)) return fmt::format("the side field '{}' (--a) is missing", options_.a);
    if (record[options_.b].get(b)) return fmt::format("the side field '{}' (--b) is missing", options_.b);
    if (!is_id(a)) return fmt::format("'{}' is {}, not a string or number", options_.a, prefline::type_name(a));
    if (!is_id(b)) return fmt::format("'{}' is {}, not a string or number", options_.b, prefline::type_name(b));
    set_typed_key(a_key_, a);
    set_typed_key(b_key_, b);
    if (a_key_ == b_key_) return fmt::format("the same side {} on both sides", simdjson::minify(a));

    // The votes of the record and the side shown first, in the record's order of sides.
    if (auto reason = reader_.read_votes(record, record_votes_); !reason.empty()) return reason;
    std::optional<Shown> shown;
    if (auto reason = reader_.read_shown(record, a, b, a_key_, b_key_, shown); !reason.empty()) return reason;

    Text prompt, text_a, text_b;
    if (options_.pairs) {
      for (auto [field, text] : {std::pair{&options_.prompt, &prompt}, std::pair{&options_.text_a, &text_a},
                                 std::pair{&options_.text_b, &text_b}}) {
        simdjson::dom::element value;
        if (record[*field].get(value) || value.is_null()) continue;
        if (!value.is_string())
          return fmt::format("'{}' is {}, not a string or null", *field, prefline::type_name(value));
        *text = std::string(value.get_string().value_unsafe());
      }
    }

    // The unordered pair: the smaller typed key first.
    const bool swapped_key = b_key_ < a_key_;
    prefline::append_key_part(key_, prefline::key_tag::json, swapped_key ? b_key_ : a_key_);
    prefline::append_key_part(key_, prefline::key_tag::json, swapped_key ? a_key_ : b_key_);

    // Checks against the comparison's earlier votes, before anything changes.
    const std::optional<std::size_t> found = index_.find(key_);
    const std::size_t index = found ? *found : comparisons_.size();
    if (found) {
      const Comparison& c = comparisons_[index];
      if (a_key_ != c.a_key) std::swap(text_a, text_b);
      for (const RecordVote& v : record_votes_) {
        if (v.rater_key.empty()) continue;
        const auto rater = rater_index_.find(v.rater_key);
        if (rater != rater_index_.end() && c.has_rater(rater->second))
          return fmt::format("the rater {} voted twice on this comparison", rater_names_[rater->second]);
      }
      const std::pair<const Text*, const std::string*> texts[] = {
          {&c.prompt, &options_.prompt}, {&c.text_a, &options_.text_a}, {&c.text_b, &options_.text_b}};
      const Text* given[] = {&prompt, &text_a, &text_b};
      for (std::size_t t = 0; t < 3; ++t)
        if (*given[t] && *texts[t].first && **given[t] != **texts[t].first)
          return fmt::format("'{}' differs from an earlier vote's on this comparison", *texts[t].second);
    }

    if (!found) {
      bool inserted = false;
      index_.insert(key_, inserted);  // numbered as comparisons_ is: index
      Comparison& c = comparisons_.emplace_back();
      c.key_json.reserve(item_values_.size());
      for (simdjson::dom::element value : item_values_) c.key_json.emplace_back(simdjson::minify(value));
      c.a_json = std::string(simdjson::minify(a));
      c.b_json = std::string(simdjson::minify(b));
      c.a_key = a_key_;
      c.a_model = model_index(a_key_, a);
      c.b_model = model_index(b_key_, b);
      if (!options_.criterion.empty()) {
        c.criterion_json = std::string(simdjson::minify(criterion));
        auto [it, inserted] = criterion_index_.try_emplace(criterion_key_, criterion_names_.size());
        if (inserted) criterion_names_.push_back(c.criterion_json);
        c.criterion = it->second;
      }
    }
    Comparison& c = comparisons_[index];
    for (auto [text, given] : {std::pair{&c.prompt, &prompt}, std::pair{&c.text_a, &text_a},
                               std::pair{&c.text_b, &text_b}})
      if (!*text && *given) *text = std::move(*given);
    // A vote given with the sides in the other order counts for the same side by id.
    const bool swapped = a_key_ != c.a_key;
    if (swapped && shown) shown = *shown == Shown::a_first ? Shown::b_first : Shown::a_first;
    for (const RecordVote& v : record_votes_) {
      std::size_t rater_index = votes_;  // without named raters every vote is its own rater
      if (!v.rater_key.empty()) {
        auto found_rater = rater_index_.find(v.rater_key);
        if (found_rater == rater_index_.end()) {
          found_rater = rater_index_.emplace(std::string(v.rater_key), rater_names_.size()).first;
          rater_names_.push_back(v.column ? prefline::json_quoted(*v.column) : std::string(simdjson::minify(v.rater)));
        }
        rater_index = found_rater->second;
        c.add_rater(static_cast<std::uint32_t>(rater_index));
      }
      const Vote vote = swapped ? flipped(v.vote) : v.vote;
      ++c.counts[index_of(vote)];
      if (keep_votes_) {
        rated_.push_back(RatedVote{index, rater_index, vote});
        if (shown) {
          shown_.push_back(ShownVote{rater_index, vote, *shown});
          shown_comparisons_.push_back(index);
        }
      }
      ++votes_;
    }
    return {};
  }

  const std::vector<Comparison>& comparisons() const { return comparisons_; }
  std::size_t vote_count() const { return votes_; }
  // The votes one by one (comparison, rater, vote), kept only when asked: the tallies alone need
  // memory per comparison, not per vote.
  void keep_votes() { keep_votes_ = true; }
  const std::vector<RatedVote>& rated() const { return rated_; }
  // The kept votes whose shown side is known (--shown); a vote's rater and vote as in rated().
  const std::vector<ShownVote>& shown() const { return shown_; }
  std::size_t shown_comparison(std::size_t i) const { return shown_comparisons_[i]; }
  // Raters, models (side ids) and criteria as compact JSON, in first-seen order.
  const std::vector<std::string>& rater_names() const { return rater_names_; }
  const std::vector<std::string>& model_names() const { return model_names_; }
  const std::vector<std::string>& criterion_names() const { return criterion_names_; }
  std::size_t rater_count() const { return settings_.named_raters ? rater_names_.size() : votes_; }

 private:
  std::size_t model_index(const std::string& key, simdjson::dom::element value) {
    auto [it, inserted] = model_index_.try_emplace(key, model_names_.size());
    if (inserted) model_names_.emplace_back(simdjson::minify(value));
    return it->second;
  }

  const Options& options_;
  const Settings& settings_;
  VoteReader reader_;
  std::string key_, a_key_, b_key_, criterion_key_;
  std::vector<simdjson::dom::element> item_values_;
  std::vector<RecordVote> record_votes_;

  std::vector<Comparison> comparisons_;
  KeyIndex index_;  // comparison keys -> indexes into comparisons_
  StringMap<std::size_t> rater_index_;
  std::vector<std::string> rater_names_;
  StringMap<std::size_t> model_index_;
  std::vector<std::string> model_names_;
  StringMap<std::size_t> criterion_index_;
  std::vector<std::string> criterion_names_;
  std::vector<RatedVote> rated_;
  std::vector<ShownVote> shown_;
  std::vector<std::size_t> shown_comparisons_;  // the comparison of each shown_ vote
  bool keep_votes_ = false;
  std::size_t votes_ = 0;
};

}  // namespace prefline::votes
