// votes/vote_reader.hpp: the votes of one record in the long and the wide
// layout, the side shown first, and the census of the fields options name.
#include "prefline/votes/vote_reader.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "prefline/cli/errors.hpp"

namespace {

using prefline::votes::Options;
using prefline::votes::RecordVote;
using prefline::votes::Shown;
using prefline::votes::Vote;
using prefline::votes::VoteReader;

// A reader with its options and settings, and records parsed from text.
struct ReaderRun {
  explicit ReaderRun(Options given)
      : options(std::move(given)), settings(prefline::votes::make_settings(options)), reader(options, settings) {}

  std::string read(const std::string& json) {
    simdjson::dom::element record;
    EXPECT_FALSE(parser.parse(json).get(record));
    return reader.read_votes(record.get_object().value(), votes);
  }

  // The shown side of a record whose sides are model_a and model_b.
  std::string shown(const std::string& json, std::optional<Shown>& side) {
    simdjson::dom::element record;
    EXPECT_FALSE(parser.parse(json).get(record));
    const auto object = record.get_object().value();
    const auto a = object["model_a"].value(), b = object["model_b"].value();
    std::string a_key, b_key;
    prefline::votes::set_typed_key(a_key, a);
    prefline::votes::set_typed_key(b_key, b);
    return reader.read_shown(object, a, b, a_key, b_key, side);
  }

  Options options;
  prefline::votes::Settings settings;
  VoteReader reader;
  simdjson::dom::parser parser;
  std::vector<RecordVote> votes;
};

TEST(VotesVoteReader, LongLayoutReadsTheWinnerThroughCodes) {
  Options options;
  options.codes = "model_a=a,model_b=b,tie=tie,1=a";
  options.rater = "judge";
  ReaderRun run(options);
  EXPECT_EQ(run.read(R"({"winner":"model_b","judge":"j1"})"), "");
  ASSERT_EQ(run.votes.size(), 1u);
  EXPECT_EQ(run.votes[0].vote, Vote::b);
  EXPECT_EQ(run.votes[0].column, nullptr);
  EXPECT_EQ(std::string(simdjson::minify(run.votes[0].rater)), R"("j1")");
  std::string j1;
  prefline::append_key_part(j1, prefline::key_tag::string, "j1");
  EXPECT_EQ(run.votes[0].rater_key, j1);

  EXPECT_EQ(run.read(R"({"winner":1,"judge":2})"), "");  // a number's code is its JSON text
  EXPECT_EQ(run.votes[0].vote, Vote::a);
  EXPECT_EQ(run.read(R"({"winner":1.0,"judge":2})"),
            "'winner' is 1.0, which --codes model_a=a,model_b=b,tie=tie,1=a does not name");
  EXPECT_EQ(run.read(R"({"winner":"a","judge":2})"),
            R"('winner' is "a", which --codes model_a=a,model_b=b,tie=tie,1=a does not name)");
  EXPECT_EQ(run.read(R"({"winner":true,"judge":2})"), "'winner' is a boolean, not a string or number");
  EXPECT_EQ(run.read(R"({"judge":2})"), "the winner field 'winner' is missing");
  EXPECT_EQ(run.read(R"({"winner":"tie"})"), "the rater field 'judge' is missing");
  EXPECT_EQ(run.read(R"({"winner":"tie","judge":["j"]})"), "'judge' is an array, not a string or number");
}

TEST(VotesVoteReader, LongLayoutWithoutRaters) {
  Options options;
  options.winner = "verdict";
  ReaderRun run(options);
  EXPECT_EQ(run.read(R"({"verdict":"tie","judge":"ignored"})"), "");
  ASSERT_EQ(run.votes.size(), 1u);
  EXPECT_EQ(run.votes[0].vote, Vote::tie);
  EXPECT_TRUE(run.votes[0].rater_key.empty());
}

TEST(VotesVoteReader, WideLayoutReadsEveryRaterColumn) {
  Options options;
  options.wide = "annotator1,annotator2,annotator3";
  options.codes = "1=a,2=b,0=tie";
  ReaderRun run(options);
  EXPECT_EQ(run.read(R"({"annotator3":0,"annotator2":null,"annotator1":2})"), "");
  ASSERT_EQ(run.votes.size(), 2u);  // in --wide order; a null column is no vote
  EXPECT_EQ(*run.votes[0].column, "annotator1");
  EXPECT_EQ(run.votes[0].vote, Vote::b);
  EXPECT_EQ(*run.votes[1].column, "annotator3");
  EXPECT_EQ(run.votes[1].vote, Vote::tie);
  EXPECT_EQ(run.votes[1].rater_key, prefline::single_value_key(prefline::key_tag::string, "annotator3"));
  EXPECT_EQ(run.read(R"({"annotator2":null,"other":1})"),
            "none of the --wide columns annotator1,annotator2,annotator3 has a vote (all missing or null)");
  EXPECT_EQ(run.read(R"({"annotator2":3})"), "'annotator2' is 3, which --codes 1=a,2=b,0=tie does not name");
}

TEST(VotesVoteReader, ShownSideByLetterOrId) {
  Options options;
  options.shown = "left";
  ReaderRun run(options);
  std::optional<Shown> side;
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y","left":"y"})", side), "");
  EXPECT_EQ(side, Shown::b_first);
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y","left":"a"})", side), "");
  EXPECT_EQ(side, Shown::a_first);
  EXPECT_EQ(run.shown(R"({"model_a":7,"model_b":"y","left":7})", side), "");
  EXPECT_EQ(side, Shown::a_first);
  // A side's id comes before the letters: here "b" is side a's id.
  EXPECT_EQ(run.shown(R"({"model_a":"b","model_b":"a","left":"b"})", side), "");
  EXPECT_EQ(side, Shown::a_first);
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y","left":null})", side), "");
  EXPECT_EQ(side, std::nullopt);
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y"})", side), "");
  EXPECT_EQ(side, std::nullopt);
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y","left":"7"})", side),
            R"('left' is "7", neither a nor b nor a side's id ("x" or "y"))");
  EXPECT_EQ(run.shown(R"({"model_a":"x","model_b":"y","left":{"a":1}})", side),
            R"('left' is {"a":1}, neither a nor b nor a side's id ("x" or "y"))");

  ReaderRun unset{Options{}};
  EXPECT_EQ(unset.shown(R"({"model_a":"x","model_b":"y","left":"a"})", side), "");
  EXPECT_EQ(side, std::nullopt);
}

