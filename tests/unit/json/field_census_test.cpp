#include "prefline/json/field_census.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(FieldCensus, SilentWhenTheFieldWasSeenOrNothingWasRead) {
  prefline::FieldCensus census;
  const std::size_t grade = census.watch("grade", "score field 'grade'");
  EXPECT_EQ(census.missing_message(), "");  // no records: nothing to say
  census.record();
  census.sample(R"({"grade": 3})");
  census.found(grade);
  EXPECT_EQ(census.missing_message(), "");
  EXPECT_NO_THROW(census.check());
}

TEST(FieldCensus, NamesTheOptionAndTheFieldsSeen) {
  prefline::FieldCensus census;
  census.watch("grade", "score field 'grade' (--score technical=grade)");
  for (const char* line : {R"({"challenge": "a", "model": "m", "technical": 3, "aesthetic": 4, "reviewedBy": "x"})",
                           R"({"challenge": "b", "model": "m", "technical": 2, "notes": ""})", "not json"}) {
    census.record();
    census.sample(line);
  }
  EXPECT_EQ(census.missing_message(),
            "score field 'grade' (--score technical=grade) is missing from all 3 records; fields seen: challenge, "
            "model, technical, aesthetic, reviewedBy, notes");
  EXPECT_THROW(census.check(), prefline::DataError);
}

TEST(FieldCensus, DottedPathListsTheDeepestLevelAndSuggests) {
  prefline::FieldCensus census;
  census.watch("scores.technical.mediam", "--by 'scores.technical.mediam'", true);
  census.record();
  census.sample(R"({"overall": 3, "scores": {"technical": {"mean": 3, "median": 3, "trimmed_mean": 3}}})");
  EXPECT_EQ(census.missing_message(),
            "--by 'scores.technical.mediam' is missing from all 1 record; 'scores.technical' has: mean, median, "
            "trimmed_mean; did you mean 'scores.technical.median'?");
}

TEST(FieldCensus, TopLevelTypoGetsASuggestion) {
  prefline::FieldCensus census;
  census.watch("duel.scor", "--field 'duel.scor'", true);
  census.add_records(2);
  census.sample(R"({"id": 1, "duel": {"score": 80, "n_judges": 3}})");
  EXPECT_EQ(census.missing_message(),
            "--field 'duel.scor' is missing from all 2 records; 'duel' has: score, n_judges; did you mean "
            "'duel.score'?");
}

}  // namespace

namespace {
TEST(FieldCensus, ATypoInTheFirstPartKeepsTheRestOfThePath) {
  prefline::FieldCensus census;
  census.watch("dual.score", "--score 'dual.score'", true);
  census.record();
  census.sample(R"({"id": 1, "duel": {"score": 80}})");
  EXPECT_EQ(census.missing_message(),
            "--score 'dual.score' is missing from all 1 record; fields seen: id, duel; did you mean 'duel.score'?");
}
}  // namespace
