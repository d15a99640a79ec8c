#include "prefline/consensus/grade_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::PaddedLine;

struct Read {
  std::string reason;
  IncomingGrade grade;
};

// Keeps the parser alive with the grade: its views point into the parser.
class ConsensusGradeReader : public ::testing::Test {
 protected:
  std::string read(std::string_view json, const Settings& settings) {
    lines_.emplace_back(std::make_unique<PaddedLine>(json));
    readers_.emplace_back(std::make_unique<GradeReader>(settings));
    return readers_.back()->read(parser_, lines_.back()->line(), grade_);
  }
  simdjson::ondemand::parser parser_;
  IncomingGrade grade_;
  std::vector<std::unique_ptr<PaddedLine>> lines_;
  std::vector<std::unique_ptr<GradeReader>> readers_;
};

TEST_F(ConsensusGradeReader, ReadsKeyRaterScoresAndTime) {
  const Settings settings = consensus_test::default_settings();
  ASSERT_EQ(read(R"({"challenge":"chart","model":7,"grade":"4.5","aesthetics":null,"reviewedBy":"ann",)"
                 R"("reviewedAt":"2025-06-03T14:53:00.211Z"})",
                 settings),
            "");
  ASSERT_EQ(grade_.key_values.size(), 2u);
  EXPECT_TRUE(grade_.key_values[0].is_string);
  EXPECT_EQ(grade_.key_values[0].text, "chart");
  EXPECT_FALSE(grade_.key_values[1].is_string);
  EXPECT_EQ(grade_.key_values[1].text, "7");
  EXPECT_EQ(grade_.rater, "ann");
  EXPECT_EQ(grade_.values[0], 4.5);
  EXPECT_TRUE(std::isnan(grade_.values[1]));  // null: not graded, never 0
  EXPECT_TRUE(grade_.has_time);
  EXPECT_EQ(grade_.time, 1748962380211000);
}

TEST_F(ConsensusGradeReader, RaterFallsBackToTheSourceStem) {
  const Settings settings = consensus_test::default_settings();
  ASSERT_EQ(read(R"({"challenge":"c","model":"m","grade":3,"_source":"grades/alice.csv"})", settings), "");
  EXPECT_EQ(grade_.rater, "alice");
  EXPECT_EQ(read(R"({"challenge":"c","model":"m","grade":3})", settings),
            "no rater: field 'reviewedBy' (--rater) is missing or empty and there is no '_source'");
}

TEST_F(ConsensusGradeReader, RefusesScoresOutsideTheScaleAndMissingKeys) {
  const Settings settings = consensus_test::default_settings();
  EXPECT_EQ(read(R"({"challenge":"c","model":"m","grade":6,"reviewedBy":"a"})", settings),
            "score field 'grade' is 6, outside the scale 0:5");
  EXPECT_EQ(read(R"({"challenge":"c","grade":1,"reviewedBy":"a"})", settings), "missing item field 'model' (--item challenge,model)");
  EXPECT_EQ(read(R"({"challenge":true,"model":"m"})", settings),
            "item field 'challenge' must be a string or a number, not a boolean");
}

TEST_F(ConsensusGradeReader, StringAndNumberKeysDiffer) {
  const Settings settings = consensus_test::default_settings();
  ASSERT_EQ(read(R"({"challenge":"c","model":"1","reviewedBy":"a"})", settings), "");
  const std::string as_string = grade_.key;
  ASSERT_EQ(read(R"({"challenge":"c","model":1,"reviewedBy":"a"})", settings), "");
  EXPECT_NE(grade_.key, as_string);
}

TEST_F(ConsensusGradeReader, RaterSourceNamesTheGraderByTheFileStem) {
  Settings settings = consensus_test::default_settings();
  settings.rater_field = "_source";
  ASSERT_EQ(read(R"({"challenge":"c","model":"m","grade":3,"reviewedBy":"bob","_source":"grades/alice.csv"})",
                 settings),
            "");
  EXPECT_EQ(grade_.rater, "alice");
}

TEST(ConsensusRaterName, ContradictsOnlyWhenNeitherNameContainsTheOther) {
  EXPECT_FALSE(rater_contradicts_file("EJ Fox", "ej-fox"));
  EXPECT_FALSE(rater_contradicts_file("alice", "alice-2024-01-15"));
  EXPECT_FALSE(rater_contradicts_file("Bob", "bob_grades"));
  EXPECT_FALSE(rater_contradicts_file("bob", "---"));  // no letters to compare
  EXPECT_TRUE(rater_contradicts_file("bob", "alice"));
  EXPECT_FALSE(rater_contradicts_file("ann", "anna-x"));  // containment is the rule: "ann" is in "annax"
}

TEST(ConsensusGradeReaderWarnings, ContradictionOncePerFile) {
  const Settings settings = consensus_test::default_settings();
  GradeReader reader(settings);
  simdjson::ondemand::parser parser;
  IncomingGrade grade;
  std::vector<std::string> warnings;
  auto read = [&](std::string_view json) {
    consensus_test::PaddedLine line(json);
    EXPECT_EQ(reader.read(parser, line.line(), grade), "");
    warnings.push_back(reader.contradiction());
  };
  read(R"({"challenge":"c","model":"a","reviewedBy":"bob","_source":"grades/alice.csv"})");
  read(R"({"challenge":"c","model":"b","reviewedBy":"bob","_source":"grades/alice.csv"})");
  read(R"({"challenge":"c","model":"c","reviewedBy":"carl","_source":"grades/alice.csv"})");
  read(R"({"challenge":"c","model":"a","reviewedBy":"bob","_source":"grades/bob.csv"})");
  read(R"({"challenge":"c","model":"a","reviewedBy":"bob","_source":"other/alice.csv"})");
  EXPECT_EQ(warnings[0],
            "warning: grades/alice.csv: rater field 'reviewedBy' says 'bob' but the file name says 'alice'; the "
            "grades count for 'bob' (--rater _source names the grader by the file)");
  EXPECT_EQ(warnings[1], "");
  EXPECT_EQ(warnings[2], "");  // one line per file
  EXPECT_EQ(warnings[3], "");
  EXPECT_NE(warnings[4], "");  // another file with the same stem
}

TEST(ConsensusGradeReaderFields, NotesWhichNamedFieldsARecordHas) {
  const Settings settings = consensus_test::default_settings();
  GradeReader reader(settings);
  simdjson::ondemand::parser parser;
  IncomingGrade grade;
  EXPECT_EQ(reader.field_index("nowhere"), -1);
  const std::ptrdiff_t score = reader.field_index("grade");
  const std::ptrdiff_t model = reader.field_index("model");
  ASSERT_GE(score, 0);
  ASSERT_GE(model, 0);
  consensus_test::PaddedLine first(R"({"challenge":"c","technical":4,"reviewedBy":"a"})");
  EXPECT_EQ(reader.read(parser, first.line(), grade), "missing item field 'model' (--item challenge,model)");
  EXPECT_TRUE(reader.fields_read());  // read, then found bad
  EXPECT_FALSE(reader.has_field(score));
  EXPECT_FALSE(reader.has_field(model));
  consensus_test::PaddedLine second(R"({"challenge":"c","model":"m","grade":null,"reviewedBy":"a"})");
  EXPECT_EQ(reader.read(parser, second.line(), grade), "");
  EXPECT_TRUE(reader.has_field(score));  // null: there, not graded
  EXPECT_TRUE(reader.has_field(model));
  consensus_test::PaddedLine broken(R"([1])");
  EXPECT_NE(reader.read(parser, broken.line(), grade), "");
  EXPECT_FALSE(reader.fields_read());
}

}  // namespace
