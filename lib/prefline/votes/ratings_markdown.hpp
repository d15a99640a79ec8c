// votes --ratings-md: the fitted ratings (ratings.hpp) as a Markdown
// leaderboard: a line saying how they were fitted, then | Rank | Model |
// Rating | 95 % interval | Battles | Wins | Losses | Ties |, ratings to one
// decimal, counts as whole numbers.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "prefline/json/writer.hpp"
#include "prefline/report/markdown.hpp"
#include "prefline/votes/ratings.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace prefline::votes {

namespace detail {

// A number in the shortest form that reads back the same, as in the JSON output.
inline std::string number_text(double value) {
  Buffer buffer;
  append_json_number(buffer, value);
  return std::string(buffer.view());
}

inline std::string one_decimal(double value) { return fmt::format("{:.1f}", value); }

// Counts are whole numbers of votes; they print without a decimal point.
inline std::string count_text(double value) { return fmt::format("{}", static_cast<std::int64_t>(std::llround(value))); }

}  // namespace detail

inline void write_ratings_markdown(Buffer& out, const Options& options, const Tally& tally, const Ratings& r) {
  std::string text = fmt::format(
      "Bradley-Terry ratings from {} battles (a tie is half a win for each side), Elo scale, ", r.battles);
  if (r.fit_options.anchor)
    text += fmt::format("{} fixed at {}", doc::escape_markdown(model_text(tally.model_names()[*r.fit_options.anchor])),
                        detail::number_text(r.fit_options.anchor_rating));
  else
    text += "mean 1000";
  if (options.prior > 0) text += fmt::format(", prior {}", detail::number_text(options.prior));
  if (r.boot.rounds > 0)
    text += fmt::format("; 95 % intervals from {} bootstrap rounds (seed {}{})", r.boot.rounds, options.seed,
                        r.boot.failed_rounds > 0 ? fmt::format(", {} without an estimate", r.boot.failed_rounds)
                                                 : std::string());
  text += ".\n\n";
  doc::Table table;
  table.columns = {{"Rank", true},    {"Model", false}, {"Rating", true}, {"95 % interval", false},
                   {"Battles", true}, {"Wins", true},   {"Losses", true}, {"Ties", true}};
  std::size_t rank = 0;
  for (std::size_t m : r.order) {
    const auto& interval = r.boot.intervals[m];
    const bool known = std::isfinite(interval.low) && std::isfinite(interval.high);
    table.rows.push_back({std::to_string(++rank), model_text(tally.model_names()[m]), detail::one_decimal(r.fit.ratings[m]),
                          known ? detail::one_decimal(interval.low) + " to " + detail::one_decimal(interval.high)
                                : std::string("-"),
                          detail::count_text(r.battles_of(m)), detail::count_text(r.won(m)),
                          detail::count_text(r.lost(m)), detail::count_text(r.tied(m))});
  }
  doc::render_markdown_table(table, text);
  out.append(text);
}

}  // namespace prefline::votes
