#include "prefline/votes/pairwise_agreement.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using prefline::agreement::Metric;
using namespace prefline::votes;

// The worked example of Fleiss' kappa (10 subjects, 14 raters each, 5 categories) as given in the
// literature following Fleiss 1971: P = 0.378, P_e = 0.213, kappa = 0.210. Exact values by fractions:
// P = 0.378021978..., P_e = 0.212755102..., kappa = 0.209930704...
TEST(VotesFleiss, WorkedExampleOfFourteenRaters) {
  const std::vector<std::array<std::size_t, 5>> table{
      {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
      {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
  const FleissKappa kappa = fleiss_kappa(std::span<const std::array<std::size_t, 5>>(table));
  ASSERT_TRUE(kappa.kappa.has_value());
  EXPECT_NEAR(*kappa.kappa, 0.20993070442195524, 1e-14);
  EXPECT_EQ(kappa.subjects, 10u);
  EXPECT_EQ(kappa.raters_per_subject, 14u);
  EXPECT_TRUE(kappa.reason.empty());
}

TEST(VotesFleiss, NotDefinedSaysWhy) {
  // Comparison 0 has 2 votes, comparison 1 has 3; comparison 2 has none and is left out.
  const std::vector<RatedVote> uneven{{0, 0, Vote::a}, {0, 1, Vote::a}, {1, 0, Vote::b}, {1, 1, Vote::b}, {1, 2, Vote::tie}};
  FleissKappa kappa = vote_fleiss_kappa(uneven, 3, 3);
  EXPECT_FALSE(kappa.kappa.has_value());
  EXPECT_EQ(kappa.reason, "comparisons have different numbers of votes (2 and 3)");
  EXPECT_EQ(kappa.subjects, 2u);
  EXPECT_EQ(kappa.raters_per_subject, 0u);

  const std::vector<RatedVote> same{{0, 0, Vote::a}, {0, 1, Vote::a}, {1, 0, Vote::a}, {1, 1, Vote::a}};
  kappa = vote_fleiss_kappa(same, 3, 2);
  EXPECT_FALSE(kappa.kappa.has_value());
  EXPECT_EQ(kappa.reason, "every vote is in one category");
  EXPECT_EQ(kappa.subjects, 2u);

  const std::vector<RatedVote> single{{0, 0, Vote::a}, {1, 0, Vote::b}};
  EXPECT_EQ(vote_fleiss_kappa(single, 2, 1).reason, "every comparison has 1 vote");
  EXPECT_EQ(vote_fleiss_kappa({}, 2, 1).reason, "no comparison has a vote");
}

TEST(VotesFleiss, PerfectAgreementIsOne) {
  const std::vector<RatedVote> votes{{0, 0, Vote::a}, {0, 1, Vote::a}, {1, 0, Vote::b}, {1, 1, Vote::b},
                                     {2, 0, Vote::tie}, {2, 1, Vote::tie}};
  EXPECT_DOUBLE_EQ(*vote_fleiss_kappa(votes, 3, 2).kappa, 1.0);
}

// The textbook 2 x 2 example (50 proposals read by two readers: 20 yes-yes, 5 yes-no, 10 no-yes,
// 15 no-no): p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
TEST(VotesCohen, TextbookTwoByTwo) {
  const std::array<std::array<std::size_t, 2>, 2> table{{{20, 5}, {10, 15}}};
  EXPECT_NEAR(cohen_kappa(table), 0.4, 1e-15);
  EXPECT_TRUE(std::isnan(cohen_kappa(std::array<std::array<std::size_t, 2>, 2>{{{7, 0}, {0, 0}}})));
  EXPECT_TRUE(std::isnan(cohen_kappa(std::array<std::array<std::size_t, 2>, 2>{})));
}

TEST(VotesCohen, MinOverlapIsInclusive) {
  // Raters 0 and 1 share 3 comparisons (agree on 2); rater 2 shares 1 with each.
  const std::vector<RatedVote> votes{{0, 0, Vote::a}, {0, 1, Vote::a}, {1, 0, Vote::b}, {1, 1, Vote::b},
                                     {2, 0, Vote::a}, {2, 1, Vote::tie}, {3, 2, Vote::a}, {2, 2, Vote::b}};
  const auto pairs = pairwise_cohen_kappa(votes, 4, 3, 3);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].first, 0u);
  EXPECT_EQ(pairs[0].second, 1u);
  EXPECT_EQ(pairs[0].shared, 3u);
  EXPECT_DOUBLE_EQ(pairs[0].agreement, 2.0 / 3);
  // Rater 0: a, b, a; rater 1: a, b, tie. p_o = 2/3, p_e = (2/3)(1/3) + (1/3)(1/3) + 0 = 1/3, kappa = 1/2.
  EXPECT_NEAR(pairs[0].kappa, 0.5, 1e-15);
  EXPECT_TRUE(pairwise_cohen_kappa(votes, 4, 3, 4).empty());
  EXPECT_EQ(pairwise_cohen_kappa(votes, 4, 3, 0).size(), 3u);  // 0 is taken as 1
}

TEST(VotesAlpha, HandComputedNominalAndOrdinal) {
  // Units {a, a}, {b, b}, {a, tie}: n_a = 3, n_tie = 1, n_b = 2, n = 6, o_{a,tie} = o_{tie,a} = 1.
  // Nominal: D_o = 2, D_e = 2 (3 + 6 + 2) / 5 = 22/5, alpha = 1 - 10/22 = 6/11.
  // Ordinal: d(a, tie) = (4 - 2)^2 = 4, d(tie, b) = 1.5^2, d(a, b) = (6 - 2.5)^2; D_o = 8,
  // D_e = 2 (3 * 4 + 6 * 12.25 + 2 * 2.25) / 5 = 36, alpha = 1 - 8/36 = 7/9.
  const std::vector<RatedVote> votes{{0, 0, Vote::a}, {0, 1, Vote::a}, {1, 0, Vote::b},
                                     {1, 1, Vote::b}, {2, 0, Vote::a}, {2, 2, Vote::tie}, {3, 1, Vote::b}};
  const auto nominal = vote_alpha(votes, 4, Metric::nominal);
  EXPECT_NEAR(nominal.alpha, 6.0 / 11, 1e-14);
  EXPECT_EQ(nominal.units, 3u);  // comparison 3 has one vote: not pairable
  EXPECT_EQ(nominal.pairable_values, 6u);
  EXPECT_NEAR(vote_alpha(votes, 4, Metric::ordinal).alpha, 7.0 / 9, 1e-14);
}

TEST(VotesMajority, TiesNeitherDecideNorBlock) {
  EXPECT_EQ(majority(1, 0), Vote::a);
  EXPECT_EQ(majority(0, 2), Vote::b);
  EXPECT_EQ(majority(2, 2), Vote::tie);
  EXPECT_EQ(majority(0, 0), Vote::tie);
}

TEST(VotesDecide, MajorityWithMinMarginIsInclusive) {
  using Counts = std::array<std::size_t, vote_kinds>;  // a, tie, b
  EXPECT_EQ(decide(Counts{1, 5, 0}, Rule::majority, 1), Vote::a);
  EXPECT_EQ(decide(Counts{2, 0, 2}, Rule::majority, 1), Vote::tie);
  EXPECT_EQ(decide(Counts{3, 0, 1}, Rule::majority, 2), Vote::a);    // margin 2 >= 2
  EXPECT_EQ(decide(Counts{3, 0, 2}, Rule::majority, 2), Vote::tie);  // margin 1 < 2
  EXPECT_EQ(decide(Counts{0, 0, 3}, Rule::majority, 3), Vote::b);
  EXPECT_EQ(decide(Counts{1, 0, 0}, Rule::majority, 0), Vote::a);    // 0 is taken as 1
  EXPECT_EQ(decide(Counts{0, 0, 0}, Rule::majority, 1), Vote::tie);
  for (std::size_t a = 0; a < 4; ++a)
    for (std::size_t t = 0; t < 3; ++t)
      for (std::size_t b = 0; b < 4; ++b) EXPECT_EQ(decide(Counts{a, t, b}, Rule::majority, 1), majority(a, b));
}

TEST(VotesDecide, UnanimousNeedsEveryVoteAndMinMarginVotes) {
  using Counts = std::array<std::size_t, vote_kinds>;  // a, tie, b
  EXPECT_EQ(decide(Counts{3, 0, 0}, Rule::unanimous, 1), Vote::a);
  EXPECT_EQ(decide(Counts{0, 0, 2}, Rule::unanimous, 1), Vote::b);
  EXPECT_EQ(decide(Counts{3, 0, 1}, Rule::unanimous, 1), Vote::tie);  // one dissent
  EXPECT_EQ(decide(Counts{3, 1, 0}, Rule::unanimous, 1), Vote::tie);  // a tie vote blocks
  EXPECT_EQ(decide(Counts{2, 0, 0}, Rule::unanimous, 3), Vote::tie);  // too few votes
  EXPECT_EQ(decide(Counts{3, 0, 0}, Rule::unanimous, 3), Vote::a);
}

TEST(VotesRaters, LeaveOneOutMajorityAndTieRate) {
  // Comparison 0: a, a, b. Comparison 1: tie, b, (none). Comparison 2: rater 0 alone.
  const std::vector<RatedVote> votes{{0, 0, Vote::a}, {0, 1, Vote::a}, {0, 2, Vote::b},
                                     {1, 0, Vote::tie}, {1, 1, Vote::b}, {2, 0, Vote::b}};
  const auto raters = rater_votes(votes, 3, 3);
  // Rater 0: on 0 the others {a, b} decide tie (disagree); on 1 the other {b} decides b (disagree).
  EXPECT_EQ(raters[0].votes, 3u);
  EXPECT_EQ(raters[0].ties, 1u);
  EXPECT_DOUBLE_EQ(raters[0].tie_rate, 1.0 / 3);
  EXPECT_EQ(raters[0].compared, 2u);
  EXPECT_EQ(raters[0].agreed, 0u);
  EXPECT_DOUBLE_EQ(raters[0].agreement, 0.0);
  // Rater 1: on 0 the others {a, b} decide tie (disagree); on 1 the other {tie} decides tie (disagree).
  EXPECT_EQ(raters[1].agreed, 0u);
  // Rater 2: on 0 the others {a, a} decide a (disagree with b).
  EXPECT_EQ(raters[2].compared, 1u);
  EXPECT_EQ(raters[2].agreed, 0u);
  // A rater without votes has NaN rates.
  const auto with_idle = rater_votes(votes, 3, 4);
  EXPECT_TRUE(std::isnan(with_idle[3].tie_rate));
  EXPECT_TRUE(std::isnan(with_idle[3].agreement));
}

TEST(VotesRaters, AgreementCountsMatchingMajority) {
  const std::vector<RatedVote> votes{{0, 0, Vote::a}, {0, 1, Vote::a}, {0, 2, Vote::a}, {1, 0, Vote::tie}, {1, 1, Vote::a},
                                     {1, 2, Vote::b}};
  const auto raters = rater_votes(votes, 2, 3);
  EXPECT_EQ(raters[0].agreed, 2u);  // a with {a, a}; tie with {a, b}
  EXPECT_EQ(raters[1].agreed, 1u);  // a with {a, a}; a against {tie, b} = b
  EXPECT_DOUBLE_EQ(raters[0].agreement, 1.0);
}

TEST(VotesChecks, RejectDuplicatesAndIndexesOutOfRange) {
  const std::vector<RatedVote> twice{{0, 0, Vote::a}, {0, 0, Vote::b}};
  EXPECT_THROW(rater_votes(twice, 1, 1), std::invalid_argument);
  EXPECT_THROW(vote_alpha(twice, 1, Metric::nominal), std::invalid_argument);
  const std::vector<RatedVote> outside{{1, 0, Vote::a}};
  EXPECT_THROW(pairwise_cohen_kappa(outside, 1, 1, 1), std::invalid_argument);
  EXPECT_THROW(vote_alpha(outside, 1, Metric::nominal), std::invalid_argument);
}

}  // namespace
