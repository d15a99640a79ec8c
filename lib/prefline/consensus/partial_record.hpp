#pragma once
// The mergeable partial records of --partial / --merge: every grade an item's
// statistics need (values, times, duplicate counts), written per item so that
// merging shards in input order gives exactly the records of one whole run.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/consensus/grade_reader.hpp"
#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/io/line_blocks.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::consensus {

namespace item_schema = prefline::schema::item;
namespace partial_schema = prefline::schema::partial;

inline void write_partial(prefline::Buffer& out, const Settings& settings, const Item& item,
                   const std::vector<std::string>& rater_names) {
  const std::size_t dims = settings.dimensions.size();
  prefline::JsonWriter json(out);
  json.begin_object();
  json.key(partial_schema::item).begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(item.key_json[i]);
  json.end_object();
  json.key(partial_schema::keep).begin_object();
  for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) json.key(settings.keep_fields[k]).raw(item.keep_json[k]);
  json.end_object();
  json.key(partial_schema::dimensions).begin_array();
  for (const auto& dimension : settings.dimensions) json.string(dimension.name);
  json.end_array();
  json.key(item_schema::flag_duplicate_grades).boolean(item.duplicate_grades);
  json.key(partial_schema::grades).begin_array();
  for (std::size_t g = 0; g < item.grades.size(); ++g) {
    const Grade& grade = item.grades[g];
    json.begin_object();
    json.key(partial_schema::rater).string(rater_names[grade.rater]);
    json.key(partial_schema::time);
    if (grade.has_time) json.integer(grade.time); else json.null();
    json.key(partial_schema::values).begin_array();
    for (std::size_t d = 0; d < dims; ++d) json.number(item.values[g * dims + d]);  // NaN -> null
    json.end_array();
    if (!item.counts.empty()) {
      json.key(partial_schema::counts).begin_array();
      for (std::size_t d = 0; d < dims; ++d) json.integer(item.counts[g * dims + d]);
      json.end_array();
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

// Reads one partial record and adds its grades. Returns the reason when bad.
inline std::string merge_partial(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, const Settings& settings,
                          ItemTable& consensus) {
  simdjson::ondemand::document document;
  std::string reason = prefline::start_object(parser, line, document);
  if (!reason.empty()) return reason;
  const std::size_t dims = settings.dimensions.size();
  const bool with_counts = settings.duplicates == Duplicates::mean;
  auto fail = [](simdjson::error_code error) { return prefline::json_error_reason(error); };
  auto not_partial = [](std::string_view what) {
    return fmt::format("not a consensus --partial record: {}", what);
  };

  IncomingGrade base;
  base.keep_raw.assign(settings.keep_fields.size(), {});
  base.key_values.assign(settings.item_fields.size(), {});
  std::vector<IncomingGrade> grades;
  bool duplicate_grades = false;
  bool seen_item = false, seen_grades = false, seen_dimensions = false;

  simdjson::ondemand::object object;
  if (auto error = document.get_object().get(object)) return fail(error);
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return fail(error);
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) return fail(error);
    if (key == partial_schema::item) {
      seen_item = true;
      simdjson::ondemand::object item;
      if (value.get_object().get(item)) return not_partial("'item' is not an object");
      std::size_t i = 0;
      for (auto part : item) {
        std::string_view name;
        if (auto error = part.unescaped_key().get(name)) return fail(error);
        if (i >= settings.item_fields.size())
          return fmt::format("partial record has more item fields than --item gives (extra '{}')", name);
        if (name != settings.item_fields[i])
          return fmt::format("partial record has item field '{}' where --item expects '{}'", name,
                             settings.item_fields[i]);
        simdjson::ondemand::value part_value;
        if (auto error = part.value().get(part_value)) return fail(error);
        reason = read_key_value(part_value, name, base.key_values[i]);
        if (!reason.empty()) return reason;
        append_key_part(base.key, base.key_values[i]);
        ++i;
      }
      if (i != settings.item_fields.size()) return not_partial("'item' lacks --item fields");
    } else if (key == partial_schema::keep) {
      simdjson::ondemand::object keep;
      if (value.get_object().get(keep)) return not_partial("'keep' is not an object");
      for (auto part : keep) {
        std::string_view name;
        if (auto error = part.unescaped_key().get(name)) return fail(error);
        simdjson::ondemand::value part_value;
        if (auto error = part.value().get(part_value)) return fail(error);
        std::string_view raw;
        if (auto error = prefline::raw_value(part_value, raw)) return fail(error);
        for (std::size_t k = 0; k < settings.keep_fields.size(); ++k)
          if (settings.keep_fields[k] == name) base.keep_raw[k] = raw;
      }
    } else if (key == partial_schema::dimensions) {
      seen_dimensions = true;
      simdjson::ondemand::array names;
      if (value.get_array().get(names)) return not_partial("'dimensions' is not an array");
      std::size_t d = 0;
      for (auto element : names) {
        std::string_view name;
        if (element.get_string().get(name)) return not_partial("'dimensions' holds a non-string");
        if (d >= dims) return fmt::format("partial record has more dimensions than --score gives (extra '{}')", name);
        if (name != settings.dimensions[d].name)
          return fmt::format("partial record has dimension '{}' where --score expects '{}'", name,
                             settings.dimensions[d].name);
        ++d;
      }
      if (d != dims) return "partial record has fewer dimensions than --score";
    } else if (key == item_schema::flag_duplicate_grades) {
      if (value.get_bool().get(duplicate_grades)) return not_partial("'duplicate_grades' is not a boolean");
    } else if (key == partial_schema::grades) {
      seen_grades = true;
      simdjson::ondemand::array list;
      if (value.get_array().get(list)) return not_partial("'grades' is not an array");
      for (auto element : list) {
        simdjson::ondemand::object entry;
        if (element.get_object().get(entry)) return not_partial("a grade is not an object");
        IncomingGrade grade;
        grade.values.assign(dims, not_graded);
        grade.counts.assign(with_counts ? dims : 0, 0);
        bool have_counts = false;
        for (auto part : entry) {
          std::string_view name;
          if (auto error = part.unescaped_key().get(name)) return fail(error);
          simdjson::ondemand::value part_value;
          if (auto error = part.value().get(part_value)) return fail(error);
          if (name == partial_schema::rater) {
            if (part_value.get_string().get(grade.rater) || grade.rater.empty())
              return not_partial("a grade has no rater");
          } else if (name == partial_schema::time) {
            bool is_null = false;
            if (part_value.is_null().get(is_null)) return fail(simdjson::INCORRECT_TYPE);
            if (!is_null) {
              if (part_value.get_int64().get(grade.time)) return not_partial("a grade's time is not an integer");
              grade.has_time = true;
            }
          } else if (name == partial_schema::values || name == partial_schema::counts) {
            const bool counts = name == partial_schema::counts;
            if (counts && !with_counts) return "partial record has counts: merge with --duplicates mean";
            have_counts = have_counts || counts;
            simdjson::ondemand::array numbers;
            if (part_value.get_array().get(numbers)) return not_partial("'values' is not an array");
            std::size_t d = 0;
            for (auto number : numbers) {
              if (d >= dims) return not_partial("too many values");
              if (counts) {
                std::uint64_t count;
                if (number.get_uint64().get(count)) return not_partial("a count is not an integer");
                grade.counts[d] = static_cast<std::uint32_t>(count);
              } else {
                bool is_null = false;
                if (number.is_null().get(is_null)) return fail(simdjson::INCORRECT_TYPE);
                if (!is_null && number.get_double().get(grade.values[d])) return not_partial("a value is not a number");
              }
              ++d;
            }
            if (d != dims) return not_partial("too few values");
          } else {
            // another key: skipped, but it must be valid JSON
            if (auto error = prefline::check_value(part_value)) return fail(error);
          }
        }
        if (grade.rater.empty()) return not_partial("a grade has no rater");
        if (with_counts && !have_counts) return "partial record has no counts: it was not made with --duplicates mean";
        grades.push_back(std::move(grade));
      }
    } else {
      // another key: skipped, but it must be valid JSON
      if (auto error = prefline::check_value(value)) return fail(error);
    }
  }
  if (!document.current_location().error()) return fail(simdjson::TRAILING_CONTENT);
  if (!seen_item || !seen_grades || !seen_dimensions) return not_partial("missing 'item', 'dimensions' or 'grades'");

  // Check every grade first, so a bad record changes nothing.
  if (settings.duplicates == Duplicates::error) {
    for (const auto& grade : grades) {
      IncomingGrade probe;
      probe.key = base.key;
      probe.rater = grade.rater;
      if (consensus.has_duplicate(probe))
        return fmt::format("duplicate grade: rater '{}' already graded this item (see --duplicates)", grade.rater);
    }
  }
  for (auto& grade : grades) {
    grade.key = base.key;
    grade.key_values = base.key_values;
    grade.keep_raw = base.keep_raw;
    reason = consensus.add(grade);
    if (!reason.empty()) return reason;
  }
  if (duplicate_grades) consensus.mark_duplicates(base.key);
  return {};
}

}  // namespace prefline::consensus
