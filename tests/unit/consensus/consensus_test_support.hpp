#pragma once
// Shared by the consensus unit tests: the tool's default settings and grade
// lines held in padded storage, as the JSONL reader hands them over.
#include <cmath>
#include <string>
#include <vector>
#include <string_view>

#include <simdjson.h>

#include "prefline/consensus/item_table.hpp"
#include "prefline/consensus/settings.hpp"
#include "prefline/io/line_blocks.hpp"

namespace consensus_test {

// consensus with no options: --item challenge,model, two dimensions, 0:5.
inline prefline::consensus::Settings default_settings() {
  prefline::consensus::Settings settings;
  settings.item_fields = {"challenge", "model"};
  settings.rater_field = "reviewedBy";
  settings.dimensions = {{"technical", "grade", 1}, {"aesthetic", "aesthetics", 1}};
  settings.scale_text = "0:5";
  settings.time_field = "reviewedAt";
  return settings;
}

// One JSONL line with simdjson's padding behind it.
class PaddedLine {
 public:
  explicit PaddedLine(std::string_view text, std::uint64_t number = 1) : storage_(text) {
    line_.text = std::string_view(storage_.data(), text.size());
    line_.number = number;
    line_.capacity = text.size() + simdjson::SIMDJSON_PADDING;
  }
  const prefline::JsonlLine& line() const { return line_; }

 private:
  simdjson::padded_string storage_;
  prefline::JsonlLine line_;
};

}  // namespace consensus_test

namespace consensus_test {

// A grade of item (challenge, model) by `rater`, as the reader would give it.
inline prefline::consensus::IncomingGrade grade_of(std::string_view challenge, std::string_view model,
                                                   std::string_view rater, std::vector<double> values,
                                                   bool with_counts = false) {
  prefline::consensus::IncomingGrade grade;
  grade.key_values = {{true, challenge}, {true, model}};
  for (const auto& value : grade.key_values) prefline::consensus::append_key_part(grade.key, value);
  grade.rater = rater;
  if (with_counts)
    for (double v : values) grade.counts.push_back(std::isnan(v) ? 0 : 1);
  grade.values = std::move(values);
  return grade;
}

}  // namespace consensus_test
