// Writing a judged turn: after the record's own bytes, its "duel" member
// {"score","delta","parsed","by_metric","by_judge","judgements"} and the
// closing brace, through JsonWriter with every fixed key quoted once, each
// judge's name quoted once, and numbers (rounded to 4 decimals) and verdicts
// formatted once per distinct value: this runs for every turn of a duel.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/duel/metric.hpp"
#include "prefline/duel/scoring.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::duel {

// The member names of the "duel" object, quoted, with their colon.
struct DuelKeys {
  std::string duel, score, delta, parsed, by_metric, by_judge, judgements, judge, order, verdict, error;
};
inline const DuelKeys& duel_keys() {
  namespace field = schema::duel;
  static const DuelKeys keys = [] {
    auto key = [](std::string_view name) { return json_quoted(name) + ":"; };
    return DuelKeys{key(field::duel),     key(field::score),      key(field::delta), key(field::parsed),
                    key(field::by_metric), key(field::by_judge),  key(field::judgements), key(field::judge),
                    key(field::order),    key(field::verdict),    key(field::error)};
  }();
  return keys;
}

// Each judge's name quoted once, by judge number (a "by_judge" key, with its
// colon, and the value of "judge" in its judgements).
class JudgeTexts {
 public:
  void add(std::string_view name) {
    names_.push_back(json_quoted(name));
    keys_.push_back(names_.back() + ":");
  }
  std::size_t size() const { return names_.size(); }
  const std::string& key(std::uint32_t judge) const { return keys_[judge]; }
  const std::string& name(std::uint32_t judge) const { return names_[judge]; }
  void clear() {
    names_.clear();
    keys_.clear();
  }

 private:
  std::vector<std::string> names_, keys_;
};

// Scores turns and writes their "duel" member. One per thread.
class TurnWriter {
 public:
  static constexpr int decimals = 4;

  TurnWriter(const std::vector<Metric>& metrics, std::vector<double> weights, std::size_t min_judges)
      : metrics_(metrics.size()), scorer_(std::move(weights), min_judges), numbers_(decimals) {
    for (const auto& metric : metrics) metric_keys_.push_back(json_quoted(metric.name) + ":");
    if (metrics_ <= 8) {
      std::size_t codes = 1;
      for (std::size_t m = 0; m < metrics_; ++m) codes *= 3;
      verdict_texts_.resize(codes);
    }
  }

  // One turn: `head` is the record before its final '}' (see record_head in
  // json/splice.hpp; empty when the caller writes it itself), `now_empty`
  // that the record has no member left; votes[i].judge numbers in `judges`,
  // `panel` judges always part of the turn (the configured panel: numbers
  // 0..panel-1). Appends the head, then the "duel" member, the closing brace
  // and the newline. The returned score lives until the next call;
  // turn_judges() gives its panel slots' judge numbers.
  [[gnu::flatten]] const TurnScore& write(Buffer& out, std::string_view head, bool now_empty, const Vote* votes, std::size_t count,
                         const std::uint8_t* values, std::size_t panel, const JudgeTexts& judges) {
    // The turn's panel: the configured judges, then those named in its
    // judgements in order of first appearance.
    if (seen_in_turn_.size() < judges.size()) {
      seen_in_turn_.resize(judges.size(), 0);
      slot_in_turn_.resize(judges.size(), 0);
    }
    ++turn_stamp_;
    turn_judges_.clear();
    for (std::size_t j = 0; j < panel; ++j) slot_of(static_cast<std::uint32_t>(j));
    local_votes_.assign(votes, votes + count);
    for (auto& vote : local_votes_) vote.judge = slot_of(vote.judge);
    const TurnScore& score = scorer_.score(local_votes_.data(), count, values, turn_judges_.size());

    const DuelKeys& keys = duel_keys();
    out.append(head);
    if (!now_empty) out.push_back(',');
    JsonWriter json(out);
    json.quoted_key(keys.duel).begin_object();
    number(json.quoted_key(keys.score), score.score);
    number(json.quoted_key(keys.delta), score.delta);
    json.quoted_key(keys.parsed).boolean(score.parsed);
    json.quoted_key(keys.by_metric).begin_object();
    for (std::size_t m = 0; m < metrics_; ++m) number(json.quoted_key(metric_keys_[m]), score.by_metric[m]);
    json.end_object();
    json.quoted_key(keys.by_judge).begin_object();
    for (std::size_t j = 0; j < turn_judges_.size(); ++j)
      number(json.quoted_key(judges.key(turn_judges_[j])), score.by_judge[j]);
    json.end_object();
    json.quoted_key(keys.judgements).begin_array();
    for (std::size_t i = 0; i < count; ++i) {
      const Vote& vote = votes[i];
      json.begin_object();
      json.quoted_key(keys.judge).raw(judges.name(vote.judge));
      json.quoted_key(keys.order).raw(vote.order == Order::ab ? R"("ab")" : R"("ba")");
      json.quoted_key(keys.verdict);
      if (vote.has_verdict) {
        json.raw(verdict_text(values + vote.values));
      } else {
        json.null();
        json.quoted_key(keys.error).string(vote.error);
      }
      json.end_object();
    }
    json.end_array();
    json.end_object();
    json.end_object();
    json.end_record();
    return score;
  }

  const std::vector<std::uint32_t>& turn_judges() const { return turn_judges_; }

 private:
  std::uint32_t slot_of(std::uint32_t judge) {
    if (seen_in_turn_[judge] != turn_stamp_) {
      seen_in_turn_[judge] = turn_stamp_;
      slot_in_turn_[judge] = static_cast<std::uint32_t>(turn_judges_.size());
      turn_judges_.push_back(judge);
    }
    return slot_in_turn_[judge];
  }

  void number(JsonWriter& json, const std::optional<double>& value) {
    if (value) json.number(numbers_, *value);
    else json.null();
  }

  // {"metric":N,...} of a verdict, made once per distinct verdict.
  std::string_view verdict_text(const std::uint8_t* verdict) {
    std::string* text = &scratch_verdict_;
    if (!verdict_texts_.empty()) {
      std::size_t code = 0;
      for (std::size_t m = 0; m < metrics_; ++m) code = code * 3 + verdict[m];
      text = &verdict_texts_[code];
      if (!text->empty()) return *text;
    }
    Buffer bytes;
    JsonWriter json(bytes);
    json.begin_object();
    for (std::size_t m = 0; m < metrics_; ++m) json.quoted_key(metric_keys_[m]).integer(verdict[m]);
    json.end_object();
    text->assign(bytes.view());
    return *text;
  }

  std::size_t metrics_;
  Scorer scorer_;
  RoundedNumbers numbers_;
  std::vector<std::string> metric_keys_;    // "name": per metric
  std::vector<std::string> verdict_texts_;  // per verdict code (metrics <= 8), made on first use
  std::string scratch_verdict_;             // the verdict text when there are more metrics
  std::vector<std::uint64_t> seen_in_turn_;
  std::vector<std::uint32_t> slot_in_turn_;
  std::uint64_t turn_stamp_ = 0;
  std::vector<std::uint32_t> turn_judges_;  // the turn's panel: judge numbers
  std::vector<Vote> local_votes_;           // the turn's votes, judges as panel slots
};

}  // namespace prefline::duel
