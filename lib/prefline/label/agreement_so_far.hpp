// Agreement while grading is under way: once two graders have sheets,
// Krippendorff's alpha per scale (interval metric, stats/agreement.hpp) over
// the items graded by two or more, and the disputed items, whose grades
// spread more than --max-sd (sample sd, as consensus flags high_variance),
// for the graders to look at again.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "prefline/label/grade_sheet.hpp"
#include "prefline/stats/agreement.hpp"
#include "prefline/stats/summary.hpp"

namespace prefline::label {

struct AgreementSoFar {
  std::size_t graders = 0;
  std::vector<agreement::Alpha> alpha;  // per scale; NaN alpha when nothing is pairable yet
  // (challenge, model) of the disputed items, in the order first graded
  // (sheets in the order given).
  std::vector<std::pair<std::string, std::string>> disputed;
};

inline AgreementSoFar agreement_so_far(const std::vector<const GradeSheet*>& sheets, std::size_t scales,
                                       double max_sd) {
  AgreementSoFar result;
  result.graders = sheets.size();
  std::vector<std::pair<std::string, std::string>> keys;
  std::unordered_map<std::string, std::size_t> unit_of;
  std::vector<std::vector<std::vector<double>>> units(scales);  // [scale][unit] -> values
  for (const GradeSheet* sheet : sheets)
    for (const GradeRow& row : sheet->rows()) {
      std::string key = row.challenge + '\x1f' + row.model;
      const auto [found, added] = unit_of.try_emplace(std::move(key), keys.size());
      if (added) {
        keys.emplace_back(row.challenge, row.model);
        for (auto& scale_units : units) scale_units.emplace_back();
      }
      for (std::size_t s = 0; s < scales && s < sheet_scales; ++s)
        if (row.scores[s]) units[s][found->second].push_back(*row.scores[s]);
    }
  for (std::size_t s = 0; s < scales; ++s)
    result.alpha.push_back(agreement::krippendorff_alpha(units[s], agreement::Metric::interval));
  for (std::size_t unit = 0; unit < keys.size(); ++unit) {
    bool disputed = false;
    for (std::size_t s = 0; s < scales && !disputed; ++s)
      if (units[s][unit].size() >= 2) disputed = stats::summarize(units[s][unit], 0).sd > max_sd;
    if (disputed) result.disputed.push_back(keys[unit]);
  }
  return result;
}

}  // namespace prefline::label
