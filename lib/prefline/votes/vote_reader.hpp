// Reading vote records in either layout votes takes: the long layout (one vote
// a record: --winner read through --codes, the rater in --rater) and the wide
// layout (one record a comparison, one --wide column a rater); which side the
// rater saw first (--shown); and the census of the fields those options name,
// so that a field no record has is an error naming the option.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/dom_value.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/votes/pairwise_agreement.hpp"
#include "prefline/votes/position_bias.hpp"
#include "prefline/votes/settings.hpp"

namespace prefline::votes {

// Side ids, raters and criteria are strings or numbers.
inline bool is_id(simdjson::dom::element value) { return value.is_string() || value.is_number(); }

// `value`'s typed key (json/typed_key.hpp) in `key`, reusing its memory.
inline void set_typed_key(std::string& key, simdjson::dom::element value) {
  key.clear();
  prefline::append_key_part(key, value);
}

// A vote of the record being read: its rater's typed key (empty without named raters), and the
// rater as read (the long layout) or its column (the wide layout).
struct RecordVote {
  std::string_view rater_key;
  simdjson::dom::element rater;
  const std::string* column;
  Vote vote;
};

class VoteReader {
 public:
  VoteReader(const Options& options, const Settings& settings) : options_(options), settings_(settings) {
    for (const auto& column : settings.wide_columns)
      wide_keys_.push_back(prefline::single_value_key(prefline::key_tag::string, column));
  }

  // The votes of `record` in the record's order of sides (one in the long layout; one per --wide
  // column holding a vote), into `votes`; returns why the record is bad, or "". A rater key points
  // into the reader: valid until the next call.
  std::string read_votes(simdjson::dom::object record, std::vector<RecordVote>& votes) {
    votes.clear();
    if (settings_.wide_columns.empty()) {
      simdjson::dom::element winner;
      if (record[settings_.winner].get(winner)) return fmt::format("the winner field '{}' is missing", settings_.winner);
      Vote vote;
      if (auto reason = read_vote(winner, settings_.winner, vote); !reason.empty()) return reason;
      RecordVote& v = votes.emplace_back(RecordVote{{}, {}, nullptr, vote});
      if (settings_.named_raters) {
        if (record[options_.rater].get(v.rater)) return fmt::format("the rater field '{}' is missing", options_.rater);
        if (!is_id(v.rater))
          return fmt::format("'{}' is {}, not a string or number", options_.rater, prefline::type_name(v.rater));
        set_typed_key(rater_key_, v.rater);
        v.rater_key = rater_key_;
      }
      return {};
    }
    for (std::size_t k = 0; k < settings_.wide_columns.size(); ++k) {
      const std::string& column = settings_.wide_columns[k];
      simdjson::dom::element value;
      if (record[column].get(value) || value.is_null()) continue;
      Vote vote;
      if (auto reason = read_vote(value, column, vote); !reason.empty()) return reason;
      votes.push_back(RecordVote{wide_keys_[k], {}, &column, vote});
    }
    if (votes.empty()) return fmt::format("none of the --wide columns {} has a vote (all missing or null)", options_.wide);
    return {};
  }

  // Which side was shown first (--shown), in the record's order of sides, into `shown` (nullopt:
  // not known, the field missing or null); `a`, `b` are the record's sides and `a_key`, `b_key`
  // their typed keys. Returns why the record is bad, or "".
  std::string read_shown(simdjson::dom::object record, simdjson::dom::element a, simdjson::dom::element b,
                         const std::string& a_key, const std::string& b_key, std::optional<Shown>& shown) {
    shown.reset();
    if (options_.shown.empty()) return {};
    simdjson::dom::element value;
    if (record[options_.shown].get(value) || value.is_null()) return {};
    if (is_id(value)) set_typed_key(shown_key_, value);
    else shown_key_.clear();
    if (shown_key_ == a_key) shown = Shown::a_first;
    else if (shown_key_ == b_key) shown = Shown::b_first;
    else if (value.is_string() && value.get_string().value_unsafe() == "a") shown = Shown::a_first;
    else if (value.is_string() && value.get_string().value_unsafe() == "b") shown = Shown::b_first;
    else
      return fmt::format("'{}' is {}, neither a nor b nor a side's id ({} or {})", options_.shown,
                         simdjson::minify(value), simdjson::minify(a), simdjson::minify(b));
    return {};
  }

 private:
  std::string read_vote(simdjson::dom::element value, std::string_view field, Vote& vote) const {
    std::string number;
    std::string_view code;
    if (value.is_string()) {
      code = value.get_string().value_unsafe();
    } else if (value.is_number()) {
      number = simdjson::minify(value);
      code = number;
    } else {
      return fmt::format("'{}' is {}, not a string or number", field, prefline::type_name(value));
    }
    const auto found = settings_.codes.find(code);
    if (found == settings_.codes.end())
      return fmt::format("'{}' is {}, which --codes {} does not name", field, simdjson::minify(value), options_.codes);
    vote = found->second;
    return {};
  }

  const Options& options_;
  const Settings& settings_;
  std::vector<std::string> wide_keys_;  // the typed key of each --wide column's name
  std::string rater_key_, shown_key_;
};

// Every field an option names, counted over the records: at the end a field that no record had is
// an error naming the option and the fields the records have (FieldCensus).
class VoteFieldCensus {
 public:
  VoteFieldCensus(const Options& options, const Settings& settings) {
    for (const auto& field : settings.item_fields)
      watch(field, fmt::format("item field '{}' (--item {})", field, options.item));
    if (!options.criterion.empty())
      watch(options.criterion, fmt::format("criterion field '{}' (--criterion)", options.criterion));
    watch(options.a, fmt::format("side field '{}' (--a)", options.a));
    watch(options.b, fmt::format("side field '{}' (--b)", options.b));
    if (settings.wide_columns.empty()) watch(settings.winner, fmt::format("winner field '{}' (--winner)", settings.winner));
    for (const auto& column : settings.wide_columns)
      watch(column, fmt::format("rater column '{}' (--wide {})", column, options.wide));
    if (!options.rater.empty()) watch(options.rater, fmt::format("rater field '{}' (--rater)", options.rater));
    if (!options.shown.empty()) watch(options.shown, fmt::format("shown-side field '{}' (--shown)", options.shown));
    if (options.pairs) {
      watch(options.prompt, fmt::format("prompt field '{}' (--prompt)", options.prompt));
      watch(options.text_a, fmt::format("text field '{}' (--text-a)", options.text_a));
      watch(options.text_b, fmt::format("text field '{}' (--text-b)", options.text_b));
    }
  }

  // Counts one record (`text`, its line); returns whether it lacks a watched field that no record
  // had before it: then its error may be a misspelt option's, better told by check() at the end.
  bool record(simdjson::dom::object object, std::string_view text) {
    census_.record();
    if (census_.wants_sample()) census_.sample(text);
    bool missing_unseen = false;
    for (const auto& [field, id] : watched_) {
      simdjson::dom::element value;
      if (!object[field].get(value)) census_.found(id);
      else if (census_.found_count(id) == 0) missing_unseen = true;
    }
    return missing_unseen;
  }

  std::uint64_t records() const { return census_.records(); }

  // Throws DataError naming the first watched field that no record had.
  void check() const { census_.check(); }

 private:
  void watch(const std::string& field, std::string what) { watched_.emplace_back(field, census_.watch(field, std::move(what))); }

  prefline::FieldCensus census_;
  std::vector<std::pair<std::string, std::size_t>> watched_;  // field, census id
};

}  // namespace prefline::votes
