#pragma once
// Reads one grade record (csv2jsonl output) into an IncomingGrade: the item
// key, the rater (or the stem of '_source'), the scores checked against the
// scale, the --keep fields' raw JSON and the grading time, in one pass over
// the record's fields with simdjson ondemand. It also notes which of the
// fields the options name each record has (for FieldCensus) and a rater
// field that contradicts the file the grade came from.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/io/line_blocks.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/path.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/text/timestamp.hpp"

namespace prefline::consensus {

namespace grade_schema = prefline::schema::grade;

// Reads an item-key value: a string (unescaped; re-escaped for output) or a
// number (its JSON text as is).
inline std::string read_key_value(simdjson::ondemand::value value, std::string_view field, KeyValue& key) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type == simdjson::ondemand::json_type::string) {
    key.is_string = true;
    if (auto error = value.get_string().get(key.text)) return prefline::json_error_reason(error);
    return {};
  }
  if (type == simdjson::ondemand::json_type::number) {
    double number;
    if (value.get_double().get(number)) return fmt::format("item field '{}' is not a valid number", field);
    key.is_string = false;
    key.text = prefline::trim_json_whitespace(value.raw_json_token());
    return {};
  }
  return fmt::format("item field '{}' must be a string or a number, not {}", field, prefline::json_type_name(type));
}

// A grader's name as written in a field and as a file stem: "EJ Fox",
// "ej-fox" and "ej_fox" are the same person (lower case, letters and digits).
inline std::string rater_name_letters(std::string_view name) {
  std::string letters;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte)) letters.push_back(static_cast<char>(std::tolower(byte)));
    else if (byte >= 0x80) letters.push_back(c);
  }
  return letters;
}

// True when a rater field's name and the stem of the grade's file name
// disagree: neither contains the other once reduced to letters and digits
// (so "alice" and "alice-2024-01-15" agree, "bob" and "alice" do not).
inline bool rater_contradicts_file(std::string_view rater, std::string_view file_stem) {
  const std::string a = rater_name_letters(rater);
  const std::string b = rater_name_letters(file_stem);
  if (a.empty() || b.empty()) return false;
  return a.find(b) == std::string::npos && b.find(a) == std::string::npos;
}

class GradeReader {
 public:
  explicit GradeReader(const Settings& settings)
      : settings_(settings), picker_(wanted_fields(settings)), seen_(roles_.size(), 0) {}

  // The index of a field this reader looks at (for has_field), or -1.
  std::ptrdiff_t field_index(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return static_cast<std::ptrdiff_t>(i);
    return -1;
  }
  // After read(): true when the record's fields were read (it was an object
  // whose values parsed), whether or not the record turned out bad.
  bool fields_read() const { return fields_read_; }
  // After read() with fields_read(): whether the record has field `index`.
  bool has_field(std::ptrdiff_t index) const { return index >= 0 && seen_[static_cast<std::size_t>(index)] != 0; }

  // After a successful read(): a line for stderr when this grade's rater
  // field names someone else than its file ('_source') does, the first time
  // for that file; else "".
  const std::string& contradiction() const { return contradiction_; }

