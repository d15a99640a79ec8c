// votes/pair_writer.hpp: decided comparisons as pair records in pairup's
// schema, and the comparisons left out counted by reason.
#include "prefline/votes/pair_writer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "votes_test_support.hpp"

namespace {

using prefline::votes::NoPair;
using prefline::votes::Options;
using prefline::votes::PairWriter;
using votes_test::TallyRun;

Options criterion_pair_options() {
  Options options = votes_test::pair_options();
  options.criterion = "criterion";
  return options;
}

TEST(VotesPairWriter, TheWinnersTextIsChosen) {
  TallyRun run{criterion_pair_options()};
  ASSERT_EQ(run.add(R"({"id":1,"criterion":"help","model_a":"x","model_b":7,"winner":"b","prompt":"Q?","response_a":"no","response_b":"yes"})"), "");
  ASSERT_EQ(run.add(R"({"id":1,"criterion":"help","model_a":7,"model_b":"x","winner":"tie"})"), "");
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  PairWriter writer(run.options, run.settings, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(writer.write(json, run.tally.comparisons()[0]), NoPair::none);
  EXPECT_EQ(votes_test::text_of(out),
            R"({"prompt":"Q?","chosen":"yes","rejected":"no","metadata":{"id":1,"criterion":"help",)"
            R"("chosen_model":7,"rejected_model":"x","chosen_scores":{"votes":1,"vote_count":2},)"
            R"("rejected_scores":{"votes":0,"vote_count":2},"score_difference":1,"dataset_version":"1.0.0",)"
            R"("generated_at":"2023-11-14T22:13:20.000Z"}})"
            "\n");
  EXPECT_EQ(writer.count(NoPair::none), 1u);
}

TEST(VotesPairWriter, ComparisonsWithoutAPairAreCounted) {
  Options options = criterion_pair_options();
  options.min_margin = 2;
  TallyRun run{options};
  for (const char* record : {
           // a tie under --min-margin 2
           R"({"id":1,"criterion":"c","model_a":"x","model_b":"y","winner":"a","prompt":"Q","response_a":"A","response_b":"B"})",
           // a text only white space
           R"({"id":2,"criterion":"c","model_a":"x","model_b":"y","winner":"a","prompt":" \t\r\n","response_a":"A","response_b":"B"})",
           R"({"id":2,"criterion":"c","model_a":"x","model_b":"y","winner":"a"})",
           // a text missing
           R"({"id":3,"criterion":"c","model_a":"x","model_b":"y","winner":"b","prompt":"Q","response_a":"A"})",
           R"({"id":3,"criterion":"c","model_a":"x","model_b":"y","winner":"b"})",
           // the same text on both sides
           R"({"id":4,"criterion":"c","model_a":"x","model_b":"y","winner":"b","prompt":"Q","response_a":"A","response_b":"A"})",
           R"({"id":4,"criterion":"c","model_a":"x","model_b":"y","winner":"b"})"})
    ASSERT_EQ(run.add(record), "");
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  PairWriter writer(run.options, run.settings, "t");
  const auto& comparisons = run.tally.comparisons();
  EXPECT_EQ(writer.write(json, comparisons[0]), NoPair::tie);
  EXPECT_EQ(writer.write(json, comparisons[1]), NoPair::missing_text);
  EXPECT_EQ(writer.write(json, comparisons[2]), NoPair::missing_text);
  EXPECT_EQ(writer.write(json, comparisons[3]), NoPair::identical_texts);
  EXPECT_EQ(out.size(), 0u);
  EXPECT_EQ(writer.count(NoPair::missing_text), 2u);
  EXPECT_EQ(writer.summary(comparisons.size()).line(),
            "votes: 4 comparisons, 0 pairs written, 4 comparisons left out: 1 tie (no side won under --rule majority "
            "--min-margin 2), 2 missing_text (a --prompt, --text-a or --text-b text missing, empty or only white "
            "space), 1 identical_texts (the same text on both sides)");
}

TEST(VotesPairWriter, BlankText) {
  EXPECT_TRUE(prefline::votes::blank_text(std::nullopt));
  EXPECT_TRUE(prefline::votes::blank_text(std::string()));
  EXPECT_TRUE(prefline::votes::blank_text(std::string(" \n\t\r")));
  EXPECT_FALSE(prefline::votes::blank_text(std::string(" . ")));
  EXPECT_EQ(prefline::votes::pair_candidate_field("chosen_"), "chosen_model");
}

}  // namespace
