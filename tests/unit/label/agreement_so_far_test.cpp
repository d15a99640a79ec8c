#include "prefline/label/agreement_so_far.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

prefline::label::GradeChange agreement_change(std::string model, std::size_t scale, int score) {
  prefline::label::GradeChange change;
  change.challenge = "add";
  change.model = std::move(model);
  change.scale = scale;
  change.score = score;
  change.at_ms = 1748962380211;
  return change;
}

TEST(AgreementSoFar, AlphaAndDisputedItems) {
  prefline::label::GradeSheet alice("alice"), bob("bob");
  // m1 and m2 agree exactly, m3 is 4 apart: its sample sd is 2.83 > 1.5.
  for (auto [model, a, b] : {std::tuple{"m1", 5, 5}, std::tuple{"m2", 1, 1}, std::tuple{"m3", 1, 5}}) {
    alice.apply(agreement_change(model, 0, a));
    bob.apply(agreement_change(model, 0, b));
  }
  alice.apply(agreement_change("m4", 0, 3));  // graded by one: no pair, never disputed
  const auto result = prefline::label::agreement_so_far({&alice, &bob}, 2, 1.5);
  EXPECT_EQ(result.graders, 2u);
  ASSERT_EQ(result.alpha.size(), 2u);
  // Interval alpha by hand: values {5,5,1,1,1,5}, n = 6, mean 3, sum of
  // squared deviations 24, so D_e = 2 * 6 * 24 / (6 * 5) = 9.6; within
  // units only m3 disagrees: D_o = 2 * 16 / 6 = 5.333; alpha = 1 - D_o / D_e.
  EXPECT_NEAR(result.alpha[0].alpha, 1.0 - (32.0 / 6.0) / 9.6, 1e-12);
  EXPECT_EQ(result.alpha[0].units, 3u);
  EXPECT_TRUE(std::isnan(result.alpha[1].alpha));  // nothing graded on the second scale
  ASSERT_EQ(result.disputed.size(), 1u);
  EXPECT_EQ(result.disputed[0].second, "m3");
}

TEST(AgreementSoFar, MaxSdIsExclusive) {
  prefline::label::GradeSheet alice("alice"), bob("bob");
  alice.apply(agreement_change("m1", 1, 2));
  bob.apply(agreement_change("m1", 1, 4));  // sample sd sqrt(2) = 1.414
  EXPECT_EQ(prefline::label::agreement_so_far({&alice, &bob}, 2, std::sqrt(2.0)).disputed.size(), 0u);
  EXPECT_EQ(prefline::label::agreement_so_far({&alice, &bob}, 2, 1.4).disputed.size(), 1u);
}

}  // namespace