  // Parses one line into `grade`; returns the reason when the record is bad.
  std::string read(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, IncomingGrade& grade) {
    fields_read_ = false;
    contradiction_.clear();
    simdjson::ondemand::document document;
    std::string reason = prefline::start_object(parser, line, document);
    if (!reason.empty()) return reason;
    simdjson::ondemand::object object;
    if (auto error = document.get_object().get(object)) return prefline::json_error_reason(error);

    const std::size_t dims = settings_.dimensions.size();
    grade.key_values.assign(settings_.item_fields.size(), {});
    key_seen_.assign(settings_.item_fields.size(), false);
    grade.keep_raw.assign(settings_.keep_fields.size(), {});
    grade.values.assign(dims, not_graded);
    grade.counts.assign(settings_.duplicates == Duplicates::mean ? dims : 0, 0);
    grade.rater = {};
    grade.has_time = false;
    std::string_view source;
    bool have_source = false;
    std::string_view time_text;
    std::fill(seen_.begin(), seen_.end(), 0);

    reason = picker_.pick(object, [&](std::size_t index, simdjson::ondemand::value value) -> std::string {
      seen_[index] = 1;
      for (const Role& role : roles_[index]) {
        std::string problem = read_role(role, value, grade, source, have_source, time_text);
        if (!problem.empty()) return problem;
      }
      return {};
    });
    if (!reason.empty()) return reason;
    if (!document.current_location().error()) return prefline::json_error_reason(simdjson::TRAILING_CONTENT);
    fields_read_ = true;

    grade.key.clear();
    for (std::size_t i = 0; i < settings_.item_fields.size(); ++i) {
      if (!key_seen_[i])
        return fmt::format("missing item field '{}' (--item {})", settings_.item_fields[i], item_option());
      append_key_part(grade.key, grade.key_values[i]);
    }
    const bool rater_from_field = !grade.rater.empty() && settings_.rater_field != grade_schema::source;
    if (grade.rater.empty()) {
      if (!have_source || prefline::path_stem(source).empty())
        return fmt::format("no rater: field '{}' (--rater) is missing or empty and there is no '{}'",
                           settings_.rater_field, grade_schema::source);
      grade.rater = prefline::path_stem(source);
    }
    if (settings_.duplicates == Duplicates::latest && !time_text.empty()) {
      const auto time = prefline::parse_iso8601(time_text);
      if (!time) return fmt::format("time field '{}' is not an ISO 8601 time: '{}'", settings_.time_field, time_text);
      grade.has_time = true;
      grade.time = *time;
    }
    // Only for good grades, so that the one warning per file is not lost with a bad one.
    if (rater_from_field && have_source) note_contradiction(grade.rater, source);
    return {};
  }

 private:
  enum class RoleKind { item, rater, score, time, keep, source };
  struct Role {
    RoleKind kind;
    std::size_t index;
  };

  std::string item_option() const {
    std::string text;
    for (std::size_t i = 0; i < settings_.item_fields.size(); ++i) text += (i ? "," : "") + settings_.item_fields[i];
    return text;
  }

  void note_contradiction(std::string_view rater, std::string_view source) {
    // Per file: the last rater checked, and whether the file was warned about
    // (a file's grades mostly name one rater: one hash lookup per grade).
    auto found = checked_files_.find(source);
    if (found == checked_files_.end()) found = checked_files_.emplace(std::string(source), CheckedFile{}).first;
    CheckedFile& file = found->second;
    if (file.warned || file.last_rater == rater) return;
    file.last_rater = rater;
    const std::string_view stem = prefline::path_stem(source);
    if (!rater_contradicts_file(rater, stem)) return;
    file.warned = true;
    contradiction_ = fmt::format(
        "warning: {}: rater field '{}' says '{}' but the file name says '{}'; the grades count for '{}' "
        "(--rater {} names the grader by the file)",
        source, settings_.rater_field, rater, stem, rater, grade_schema::source);
  }

  // One picker name per distinct field; a field can play several roles.
  std::vector<std::string> wanted_fields(const Settings& settings) {
    std::vector<std::string>& names = names_;
    auto add = [&](const std::string& name, RoleKind kind, std::size_t index) {
      auto found = std::find(names.begin(), names.end(), name);
      if (found == names.end()) {
        names.push_back(name);
        roles_.emplace_back();
        found = names.end() - 1;
      }
      roles_[static_cast<std::size_t>(found - names.begin())].push_back({kind, index});
    };
    for (std::size_t i = 0; i < settings.item_fields.size(); ++i) add(settings.item_fields[i], RoleKind::item, i);
    add(settings.rater_field, RoleKind::rater, 0);
    for (std::size_t d = 0; d < settings.dimensions.size(); ++d) add(settings.dimensions[d].field, RoleKind::score, d);
    add(settings.time_field, RoleKind::time, 0);
    for (std::size_t k = 0; k < settings.keep_fields.size(); ++k) add(settings.keep_fields[k], RoleKind::keep, k);
    add(std::string(grade_schema::source), RoleKind::source, 0);
    return names;
  }

