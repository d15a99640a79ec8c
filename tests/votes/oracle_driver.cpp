// Runs lib/prefline/votes/ on a plain-text input written by tests/votes/oracle.py and prints the
// results as one JSON object, for the oracle to compare with its own independent computations.
//   oracle_driver agreement FILE   first line "comparisons raters min_overlap", then "c r vote shown"
//   oracle_driver ratings FILE     first line "models prior anchor rounds seed" (anchor -1: mean 1000),
//                                  then "a b outcome"; vote / outcome / shown are a, b or tie
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "prefline/votes/bradley_terry.hpp"
#include "prefline/votes/pairwise_agreement.hpp"
#include "prefline/votes/position_bias.hpp"

namespace {

using namespace prefline::votes;

Vote vote_of(const std::string& text) {
  if (text == "a") return Vote::a;
  if (text == "b") return Vote::b;
  if (text == "tie") return Vote::tie;
  throw std::runtime_error("bad vote '" + text + "'");
}

std::string number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "null"; }

int agreement(std::ifstream& in) {
  std::size_t comparisons = 0, raters = 0, min_overlap = 0;
  in >> comparisons >> raters >> min_overlap;
  std::vector<RatedVote> votes;
  std::vector<ShownVote> shown;
  std::size_t c = 0, r = 0;
  std::string vote, side;
  while (in >> c >> r >> vote >> side) {
    votes.push_back(RatedVote{c, r, vote_of(vote)});
    shown.push_back(ShownVote{r, vote_of(vote), side == "a" ? Shown::a_first : Shown::b_first});
  }
  const auto nominal = vote_alpha(votes, comparisons, prefline::agreement::Metric::nominal);
  const auto ordinal = vote_alpha(votes, comparisons, prefline::agreement::Metric::ordinal);
  const FleissKappa fleiss = vote_fleiss_kappa(votes, comparisons, raters);
  fmt::print("{{\"alpha_nominal\":{},\"alpha_ordinal\":{},\"fleiss\":{},\"fleiss_reason\":\"{}\",\"cohen\":[",
             number(nominal.alpha), number(ordinal.alpha), fleiss.kappa ? number(*fleiss.kappa) : "null",
             fleiss.reason);
  const char* comma = "";
  for (const PairKappa& pair : pairwise_cohen_kappa(votes, comparisons, raters, min_overlap)) {
    fmt::print("{}[{},{},{},{},{}]", comma, pair.first, pair.second, pair.shared, number(pair.agreement),
               number(pair.kappa));
    comma = ",";
  }
  fmt::print("],\"raters\":[");
  comma = "";
  for (const RaterVotes& rater : rater_votes(votes, comparisons, raters)) {
    fmt::print("{}[{},{},{},{},{}]", comma, rater.votes, rater.ties, rater.compared, rater.agreed,
               number(rater.agreement));
    comma = ",";
  }
  const PositionBias bias = position_bias(shown, raters);
  auto counts = [](const PositionCounts& p) {
    return fmt::format("[{},{},{},{},{},{}]", p.first, p.second, p.ties, number(p.first_share.share),
                       number(p.first_share.low), number(p.first_share.high));
  };
  fmt::print("],\"position\":{},\"position_raters\":[", counts(bias.overall));
  comma = "";
  for (const PositionCounts& p : bias.per_rater) {
    fmt::print("{}{}", comma, counts(p));
    comma = ",";
  }
  fmt::print("]}}\n");
  return 0;
}

int ratings(std::ifstream& in) {
  std::size_t models = 0, rounds = 0;
  long anchor = -1;
  double prior = 0;
  std::uint64_t seed = 0;
  in >> models >> prior >> anchor >> rounds >> seed;
  std::vector<Battle> battles;
  std::size_t a = 0, b = 0;
  std::string outcome;
  while (in >> a >> b >> outcome) battles.push_back(Battle{a, b, vote_of(outcome)});
  FitOptions options;
  options.prior = prior;
  if (anchor >= 0) options.anchor = static_cast<std::size_t>(anchor);
  const Fit fit = fit_bradley_terry(aggregate_battles(battles, models), models, options);
  const BootstrapResult boot = bootstrap_bradley_terry(battles, models, options, rounds, seed);
  fmt::print("{{\"fitted\":{},\"iterations\":{},\"ratings\":[", fit.fitted, fit.iterations);
  const char* comma = "";
  for (double x : fit.ratings) {
    fmt::print("{}{}", comma, number(x));
    comma = ",";
  }
  fmt::print("],\"low\":[");
  comma = "";
  for (const Interval& i : boot.intervals) {
    fmt::print("{}{}", comma, number(i.low));
    comma = ",";
  }
  fmt::print("],\"high\":[");
  comma = "";
  for (const Interval& i : boot.intervals) {
    fmt::print("{}{}", comma, number(i.high));
    comma = ",";
  }
  fmt::print("],\"failed_rounds\":{},\"never_won\":[{}],\"never_lost\":[{}],\"components\":{}}}\n",
             boot.failed_rounds, fmt::join(fit.existence.never_won, ","), fmt::join(fit.existence.never_lost, ","),
             fit.existence.components.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: oracle_driver agreement|ratings FILE\n";
    return 2;
  }
  std::ifstream in(argv[2]);
  if (!in) {
    std::cerr << "oracle_driver: cannot open '" << argv[2] << "'\n";
    return 1;
  }
  const std::string mode = argv[1];
  try {
    if (mode == "agreement") return agreement(in);
    if (mode == "ratings") return ratings(in);
  } catch (const std::exception& error) {
    std::cerr << "oracle_driver: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "oracle_driver: unknown mode '" << mode << "'\n";
  return 2;
}
