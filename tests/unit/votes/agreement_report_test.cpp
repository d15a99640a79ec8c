// votes/agreement_report.hpp: the --stats object, checked against figures
// worked out by hand for small vote sets.
#include "prefline/votes/agreement_report.hpp"

#include <gtest/gtest.h>

#include <string>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using votes_test::TallyRun;

std::string agreement_report(TallyRun& run) {
  prefline::Buffer out;
  prefline::votes::write_agreement_report(out, run.options, run.settings, run.tally);
  return votes_test::text_of(out);
}

// Two raters agree on both comparisons, one won by a and one by b: p_o = 1 and the expected
// agreement is 1/2 (half the votes a, half b), so alpha (nominal, ordinal), Fleiss' and Cohen's
// kappa are all 1; each rater agrees with the other, the leave-one-out majority, on both.
TEST(VotesAgreementReport, TwoRatersInFullAgreement) {
  Options options;
  options.rater = "judge";
  options.min_overlap = 2;
  TallyRun run{options};
  run.tally.keep_votes();
  for (const char* record : {R"({"id":1,"model_a":"x","model_b":"y","winner":"a","judge":"r1"})",
                             R"({"id":1,"model_a":"x","model_b":"y","winner":"a","judge":"r2"})",
                             R"({"id":2,"model_a":"x","model_b":"y","winner":"b","judge":"r1"})",
                             R"({"id":2,"model_a":"y","model_b":"x","winner":"a","judge":"r2"})"})
    ASSERT_EQ(run.add(record), "");
  EXPECT_EQ(agreement_report(run),
            R"({"comparisons":2,"votes":4,"raters":2,"decisions":{"a":1,"b":1,"tie":0},)"
            R"("alpha":{"nominal":1,"ordinal":1,"comparisons":2,"votes":4},)"
            R"("fleiss_kappa":{"kappa":1,"reason":null,"comparisons":2,"votes_per_comparison":2},)"
            R"("min_overlap":2,"cohen_kappa":[{"raters":["r1","r2"],"shared":2,"agreement":1,"kappa":1}],)"
            R"("per_rater":[{"rater":"r1","votes":2,"ties":0,"tie_rate":0,"compared":2,"agreed":2,"agreement":1},)"
            R"({"rater":"r2","votes":2,"ties":0,"tie_rate":0,"compared":2,"agreed":2,"agreement":1}]})"
            "\n");
}

// Without raters: no per-rater figures; one vote per comparison gives no pairable values (alpha
// undefined: null) and Fleiss' kappa says why. Position bias: 2 of the 3 decided votes went to the
// side shown first (the tie is left out), Wilson interval for 2 of 3.
TEST(VotesAgreementReport, UnnamedRatersWithPositionBias) {
  Options options;
  options.shown = "left";
  TallyRun run{options};
  run.tally.keep_votes();
  for (const char* record : {R"({"id":1,"model_a":"x","model_b":"y","winner":"a","left":"a"})",
                             R"({"id":2,"model_a":"x","model_b":"y","winner":"a","left":"b"})",
                             R"({"id":3,"model_a":"x","model_b":"y","winner":"b","left":"y"})",
                             R"({"id":4,"model_a":"x","model_b":"y","winner":"tie","left":"x"})",
                             R"({"id":5,"model_a":"x","model_b":"y","winner":"b"})"})
    ASSERT_EQ(run.add(record), "");
  const auto share = prefline::votes::wilson_interval(2, 3);
  prefline::Buffer numbers;
  prefline::JsonWriter json(numbers);
  json.begin_object().key("share").number(share.share).key("low").number(share.low).key("high").number(share.high);
  std::string interval(numbers.view().substr(1));  // "share":...,"low":...,"high":...
  EXPECT_EQ(agreement_report(run),
            R"({"comparisons":5,"votes":5,"raters":null,"decisions":{"a":2,"b":2,"tie":1},)"
            R"("alpha":{"nominal":null,"ordinal":null,"comparisons":0,"votes":0},)"
            R"("fleiss_kappa":{"kappa":null,"reason":"every comparison has 1 vote","comparisons":5,)"
            R"("votes_per_comparison":1},"min_overlap":5,"cohen_kappa":[],"per_rater":[],)"
            R"("position_bias":{"votes":4,"unknown":1,"first":2,"second":1,"ties":1,)" +
                interval + R"(,"per_rater":[]}})" + "\n");
  EXPECT_NEAR(share.share, 2.0 / 3.0, 1e-15);
}

// With --criterion the figures pool every criterion, then repeat per criterion with its own
// comparisons numbered from 0. {a: 1, tie: 1} is a win for a: tie votes neither decide nor block.
TEST(VotesAgreementReport, CriteriaEachGetTheirFigures) {
  Options options;
  options.rater = "judge";
  options.criterion = "criterion";
  TallyRun run{options};
  run.tally.keep_votes();
  for (const char* record : {R"({"id":1,"criterion":"help","model_a":"x","model_b":"y","winner":"a","judge":"r1"})",
                             R"({"id":1,"criterion":"help","model_a":"x","model_b":"y","winner":"tie","judge":"r2"})",
                             R"({"id":1,"criterion":"safe","model_a":"x","model_b":"y","winner":"b","judge":"r2"})"})
    ASSERT_EQ(run.add(record), "");
  const std::string report = agreement_report(run);
  EXPECT_EQ(report.substr(0, report.find(R"(,"alpha")")),
            R"({"comparisons":2,"votes":3,"raters":2,"decisions":{"a":1,"b":1,"tie":0})");
  const std::size_t criteria = report.find(R"("criteria":[)");
  ASSERT_NE(criteria, std::string::npos);
  const std::string safe = R"({"criterion":"safe","comparisons":1,"votes":1,"raters":1,"decisions":{"a":0,"b":1,"tie":0},)";
  EXPECT_NE(report.find(safe, criteria), std::string::npos) << report;
  EXPECT_NE(report.find(R"({"criterion":"help","comparisons":1,"votes":2,"raters":2,"decisions":{"a":1,"b":0,"tie":0},)",
                        criteria),
            std::string::npos)
      << report;
  // r1 voted only on help: it is not listed under safe.
  EXPECT_NE(report.find(R"("per_rater":[{"rater":"r2","votes":1,"ties":0,"tie_rate":0,"compared":0,"agreed":0,)"
                        R"("agreement":null}]})",
                        report.find(safe)),
            std::string::npos)
      << report;
}

}  // namespace