TEST(VotesFieldCensus, AFieldNoRecordHasNamesItsOption) {
  Options options;
  options.rater = "judge";
  const auto settings = prefline::votes::make_settings(options);
  prefline::votes::VoteFieldCensus census(options, settings);
  simdjson::dom::parser parser;
  const auto record = [&](const std::string& json) {
    return census.record(parser.parse(json).get_object().value(), json);
  };
  // A record lacking a field that no record had so far: maybe a misspelt option.
  EXPECT_TRUE(record(R"({"id":1,"model_a":"x","model_b":"y","winner":"a","rater":"r1"})"));
  EXPECT_TRUE(record(R"({"id":2,"model_a":"x","model_b":"y","winner":"b","rater":"r2"})"));
  EXPECT_EQ(census.records(), 2u);
  try {
    census.check();
    ADD_FAILURE() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(),
                 "rater field 'judge' (--rater) is missing from all 2 records; fields seen: id, model_a, model_b, "
                 "winner, rater");
  }
  EXPECT_FALSE(record(R"({"id":3,"model_a":"x","model_b":"y","winner":"b","judge":"r2"})"));
  // Once a record had the field, another without it is an ordinary bad record.
  EXPECT_FALSE(record(R"({"id":4,"model_a":"x","model_b":"y","winner":"b"})"));
  EXPECT_NO_THROW(census.check());
}

}  // namespace
