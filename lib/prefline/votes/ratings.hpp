// votes --ratings: the compared models rated from every vote of a tally
// (Bradley-Terry, bradley_terry.hpp), with bootstrap intervals, win counts and
// the win-rate matrix, in leaderboard order; written as one JSON object.
// When the estimate does not exist the error names the models.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/votes/bradley_terry.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace prefline::votes {

// A model id as --anchor names it: a string's text, a number's JSON text.
inline std::string model_text(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (!parser.parse(json.data(), json.size()).get(value) && value.is_string())
    return std::string(value.get_string().value_unsafe());
  return std::string(json);
}

// Models (indexes into the tally's model names) as a comma-separated list of their JSON ids.
inline std::string model_list(const Tally& tally, const std::vector<std::size_t>& models) {
  std::string text;
  for (std::size_t m : models) text += (text.empty() ? "" : ", ") + tally.model_names()[m];
  return text;
}

// Why the maximum likelihood ratings do not exist, naming the models.
inline std::string no_estimate_message(const Tally& tally, const Existence& existence) {
  std::string text = "the Bradley-Terry ratings do not exist (some model's strength is unbounded):";
  if (!existence.never_lost.empty()) text += " never lost nor tied: " + model_list(tally, existence.never_lost) + ";";
  if (!existence.never_won.empty()) text += " never won nor tied: " + model_list(tally, existence.never_won) + ";";
  if (existence.components.size() > 1) {
    text += " models split into groups, one of which never loses to another:";
    for (const auto& component : existence.components) text += " [" + model_list(tally, component) + "]";
    text += ";";
  }
  return text + " --prior W (e.g. 1) makes them exist";
}

// The fitted ratings with what both the JSON and the Markdown leaderboard show.
struct Ratings {
  std::size_t battles = 0;
  FitOptions fit_options;
  Fit fit;
  BootstrapResult boot;
  std::vector<std::size_t> order;  // leaderboard order: rating descending, equal ratings first-seen
  // wins[i][j]: wins of i over j; ties[i][j] = ties[j][i]: ties between them.
  std::vector<std::vector<double>> wins, ties;
  double won(std::size_t m) const { return std::accumulate(wins[m].begin(), wins[m].end(), 0.0); }
  double lost(std::size_t m) const {
    double total = 0;
    for (const auto& row : wins) total += row[m];
    return total;
  }
  double tied(std::size_t m) const { return std::accumulate(ties[m].begin(), ties[m].end(), 0.0); }
  double battles_of(std::size_t m) const { return won(m) + lost(m) + tied(m); }
};

// Fits the ratings to the tally's kept votes (Tally::keep_votes); throws DataError when --anchor
// names no model or the estimate does not exist.
inline Ratings fit_ratings(const Options& options, const Settings& settings, const Tally& tally) {
  const std::size_t models = tally.model_names().size();
  Ratings r;
  std::vector<Battle> battles;
  battles.reserve(tally.rated().size());
  for (const RatedVote& v : tally.rated()) {
    const Comparison& c = tally.comparisons()[v.comparison];
    battles.push_back(Battle{c.a_model, c.b_model, v.vote});
  }
  r.battles = battles.size();
  r.fit_options.prior = options.prior;
  if (!settings.anchor_model.empty()) {
    for (std::size_t m = 0; m < models; ++m)
      if (model_text(tally.model_names()[m]) == settings.anchor_model) r.fit_options.anchor = m;
    if (!r.fit_options.anchor) {
      std::vector<std::size_t> all(models);
      std::iota(all.begin(), all.end(), std::size_t{0});
      throw prefline::DataError(fmt::format("--anchor: no model '{}' in the votes; models: {}", settings.anchor_model,
                                            model_list(tally, all)));
    }
    r.fit_options.anchor_rating = settings.anchor_rating;
  }
  const std::vector<PairOutcomes> pairs = aggregate_battles(battles, models);
  r.fit = fit_bradley_terry(pairs, models, r.fit_options);
  if (!r.fit.fitted) throw prefline::DataError(no_estimate_message(tally, r.fit.existence));
  r.boot = bootstrap_bradley_terry(battles, models, r.fit_options, static_cast<std::size_t>(options.bootstrap),
                                   options.seed);
  r.wins.assign(models, std::vector<double>(models, 0));
  r.ties = r.wins;
  for (const PairOutcomes& p : pairs) {
    r.wins[p.first][p.second] = p.counts[index_of(Vote::a)];
    r.wins[p.second][p.first] = p.counts[index_of(Vote::b)];
    r.ties[p.first][p.second] = r.ties[p.second][p.first] = p.counts[index_of(Vote::tie)];
  }
  r.order.resize(models);
  std::iota(r.order.begin(), r.order.end(), std::size_t{0});
  std::ranges::stable_sort(r.order, [&](std::size_t x, std::size_t y) { return r.fit.ratings[x] > r.fit.ratings[y]; });
  return r;
}

inline void write_ratings(Buffer& out, const Options& options, const Tally& tally, const Ratings& r) {
  JsonWriter json(out);
  json.begin_object();
  json.key("battles").integer(static_cast<std::int64_t>(r.battles));
  json.key("prior").number(options.prior);
  json.key("anchor");
  if (r.fit_options.anchor) {
    json.begin_object();
    json.key("model").raw(tally.model_names()[*r.fit_options.anchor]);
    json.key("rating").number(r.fit_options.anchor_rating);
    json.end_object();
  } else {
    json.null();
  }
  json.key("iterations").integer(static_cast<std::int64_t>(r.fit.iterations));
  json.key("bootstrap").begin_object();
  json.key("rounds").integer(static_cast<std::int64_t>(r.boot.rounds));
  json.key("failed_rounds").integer(static_cast<std::int64_t>(r.boot.failed_rounds));
  json.key("seed").integer(static_cast<std::int64_t>(options.seed));
  json.end_object();
  json.key("models").begin_array();
  for (std::size_t m : r.order) {
    json.begin_object();
    json.key("model").raw(tally.model_names()[m]);
    json.key("rating").number(r.fit.ratings[m]);
    json.key("low").number(r.boot.intervals[m].low);
    json.key("high").number(r.boot.intervals[m].high);
    json.key("battles").number(r.battles_of(m));
    json.key("wins").number(r.won(m));
    json.key("losses").number(r.lost(m));
    json.key("ties").number(r.tied(m));
    json.end_object();
  }
  json.end_array();
  // (wins + ties / 2) / battles of the row's model against the column's, null if they never met.
  json.key("win_rate").begin_array();
  for (std::size_t m : r.order) {
    json.begin_array();
    for (std::size_t o : r.order) {
      const double n = r.wins[m][o] + r.wins[o][m] + r.ties[m][o];
      if (n > 0) json.number((r.wins[m][o] + r.ties[m][o] / 2) / n);
      else json.null();
    }
    json.end_array();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

}  // namespace prefline::votes
