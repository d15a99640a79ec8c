#include "prefline/mix/record_classifier.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "prefline/io/jsonl_reader.hpp"

namespace {

using namespace prefline::mix;

class RecordClassifierTest : public ::testing::Test {
 protected:
  RecordClassifierTest() : strata_(parse_mix("balanced")) {
    fields_.require_slots.push_back(fields_.slot_of("passed"));
    fields_.stratum_slot = fields_.slot_of("difficulty");
  }

  Verdict classify(RecordClassifier& classifier, const std::string& record) {
    // key() points into the reader's line: it lives until the next record.
    text_ = record;
    lines_ = std::make_unique<prefline::JsonlReader>("t.jsonl", text_);
    prefline::JsonlLine line;
    EXPECT_TRUE(lines_->next(line));
    reason_.clear();
    return classifier.classify(line, reason_);
  }

  RecordFields fields_;
  std::vector<Stratum> strata_;
  std::string reason_;

 private:
  std::string text_;
  std::unique_ptr<prefline::JsonlReader> lines_;
};

TEST_F(RecordClassifierTest, FindsTheStratumAndTheWholeLineKey) {
  RecordClassifier classifier(fields_, strata_);
  EXPECT_EQ(classify(classifier, R"({"passed":true,"difficulty":"hard","x":1}  )"), Verdict::eligible);
  EXPECT_EQ(classifier.stratum(), 2u);
  EXPECT_EQ(classifier.key(), R"({"passed":true,"difficulty":"hard","x":1})");
  EXPECT_EQ(classify(classifier, R"({"passed":true,"difficulty":"expert"})"), Verdict::outside_mix);
}

TEST_F(RecordClassifierTest, RequireTakesTrueWordsAndNonZeroNumbers) {
  RecordClassifier classifier(fields_, strata_);
  for (const char* passed : {"true", "1", "-0.5", "\"PASS\"", "\"passed\"", "\"True\""})
    EXPECT_EQ(classify(classifier, std::string(R"({"difficulty":"easy","passed":)") + passed + "}"), Verdict::eligible)
        << passed;
  for (const char* passed : {"false", "0", "0.0", "null", "\"fail\"", "\"yes\"", "[true]"})
    EXPECT_EQ(classify(classifier, std::string(R"({"difficulty":"easy","passed":)") + passed + "}"), Verdict::filtered)
        << passed;
  EXPECT_EQ(classify(classifier, R"({"difficulty":"easy"})"), Verdict::filtered);
}

TEST_F(RecordClassifierTest, NumberStrataAreNamedByTheirShortestForm) {
  const std::vector<Stratum> levels = parse_mix("1=1,2.5=1");
  RecordClassifier classifier(fields_, levels);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":1.0})"), Verdict::eligible);
  EXPECT_EQ(classifier.stratum(), 0u);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":25e-1})"), Verdict::eligible);
  EXPECT_EQ(classifier.stratum(), 1u);
}

TEST_F(RecordClassifierTest, BadRecordsNameTheirFault) {
  RecordClassifier classifier(fields_, strata_);
  EXPECT_EQ(classify(classifier, "[1]"), Verdict::bad);
  EXPECT_EQ(reason_, "expected a JSON object, found an array");
  EXPECT_EQ(classify(classifier, R"({"passed":true,"passed":true,"difficulty":"easy"})"), Verdict::bad);
  EXPECT_EQ(reason_, "duplicate key 'passed'");
  EXPECT_EQ(classify(classifier, R"({"passed":true})"), Verdict::bad);
  EXPECT_EQ(reason_, "missing --stratum field 'difficulty'");
  EXPECT_EQ(classify(classifier, R"({"passed":true,"difficulty":[1]})"), Verdict::bad);
  EXPECT_EQ(reason_, "--stratum field 'difficulty' is an array, expected a string or a number");
}

TEST_F(RecordClassifierTest, DedupKeepsTheFirstOfEachValueUntilReset) {
  fields_.dedup_slot = fields_.slot_of("problem");
  fields_.key_slots.push_back(fields_.slot_of("id"));
  fields_.length_slot = fields_.slot_of("text");
  RecordClassifier classifier(fields_, strata_);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"easy","problem":7,"id":"a","text":"h\u00e9"})"),
            Verdict::eligible);
  EXPECT_EQ(classifier.length(), 2u);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"easy","problem":"7","id":"b","text":"x"})"),
            Verdict::eligible);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"hard","problem":7,"id":"c","text":"x"})"),
            Verdict::duplicate);
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"hard","problem":null,"id":"c","text":"x"})"),
            Verdict::bad);
  EXPECT_EQ(reason_, "null --dedup field 'problem'");
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"hard","problem":8,"text":"x"})"), Verdict::bad);
  EXPECT_EQ(reason_, "missing --key field 'id'");
  classifier.reset();
  EXPECT_EQ(classify(classifier, R"({"passed":1,"difficulty":"hard","problem":7,"id":"c","text":"x"})"),
            Verdict::eligible);
}

TEST(MixCounts, EligibleTotalAddsTheStrata) {
  Counts counts;
  counts.eligible = {3, 0, 4};
  EXPECT_EQ(counts.eligible_total(), 7u);
}

TEST_F(RecordClassifierTest, TellsWhichFieldsTheLastRecordHad) {
  RecordClassifier classifier(fields_, strata_);
  classify(classifier, R"({"difficulty":"easy","passed":false})");
  EXPECT_TRUE(classifier.is_object());
  EXPECT_TRUE(classifier.has(fields_.slot_of("passed")));
  EXPECT_TRUE(classifier.has(fields_.slot_of("difficulty")));
  classify(classifier, R"({"difficulty":"easy"})");
  EXPECT_FALSE(classifier.has(fields_.slot_of("passed")));
  classify(classifier, "[1]");
  EXPECT_FALSE(classifier.is_object());
  EXPECT_FALSE(classifier.has(fields_.slot_of("difficulty")));
}

}  // namespace
