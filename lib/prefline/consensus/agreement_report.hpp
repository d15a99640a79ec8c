#pragma once
// The consensus --stats report: per dimension Krippendorff's alpha (interval and
// ordinal), per rater the leave-one-out agreement figures, the items flagged
// high_variance and the item counts, as one JSON object on uncalibrated values.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "prefline/consensus/item_statistics.hpp"
#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/stats/agreement.hpp"

namespace prefline::consensus {

namespace item_schema = prefline::schema::item;

inline void write_agreement(prefline::Buffer& out, const Settings& settings, const std::vector<Item>& items,
                     const std::vector<std::string>& rater_names, const ItemStatistics& finisher,
                     const std::vector<std::size_t>& high_variance, std::size_t written) {
  namespace agreement = prefline::agreement;
  namespace report = prefline::schema::agreement;
  prefline::JsonWriter json(out);
  auto optional_number = [&](double value) {
    if (std::isnan(value)) json.null(); else json.number(value);
  };
  const std::size_t dims = settings.dimensions.size();
  std::vector<std::vector<agreement::RaterAgreement>> per_rater(dims);

  json.begin_object();
  json.key(report::items).integer(static_cast<std::int64_t>(items.size()));
  json.key(report::items_written).integer(static_cast<std::int64_t>(written));
  json.key(report::dimensions).begin_object();
  for (std::size_t d = 0; d < dims; ++d) {
    const auto rated = finisher.rated_values(d);
    std::vector<std::vector<double>> units(items.size());
    for (const auto& value : rated) units[value.item].push_back(value.value);
    const auto interval = agreement::krippendorff_alpha(units, agreement::Metric::interval);
    const auto ordinal = agreement::krippendorff_alpha(units, agreement::Metric::ordinal);
    json.key(settings.dimensions[d].name).begin_object();
    json.key(report::alpha_interval);
    optional_number(interval.alpha);
    json.key(report::alpha_ordinal);
    optional_number(ordinal.alpha);
    json.key(report::units).integer(static_cast<std::int64_t>(interval.units));
    json.key(report::pairable_values).integer(static_cast<std::int64_t>(interval.pairable_values));
    json.end_object();
    per_rater[d] = agreement::rater_agreement(rated, items.size(), rater_names.size());
  }
  json.end_object();

  std::vector<std::size_t> items_graded(rater_names.size(), 0);
  for (const auto& item : items)
    for (std::size_t g = 0; g < item.grades.size(); ++g) {
      bool any = false;
      for (std::size_t d = 0; d < dims; ++d) any = any || !std::isnan(item.values[g * dims + d]);
      if (any) ++items_graded[item.grades[g].rater];
    }
  json.key(report::raters).begin_array();
  for (std::size_t r = 0; r < rater_names.size(); ++r) {
    json.begin_object();
    json.key(report::rater).string(rater_names[r]);
    json.key(report::items_graded).integer(static_cast<std::int64_t>(items_graded[r]));
    for (std::size_t d = 0; d < dims; ++d) {
      const auto& stats = per_rater[d][r];
      json.key(settings.dimensions[d].name).begin_object();
      json.key(report::values).integer(static_cast<std::int64_t>(stats.grades));
      json.key(report::mean_score);
      optional_number(stats.mean_score);
      json.key(report::mean_deviation);
      optional_number(stats.mean_deviation);
      json.key(report::share_far);
      optional_number(stats.share_far);
      json.key(report::compared_items).integer(static_cast<std::int64_t>(stats.compared_items));
      json.end_object();
    }
    json.end_object();
  }
  json.end_array();
  json.key(item_schema::flag_high_variance).begin_array();
  for (std::size_t i : high_variance) {
    json.begin_object();
    for (std::size_t k = 0; k < settings.item_fields.size(); ++k)
      json.key(settings.item_fields[k]).raw(items[i].key_json[k]);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

}  // namespace prefline::consensus
