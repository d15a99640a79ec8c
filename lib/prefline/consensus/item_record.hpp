#pragma once
// Writes one item record (consensus output): the --item fields, "scores" per
// dimension, overall, vote_count, sorted raters, sorted flags, then the --keep
// fields, as DESIGN.md's item schema lays them out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/consensus/item_statistics.hpp"
#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/summary.hpp"

namespace prefline::consensus {

namespace item_schema = prefline::schema::item;

inline void write_summary(prefline::JsonWriter& json, const prefline::stats::Summary& summary) {
  json.begin_object();
  auto number = [&](std::string_view name, double value) {
    json.key(name);
    if (summary.n == 0) json.null(); else json.number(value);
  };
  number(item_schema::mean, summary.mean);
  number(item_schema::median, summary.median);
  number(item_schema::trimmed_mean, summary.trimmed_mean);
  number(item_schema::sd, summary.sd);
  number(item_schema::min, summary.min);
  number(item_schema::max, summary.max);
  json.key(item_schema::n).integer(static_cast<std::int64_t>(summary.n));
  json.end_object();
}

inline void write_item(prefline::Buffer& out, const Settings& settings, const Item& item, const FinishedItem& done,
                const std::vector<std::string>& rater_names) {
  prefline::JsonWriter json(out);
  json.begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(item.key_json[i]);
  json.key(item_schema::scores).begin_object();
  for (std::size_t d = 0; d < settings.dimensions.size(); ++d) {
    json.key(settings.dimensions[d].name);
    write_summary(json, done.summaries[d]);
  }
  json.end_object();
  json.key(item_schema::overall);
  if (done.overall) json.number(*done.overall); else json.null();
  json.key(item_schema::vote_count).integer(static_cast<std::int64_t>(done.vote_count));
  json.key(item_schema::raters).begin_array();
  for (auto rater : done.raters) json.string(rater_names[rater]);
  json.end_array();
  json.key(item_schema::flags).begin_array();  // in sorted order
  if (item.duplicate_grades) json.string(item_schema::flag_duplicate_grades);
  if (done.high_variance) json.string(item_schema::flag_high_variance);
  if (done.low_votes) json.string(item_schema::flag_low_votes);
  json.end_array();
  for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) json.key(settings.keep_fields[k]).raw(item.keep_json[k]);
  json.end_object();
  json.end_record();
}

}  // namespace prefline::consensus
