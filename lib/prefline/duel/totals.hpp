// What the duel summary adds up over a run: per turn, the tallies a worker
// takes from its scores (Tallies), and the run's totals they are added to
// in input order, whoever scored the turns (DuelTotals).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "prefline/duel/scoring.hpp"

namespace prefline::duel {

// What the summary takes from scored turns, in turn order: per parsed turn,
// its delta and, per judge that parsed, the judge's score and points. Workers
// fill it; the writing thread adds it to the totals (DuelTotals::add), so the
// sums run in input order whoever scored the turns.
struct Tallies {
  struct Judge {
    std::uint32_t judge;  // the number the votes used
    double score;         // by_judge, 0..100
  };
  std::vector<double> deltas;      // per parsed turn
  std::vector<std::size_t> ends;   // per parsed turn: the end of its judges
  std::vector<Judge> judges;
  std::vector<double> points;      // per judge: one per metric

  // turn_judges: the judge number of each of the score's panel slots.
  void add(const TurnScore& score, const std::vector<std::uint32_t>& turn_judges, std::size_t metrics) {
    if (!score.parsed) return;
    deltas.push_back(*score.delta);
    for (std::size_t j = 0; j < turn_judges.size(); ++j) {
      if (!score.by_judge[j]) continue;
      judges.push_back({turn_judges[j], *score.by_judge[j]});
      points.insert(points.end(), score.points.begin() + static_cast<std::ptrdiff_t>(j * metrics),
                    score.points.begin() + static_cast<std::ptrdiff_t>((j + 1) * metrics));
    }
    ends.push_back(judges.size());
  }
  void clear() {
    deltas.clear();
    ends.clear();
    judges.clear();
    points.clear();
  }
};

// The summary's totals over the run, by the run's judge numbers.
struct DuelTotals {
  std::uint64_t done = 0;
  std::vector<double> deltas;                // of valid turns
  std::vector<double> point_sums;            // judge x metric, over the valid turns the judge parsed in
  std::vector<std::uint64_t> point_counts;   // per judge: those turns
  std::vector<double> judge_score_sums;

  void resize(std::size_t judges, std::size_t metrics) {
    point_sums.resize(judges * metrics, 0);
    point_counts.resize(judges, 0);
    judge_score_sums.resize(judges, 0);
  }

  // One turn scored on the thread that keeps the totals; judges: the
  // judge number of each of the score's panel slots.
  void add_turn(const TurnScore& score, const std::vector<std::uint32_t>& judges, std::size_t metrics) {
    ++done;
    one_turn_.clear();
    one_turn_.add(score, judges, metrics);
    add(one_turn_, nullptr, metrics);
  }

  // `run_judge` maps the tallies' judge numbers to the run's (null: the same).
  void add(const Tallies& tallies, const std::uint32_t* run_judge, std::size_t metrics) {
    std::size_t begin = 0;
    for (std::size_t t = 0; t < tallies.deltas.size(); ++t) {
      deltas.push_back(tallies.deltas[t]);
      for (std::size_t i = begin; i < tallies.ends[t]; ++i) {
        const std::uint32_t judge = run_judge ? run_judge[tallies.judges[i].judge] : tallies.judges[i].judge;
        judge_score_sums[judge] += tallies.judges[i].score;
        ++point_counts[judge];
        for (std::size_t m = 0; m < metrics; ++m) point_sums[judge * metrics + m] += tallies.points[i * metrics + m];
      }
      begin = tallies.ends[t];
    }
  }

 private:
  Tallies one_turn_;  // add_turn's
};

}  // namespace prefline::duel
