// votes/comparison_record.hpp: the record written per comparison, byte for byte.
#include "prefline/votes/comparison_record.hpp"

#include <gtest/gtest.h>

#include <string>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::Options;
using votes_test::TallyRun;

std::string comparison_records(TallyRun& run) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  for (const auto& c : run.tally.comparisons())
    prefline::votes::write_comparison(json, run.options, run.settings, run.tally.rater_names(), c);
  return votes_test::text_of(out);
}

TEST(VotesComparisonRecord, KeyVotesDecisionAgreementRaters) {
  Options options;
  options.item = "question_id,turn";
  options.criterion = "criterion";
  options.rater = "judge";
  TallyRun run{options};
  for (const char* record : {
           R"({"question_id":"q1","turn":2,"criterion":"help","model_a":"x","model_b":"y","winner":"a","judge":"j1"})",
           R"({"question_id":"q1","turn":2,"criterion":"help","model_a":"y","model_b":"x","winner":"b","judge":7})",
           R"({"question_id":"q1","turn":2,"criterion":"help","model_a":"x","model_b":"y","winner":"tie","judge":"j3"})",
           R"({"question_id":"q2","turn":1,"criterion":"help","model_a":"x","model_b":"y","winner":"b","judge":"j1"})",
           R"({"question_id":"q2","turn":1,"criterion":"help","model_a":"x","model_b":"y","winner":"a","judge":"j3"})"})
    ASSERT_EQ(run.add(record), "");
  EXPECT_EQ(comparison_records(run),
            R"({"question_id":"q1","turn":2,"criterion":"help","a":"x","b":"y","votes":{"a":2,"b":0,"tie":1,"n":3},)"
            R"("winner":"a","margin":2,"agreement":0.6666666666666666,"raters":["j1",7,"j3"]})"
            "\n"
            R"({"question_id":"q2","turn":1,"criterion":"help","a":"x","b":"y","votes":{"a":1,"b":1,"tie":0,"n":2},)"
            R"("winner":"tie","margin":0,"agreement":0,"raters":["j1","j3"]})"
            "\n");
}

TEST(VotesComparisonRecord, WithoutNamedRatersNoRaters) {
  Options options;
  options.rule = "unanimous";
  TallyRun run{options};
  ASSERT_EQ(run.add(R"({"id":{"k":[1]},"model_a":3,"model_b":"y","winner":"tie"})"), "");
  ASSERT_EQ(run.add(R"({"id":{"k":[1]},"model_a":3,"model_b":"y","winner":"tie"})"), "");
  ASSERT_EQ(run.add(R"({"id":{"k":[1]},"model_a":3,"model_b":"y","winner":"b"})"), "");
  // A tie decision's agreement counts the tie votes.
  EXPECT_EQ(comparison_records(run),
            R"({"id":{"k":[1]},"a":3,"b":"y","votes":{"a":0,"b":1,"tie":2,"n":3},"winner":"tie","margin":1,)"
            R"("agreement":0.6666666666666666})"
            "\n");
}

TEST(VotesComparisonRecord, WideColumnsAreTheRaters) {
  Options options;
  options.wide = "annotator1,annotator2";
  options.codes = "1=a,2=b,0=tie";
  TallyRun run{options};
  ASSERT_EQ(run.add(R"({"id":1,"model_a":"x","model_b":"y","annotator2":2,"annotator1":2})"), "");
  EXPECT_EQ(comparison_records(run),
            R"({"id":1,"a":"x","b":"y","votes":{"a":0,"b":2,"tie":0,"n":2},"winner":"b","margin":2,"agreement":1,)"
            R"("raters":["annotator1","annotator2"]})"
            "\n");
}

}  // namespace