  // A value whose type() is null (which only looks at its first byte): ""
  // for the literal null, else the JSON error ("nul", "nullx").
  static std::string check_null(simdjson::ondemand::value& value) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return prefline::json_error_reason(error);
    return is_null ? std::string() : prefline::json_error_reason(simdjson::N_ATOM_ERROR);
  }

  std::string read_role(const Role& role, simdjson::ondemand::value& value, IncomingGrade& grade,
                        std::string_view& source, bool& have_source, std::string_view& time_text) {
    switch (role.kind) {
      case RoleKind::item: {
        key_seen_[role.index] = true;
        return read_key_value(value, settings_.item_fields[role.index], grade.key_values[role.index]);
      }
      case RoleKind::rater: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type == simdjson::ondemand::json_type::null) return check_null(value);
        std::string_view text;
        if (type != simdjson::ondemand::json_type::string || value.get_string().get(text))
          return fmt::format("rater field '{}' must be a string, not {}", settings_.rater_field,
                             prefline::json_type_name(type));
        // '_source' holds a file path: its stem names the grader, as in the fallback.
        grade.rater = settings_.rater_field == grade_schema::source ? prefline::path_stem(text) : text;
        return {};
      }
      case RoleKind::score: {
        const Dimension& dimension = settings_.dimensions[role.index];
        const prefline::NumberField field = prefline::read_number_field(value);
        if (field.state == prefline::NumberField::State::invalid)
          return fmt::format("score field '{}' is not a number: '{}'", dimension.field, field.text);
        if (field.state == prefline::NumberField::State::absent) return {};
        if (field.value < settings_.scale_min || field.value > settings_.scale_max)
          return fmt::format("score field '{}' is {}, outside the scale {}", dimension.field, field.value,
                             settings_.scale_text);
        grade.values[role.index] = field.value;
        if (!grade.counts.empty()) grade.counts[role.index] = 1;
        return {};
      }
      case RoleKind::time: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type == simdjson::ondemand::json_type::null) return check_null(value);
        if (type != simdjson::ondemand::json_type::string || value.get_string().get(time_text)) {
          if (settings_.duplicates != Duplicates::latest) {
            // Not needed without --duplicates latest, but it must be valid JSON.
            if (type == simdjson::ondemand::json_type::string) return prefline::json_error_reason(simdjson::STRING_ERROR);
            if (auto error = prefline::check_value(value)) return prefline::json_error_reason(error);
            return {};
          }
          return fmt::format("time field '{}' must be a string, not {}", settings_.time_field,
                             prefline::json_type_name(type));
        }
        return {};
      }
      case RoleKind::keep: {
        std::string_view raw;
        if (auto error = prefline::raw_value(value, raw)) return prefline::json_error_reason(error);
        grade.keep_raw[role.index] = raw;
        return {};
      }
      case RoleKind::source: {
        simdjson::ondemand::json_type type;
        if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
        if (type != simdjson::ondemand::json_type::string) {
          // not a path: ignored, but it must be valid JSON
          if (auto error = prefline::check_value(value)) return prefline::json_error_reason(error);
          return {};
        }
        if (auto error = value.get_string().get(source)) return prefline::json_error_reason(error);
        have_source = true;
        return {};
      }
    }
    return {};
  }

  const Settings& settings_;
  std::vector<std::string> names_;
  std::vector<std::vector<Role>> roles_;
  prefline::FieldPicker picker_;
  std::vector<char> seen_;  // per name: the current record has it
  bool fields_read_ = false;
  std::vector<char> key_seen_;
  std::string contradiction_;
  struct CheckedFile {
    std::string last_rater;
    bool warned = false;
  };
  prefline::StringMap<CheckedFile> checked_files_;  // by '_source' value
};

}  // namespace prefline::consensus
