#pragma once
// The --meta statistics of a pairup run: pairs written, the groups and
// candidates they use (first-seen order), pairs per group, the spread of
// score_difference and the counts of items left out and pairs dropped.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/json/writer.hpp"
#include "prefline/pairs/item_reader.hpp"
#include "prefline/pairs/record_fields.hpp"
#include "prefline/pairs/settings.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::pairs {

class PairMeta {
 public:
  explicit PairMeta(std::size_t groups) : pairs_written_(groups, 0) {}

  // Counts one written pair of group g.
  void add(std::size_t g, const Group& group, const Item& chosen, const Item& rejected, double difference) {
    if (pairs_written_[g]++ == 0) groups_.push_back(group.value.json);
    for (const Item* item : {&chosen, &rejected})
      if (candidate_seen_.emplace(std::string(item->candidate_key()), 0).second)
        candidates_.emplace_back(item->candidate_json());
    difference_sum_ += difference;
    difference_min_ = written_ == 0 ? difference : std::min(difference_min_, difference);
    difference_max_ = written_ == 0 ? difference : std::max(difference_max_, difference);
    ++written_;
  }

  std::size_t written() const { return written_; }

  void write(Buffer& out, const Settings& settings, const std::vector<Group>& groups, const Counters& counters,
             std::string_view generated_at, std::string_view dataset_version) const {
    namespace meta = schema::pair_meta;
    namespace item_schema = schema::item;
    JsonWriter json(out);
    json.begin_object();
    json.key(meta::total_examples).integer(static_cast<std::int64_t>(written_));
    json.key(settings.group + "s").begin_array();
    for (const auto& value : groups_) json.raw(value);
    json.end_array();
    json.key(settings.candidate + "s").begin_array();
    for (const auto& value : candidates_) json.raw(value);
    json.end_array();
    json.key(meta::export_timestamp).string(generated_at);
    json.key(meta::format_version).string(dataset_version);
    json.key(meta::pairs_per_group).begin_object();
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (pairs_written_[g] > 0) json.key(groups[g].value.text).integer(static_cast<std::int64_t>(pairs_written_[g]));
    json.end_object();
    json.key(schema::pair::score_difference).begin_object();
    if (written_ > 0) {
      json.key(item_schema::mean).number(difference_sum_ / static_cast<double>(written_));
      json.key(item_schema::min).number(difference_min_);
      json.key(item_schema::max).number(difference_max_);
    }
    json.end_object();
    json.key(meta::dropped).begin_object();
    json.key(meta::missing_text).integer(static_cast<std::int64_t>(counters.missing_text));
    json.key(meta::empty_text).integer(static_cast<std::int64_t>(counters.empty_text));
    json.key(meta::identical_texts).integer(static_cast<std::int64_t>(counters.identical_texts));
    json.end_object();
    json.key(meta::items).begin_object();
    json.key(meta::read).integer(static_cast<std::int64_t>(counters.items));
    json.key(meta::without_score).integer(static_cast<std::int64_t>(counters.without_score));
    json.key(meta::below_min_votes).integer(static_cast<std::int64_t>(counters.below_min_votes));
    json.end_object();
    json.end_object();
    json.end_record();
  }

 private:
  std::vector<std::string> groups_, candidates_;  // JSON text, first-seen order
  KeyMap candidate_seen_;
  std::vector<std::size_t> pairs_written_;  // per group
  double difference_sum_ = 0, difference_min_ = 0, difference_max_ = 0;
  std::size_t written_ = 0;
};

}  // namespace prefline::pairs
