// Agreement between raters who vote on pairwise comparisons ("a is better", "b is better", "tie"):
// Krippendorff's alpha (nominal and ordinal, missing votes allowed), Fleiss' kappa, Cohen's kappa for
// every pair of raters, and per-rater figures (votes, agreement with the others' majority, tie rate).
// Comparisons and raters are dense indexes 0..n-1; a caller maps its keys and names onto them.
// Every result is independent of the order of the votes.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prefline/stats/agreement.hpp"

namespace prefline::votes {

// The order of the enumerators is the ordinal scale used by ordinal alpha: a < tie < b
// (a vote for a, a draw, a vote for b), coded 0, 1, 2.
enum class Vote : std::uint8_t { a = 0, tie = 1, b = 2 };
inline constexpr std::size_t vote_kinds = 3;

inline constexpr std::size_t index_of(Vote vote) { return static_cast<std::size_t>(vote); }

// The vote seen from the other side: a comparison's votes given with its sides in the other order.
inline constexpr Vote flipped(Vote vote) { return vote == Vote::a ? Vote::b : vote == Vote::b ? Vote::a : Vote::tie; }

// A vote as the records name it: "a", "b" or "tie".
inline constexpr std::string_view vote_name(Vote vote) { return vote == Vote::a ? "a" : vote == Vote::b ? "b" : "tie"; }

// One rater's vote on one comparison. A rater votes at most once per comparison (duplicates are
// resolved by the caller); a rater who did not vote on a comparison simply has no RatedVote for it.
struct RatedVote {
  std::size_t comparison;
  std::size_t rater;
  Vote vote;
};

// Votes per comparison: counts[c][index_of(v)].
using VoteCounts = std::vector<std::array<std::size_t, vote_kinds>>;

namespace detail {

inline void check_votes(std::span<const RatedVote> votes, std::size_t comparisons, std::size_t raters,
                        const char* who) {
  std::vector<std::pair<std::size_t, std::size_t>> cells;
  cells.reserve(votes.size());
  for (const RatedVote& v : votes) {
    if (v.comparison >= comparisons || v.rater >= raters)
      throw std::invalid_argument(std::string(who) + ": comparison or rater index out of range");
    if (index_of(v.vote) >= vote_kinds) throw std::invalid_argument(std::string(who) + ": vote out of range");
    cells.emplace_back(v.comparison, v.rater);
  }
  // Sorted rather than a comparisons x raters bitmap, which could be far larger than the votes.
  std::ranges::sort(cells);
  if (std::ranges::adjacent_find(cells) != cells.end())
    throw std::invalid_argument(std::string(who) + ": a rater voted twice on one comparison");
}

inline VoteCounts count_votes(std::span<const RatedVote> votes, std::size_t comparisons) {
  VoteCounts counts(comparisons, std::array<std::size_t, vote_kinds>{0, 0, 0});
  for (const RatedVote& v : votes) ++counts[v.comparison][index_of(v.vote)];
  return counts;
}

}  // namespace detail

// The majority decision of a set of votes, the rule `votes --rule majority` documents: the side with
// strictly more votes than the other side wins; equal votes for a and b (ties not counted) give a tie.
// Tie votes never decide and never block: {a: 1, tie: 5, b: 0} is a win for a.
inline Vote majority(std::size_t votes_a, std::size_t votes_b) {
  if (votes_a > votes_b) return Vote::a;
  if (votes_b > votes_a) return Vote::b;
  return Vote::tie;
}

// How a comparison's votes become its decision (`votes --rule`).
enum class Rule : std::uint8_t {
  majority,   // the side ahead by at least min_margin votes wins; tie votes neither decide nor block
  unanimous,  // as majority, and every vote (ties included) must be for the winning side
};

// The decision of one comparison under `rule`: side s wins when
//   votes_s - votes_other >= min_margin   (inclusive; min_margin 0 is taken as 1)
// and, under Rule::unanimous, no vote went to the other side or to a tie. Otherwise the decision is a
// tie: no side won. With min_margin 1, Rule::majority is majority(); with Rule::unanimous, min_margin
// is the number of votes a unanimous side needs.
inline Vote decide(const std::array<std::size_t, vote_kinds>& counts, Rule rule, std::size_t min_margin) {
  const std::size_t needed = std::max<std::size_t>(min_margin, 1);
  const std::size_t a = counts[index_of(Vote::a)];
  const std::size_t b = counts[index_of(Vote::b)];
  const std::size_t tie = counts[index_of(Vote::tie)];
  if (rule == Rule::unanimous && tie > 0) return Vote::tie;
  if (a >= b + needed && (rule == Rule::majority || b == 0)) return Vote::a;
  if (b >= a + needed && (rule == Rule::majority || a == 0)) return Vote::b;
  return Vote::tie;
}

// Krippendorff's alpha over the comparisons as units, each vote a value coded a = 0, tie = 1, b = 2;
// computed by agreement::krippendorff_alpha (Krippendorff 2011), which leaves out comparisons with
// fewer than 2 votes. Nominal treats the three codes as unordered categories; ordinal uses the order
// a < tie < b (a tie is closer to either side than a and b are to each other).
inline agreement::Alpha vote_alpha(std::span<const RatedVote> votes, std::size_t comparisons, agreement::Metric metric) {
  detail::check_votes(votes, comparisons, std::numeric_limits<std::size_t>::max(), "vote_alpha");
  std::vector<std::vector<double>> units(comparisons);
  for (const RatedVote& v : votes) units[v.comparison].push_back(static_cast<double>(index_of(v.vote)));
  return agreement::krippendorff_alpha(units, metric);
}

// Fleiss' kappa, or why it is not defined.
struct FleissKappa {
  std::optional<double> kappa;  // empty when not defined; `reason` says why
  std::string reason;           // empty when defined
  std::size_t subjects = 0;     // subjects (comparisons) with at least one rating, all of them
  std::size_t raters_per_subject = 0;  // n, when every subject has the same number (else 0)
};

// Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", eqs. 2-9) from
// a table of counts, counts[i][j] = raters who put subject i in category j. Subjects with no rating
// at all are left out; every other subject must have the same number n >= 2 of ratings:
//   P_i = (sum_j n_ij^2 - n) / (n (n - 1))      agreement on subject i
//   P   = mean of P_i over the N subjects
//   p_j = sum_i n_ij / (N n)                   share of all ratings in category j
//   P_e = sum_j p_j^2
//   kappa = (P - P_e) / (1 - P_e)
// Not defined (with the reason) when no subject is rated, when subjects have different numbers of
// ratings, when n < 2, or when P_e = 1 (every rating in one category). Different raters may rate
// different subjects; only the count per subject matters.
template <class Row>
FleissKappa fleiss_kappa(std::span<const Row> counts) {
  FleissKappa result;
  std::size_t n = 0;
  std::size_t categories = 0;
  for (const Row& row : counts) {
    std::size_t m = 0;
    for (std::size_t x : row) m += x;
    if (m == 0) continue;
    ++result.subjects;
    categories = std::max<std::size_t>(categories, std::size(row));
    if (n == 0) n = m;
    if (m != n && result.reason.empty())
      result.reason = "comparisons have different numbers of votes (" + std::to_string(n) + " and " +
                      std::to_string(m) + ")";
  }
  // Counted to the end, so that `subjects` is every rated subject whatever the reason.
  if (!result.reason.empty()) return result;
  if (result.subjects == 0) {
    result.reason = "no comparison has a vote";
    return result;
  }
  result.raters_per_subject = n;
  if (n < 2) {
    result.reason = "every comparison has 1 vote";
    return result;
  }
  // The sums are of integers: exact in any order (below 2^53).
  std::vector<double> category_total(categories, 0);
  double agreement_sum = 0;
  const auto raters = static_cast<double>(n);
  for (const Row& row : counts) {
    std::size_t m = 0;
    double squares = 0;
    std::size_t j = 0;
    for (std::size_t x : row) {
      m += x;
      squares += static_cast<double>(x) * static_cast<double>(x);
      category_total[j++] += static_cast<double>(x);
    }
    if (m == 0) continue;
    agreement_sum += squares - raters;
  }
  const auto subjects = static_cast<double>(result.subjects);
  const double observed = agreement_sum / (subjects * raters * (raters - 1));
  double expected = 0;
  for (double total : category_total) {
    const double share = total / (subjects * raters);
    expected += share * share;
  }
  if (!(expected < 1)) {
    result.reason = "every vote is in one category";
    return result;
  }
  result.kappa = (observed - expected) / (1 - expected);
  return result;
}

// Fleiss' kappa of votes: the comparisons are the subjects, a / b / tie the categories.
inline FleissKappa vote_fleiss_kappa(std::span<const RatedVote> votes, std::size_t comparisons, std::size_t raters) {
  detail::check_votes(votes, comparisons, raters, "vote_fleiss_kappa");
  const VoteCounts counts = detail::count_votes(votes, comparisons);
  return fleiss_kappa(std::span<const std::array<std::size_t, vote_kinds>>(counts));
}

// Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales") of two raters from
// their confusion table, table[j][k] = items the first put in category j and the second in k:
//   p_o = sum_j table[j][j] / N,  p_e = sum_j (row_j / N) (column_j / N),  kappa = (p_o - p_e) / (1 - p_e)
// NaN when N = 0 or p_e = 1 (both raters used one and the same category throughout).
template <std::size_t K>
double cohen_kappa(const std::array<std::array<std::size_t, K>, K>& table) {
  double total = 0;
  double diagonal = 0;
  std::array<double, K> row{};
  std::array<double, K> column{};
  for (std::size_t j = 0; j < K; ++j)
    for (std::size_t k = 0; k < K; ++k) {
      const auto x = static_cast<double>(table[j][k]);
      total += x;
      row[j] += x;
      column[k] += x;
      if (j == k) diagonal += x;
    }
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (total == 0) return nan;
  double expected = 0;
  for (std::size_t j = 0; j < K; ++j) expected += (row[j] / total) * (column[j] / total);
  if (!(expected < 1)) return nan;
  return (diagonal / total - expected) / (1 - expected);
}

struct PairKappa {
  std::size_t first;   // rater index, first < second
  std::size_t second;
  std::size_t shared;  // comparisons both voted on
  double agreement;    // p_o: share of shared comparisons with the same vote
  double kappa;        // Cohen's kappa over a / b / tie; NaN when p_e = 1
};

// Cohen's kappa for every pair of raters who share at least `min_overlap` comparisons (inclusive:
// shared >= min_overlap; a min_overlap of 0 is taken as 1, a pair with nothing shared has no kappa).
// Pairs in order (first, second) ascending.
inline std::vector<PairKappa> pairwise_cohen_kappa(std::span<const RatedVote> votes, std::size_t comparisons,
                                                   std::size_t raters, std::size_t min_overlap) {
  detail::check_votes(votes, comparisons, raters, "pairwise_cohen_kappa");
  // Each comparison's votes, ordered by rater.
  std::vector<std::vector<RatedVote>> by_comparison(comparisons);
  for (const RatedVote& v : votes) by_comparison[v.comparison].push_back(v);
  using Table = std::array<std::array<std::size_t, vote_kinds>, vote_kinds>;
  // Tables for pairs that share something, kept sparse: raters^2 tables could be large.
  std::vector<std::pair<std::size_t, Table>> tables;  // key first * raters + second
  for (std::vector<RatedVote>& comparison : by_comparison) {
    std::ranges::sort(comparison, {}, &RatedVote::rater);
    for (std::size_t x = 0; x < comparison.size(); ++x)
      for (std::size_t y = x + 1; y < comparison.size(); ++y) {
        const std::size_t key = comparison[x].rater * raters + comparison[y].rater;
        auto it = std::ranges::lower_bound(tables, key, {}, &std::pair<std::size_t, Table>::first);
        if (it == tables.end() || it->first != key) it = tables.insert(it, {key, Table{}});
        ++it->second[index_of(comparison[x].vote)][index_of(comparison[y].vote)];
      }
  }
  std::vector<PairKappa> result;
  const std::size_t needed = std::max<std::size_t>(min_overlap, 1);
  for (const auto& [key, table] : tables) {
    std::size_t shared = 0;
    std::size_t same = 0;
    for (std::size_t j = 0; j < vote_kinds; ++j)
      for (std::size_t k = 0; k < vote_kinds; ++k) {
        shared += table[j][k];
        if (j == k) same += table[j][k];
      }
    if (shared < needed) continue;
    result.push_back(PairKappa{key / raters, key % raters, shared,
                               static_cast<double>(same) / static_cast<double>(shared), cohen_kappa(table)});
  }
  return result;
}

struct RaterVotes {
  std::size_t votes = 0;     // comparisons this rater voted on
  std::size_t ties = 0;      // of them, tie votes
  double tie_rate = 0;       // ties / votes; NaN without votes
  std::size_t compared = 0;  // votes on comparisons where at least one other rater voted
  std::size_t agreed = 0;    // of them, votes equal to the others' majority
  double agreement = 0;      // agreed / compared; NaN when compared is 0
};

// Per rater: votes, tie rate, and agreement with the leave-one-out majority: on each comparison the
// rater voted on, the majority (see majority()) of the OTHER raters' votes there, a tie included as a
// possible decision (others {a, b} or {tie, tie} decide tie). The rater's vote agrees when it equals
// that decision. Comparisons where the rater voted alone are not compared.
inline std::vector<RaterVotes> rater_votes(std::span<const RatedVote> votes, std::size_t comparisons,
                                           std::size_t raters) {
  detail::check_votes(votes, comparisons, raters, "rater_votes");
  const VoteCounts counts = detail::count_votes(votes, comparisons);
  std::vector<RaterVotes> result(raters);
  for (const RatedVote& v : votes) {
    RaterVotes& rater = result[v.rater];
    ++rater.votes;
    if (v.vote == Vote::tie) ++rater.ties;
    std::array<std::size_t, vote_kinds> others = counts[v.comparison];
    --others[index_of(v.vote)];
    if (others[0] + others[1] + others[2] == 0) continue;
    ++rater.compared;
    if (majority(others[index_of(Vote::a)], others[index_of(Vote::b)]) == v.vote) ++rater.agreed;
  }
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (RaterVotes& rater : result) {
    rater.tie_rate = rater.votes == 0 ? nan : static_cast<double>(rater.ties) / static_cast<double>(rater.votes);
    rater.agreement =
        rater.compared == 0 ? nan : static_cast<double>(rater.agreed) / static_cast<double>(rater.compared);
  }
  return result;
}

}  // namespace prefline::votes
