// votes' options as parsed from the command line, and the settings made from
// them: every option is checked before any input is read (a usage error exits
// 2), including --codes, and key fields named like a field votes writes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/tool.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/votes/pairwise_agreement.hpp"

namespace prefline::votes {

inline constexpr std::string_view tool_name = "votes";

struct Options {
  prefline::CommonOptions common;
  std::string item = "id";
  std::string a = "model_a";
  std::string b = "model_b";
  std::string winner;  // empty: "winner" in the long layout
  std::string codes = "a=a,b=b,tie=tie";
  std::string rater;
  std::string wide;
  std::string criterion;
  std::string shown;
  std::string rule = "majority";
  long long min_margin = 1;
  std::string stats;
  long long min_overlap = 5;
  std::string ratings;
  std::string ratings_md;
  long long bootstrap = 0;
  std::uint64_t seed = 0;
  std::string anchor;
  double prior = 0;
  bool pairs = false;
  std::string prompt;
  std::string text_a;
  std::string text_b;
  std::string dataset_version = "1.0.0";
};

inline constexpr std::string_view default_winner_field = "winner";

struct Settings {
  std::vector<std::string> item_fields;
  std::vector<std::string> wide_columns;  // empty: the long layout
  std::string winner;                     // the long layout's vote field
  bool named_raters = false;              // --rater or --wide
  StringMap<Vote> codes;                  // by the winner's text; searched with a string_view
  Rule rule = Rule::majority;
  std::size_t min_margin = 1;
  std::string anchor_model;  // empty: the mean rating is 1000
  double anchor_rating = 1000;
};

// Splits CODE=VOTE pairs; a double-quoted CODE may hold commas and '='.
inline StringMap<Vote> parse_codes(std::string_view text) {
  StringMap<Vote> codes;
  std::size_t i = 0;
  const auto bad = [&](std::string_view why) {
    return prefline::UsageError(fmt::format("--codes: {} in '{}' (expected CODE=VOTE,..., VOTE one of a, b, tie)", why, text));
  };
  while (i <= text.size()) {
    std::string code;
    if (i < text.size() && text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) throw bad("an unclosed quote");
      code = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i >= text.size() || text[i] != '=') throw bad(fmt::format("no '=' after \"{}\"", code));
    } else {
      const std::size_t eq = text.find('=', i);
      const std::size_t comma = text.find(',', i);
      if (eq == std::string_view::npos || (comma != std::string_view::npos && comma < eq))
        throw bad(fmt::format("no '=' in '{}'", text.substr(i, comma == std::string_view::npos ? text.npos : comma - i)));
      code = std::string(text.substr(i, eq - i));
      i = eq;
    }
    ++i;  // '='
    const std::size_t comma = std::min(text.find(',', i), text.size());
    const std::string_view value = text.substr(i, comma - i);
    Vote vote;
    if (value == "a") vote = Vote::a;
    else if (value == "b") vote = Vote::b;
    else if (value == "tie") vote = Vote::tie;
    else throw bad(fmt::format("'{}' is not a, b or tie", value));
    if (code.empty()) throw bad("an empty code");
    if (!codes.emplace(code, vote).second) throw bad(fmt::format("the code '{}' twice", code));
    i = comma + 1;
  }
  return codes;
}

inline Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.item_fields = prefline::parse_name_list("--item", options.item, false);
  if (options.a.empty()) throw prefline::UsageError("--a needs a field name");
  if (options.b.empty()) throw prefline::UsageError("--b needs a field name");
  if (options.a == options.b) throw prefline::UsageError("--a and --b must be different fields");
  if (!options.wide.empty()) {
    if (!options.winner.empty())
      throw prefline::UsageError("--winner is for the long layout; --wide reads each vote from its rater column");
    if (!options.rater.empty())
      throw prefline::UsageError("--rater is for the long layout; with --wide the columns are the raters");
    settings.wide_columns = prefline::parse_name_list("--wide", options.wide, false);
    settings.named_raters = true;
  } else {
    settings.winner = options.winner.empty() ? std::string(default_winner_field) : options.winner;
    settings.named_raters = !options.rater.empty();
  }
  if (options.rule == "majority") settings.rule = Rule::majority;
  else if (options.rule == "unanimous") settings.rule = Rule::unanimous;
  else throw prefline::UsageError(fmt::format("--rule: '{}' is not majority or unanimous", options.rule));
  if (options.min_margin < 1) throw prefline::UsageError("--min-margin must be 1 or more");
  settings.min_margin = static_cast<std::size_t>(options.min_margin);
  if (options.min_overlap < 1) throw prefline::UsageError("--min-overlap must be 1 or more");
  if (options.bootstrap < 0) throw prefline::UsageError("--bootstrap must be 0 or more");
  if (!std::isfinite(options.prior) || options.prior < 0) throw prefline::UsageError("--prior must be a number >= 0");
  if (!options.anchor.empty()) {
    const std::size_t eq = options.anchor.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw prefline::UsageError(fmt::format("--anchor: '{}' is not MODEL=RATING", options.anchor));
    settings.anchor_model = options.anchor.substr(0, eq);
    settings.anchor_rating = prefline::parse_number("--anchor", options.anchor.substr(eq + 1));
  }
  if (options.pairs) {
    if (options.prompt.empty() || options.text_a.empty() || options.text_b.empty())
      throw prefline::UsageError("--pairs needs --prompt, --text-a and --text-b (the fields holding the texts)");
    if (options.dataset_version.empty()) throw prefline::UsageError("--dataset-version must not be empty");
  } else {
    for (const auto& [name, value] : {std::pair{"--prompt", &options.prompt}, std::pair{"--text-a", &options.text_a},
                                      std::pair{"--text-b", &options.text_b}})
      if (!value->empty()) throw prefline::UsageError(fmt::format("{} is for --pairs", name));
  }
  // The key fields are written beside the tool's own fields: a name in both would be written twice.
  std::vector<std::string_view> written = {"a", "b", "votes", "winner", "margin", "agreement", "raters"};
  if (options.pairs)
    written = {"chosen_model", "rejected_model", "chosen_scores", "rejected_scores", "score_difference",
               "dataset_version", "generated_at"};
  std::vector<std::pair<std::string, std::string>> key_fields;  // field, option
  for (const auto& field : settings.item_fields) key_fields.emplace_back(field, "--item");
  if (!options.criterion.empty()) {
    if (std::ranges::find(settings.item_fields, options.criterion) != settings.item_fields.end())
      throw prefline::UsageError(fmt::format("--criterion '{}' is one of the --item fields", options.criterion));
    key_fields.emplace_back(options.criterion, "--criterion");
  }
  for (const auto& [field, option] : key_fields)
    if (std::ranges::find(written, field) != written.end()) {
      std::string names;
      for (std::string_view name : written) names += (names.empty() ? "" : ", ") + std::string(name);
      throw prefline::UsageError(fmt::format("{}: '{}' is also a field that votes writes{} ({}); rename it first",
                                             option, field, options.pairs ? " in metadata" : "", names));
    }
  settings.codes = parse_codes(options.codes);
  return settings;
}

}  // namespace prefline::votes
