#include "prefline/report/record_kind.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace {

namespace report = prefline::report;
using report::Kind;

class RecordKindTest : public ::testing::Test {
 protected:
  // Scans `json` into record_; returns the scanner's reason.
  std::string scan(std::string_view json) {
    const simdjson::dom::element root = parser_.parse(json.data(), json.size()).value();
    return scanner_.scan(root.get_object().value(), record_);
  }

  report::RecordScanner scanner_{"bucket", {"instance_id", "turn"}};
  report::Record record_;

 private:
  simdjson::dom::parser parser_;
};

TEST_F(RecordKindTest, DetectsEachKind) {
  ASSERT_EQ(scan(R"({"duel":{"score":80},"bucket":"final"})"), "");
  EXPECT_EQ(report::detect(record_), Kind::judged);
  EXPECT_TRUE(record_.bucket.has_value());
  ASSERT_EQ(scan(R"({"prompt":"p","chosen":"a","rejected":"b","metadata":{}})"), "");
  EXPECT_EQ(report::detect(record_), Kind::pairs);
  EXPECT_FALSE(record_.bucket.has_value());  // reset from the last record
  ASSERT_EQ(scan(R"({"challenge":"c","model":"m","scores":{},"vote_count":1})"), "");
  EXPECT_EQ(report::detect(record_), Kind::items);
  ASSERT_EQ(scan(R"({"chosen":"a","rejected":"b"})"), "");
  EXPECT_EQ(report::detect(record_), std::nullopt);
}

TEST_F(RecordKindTest, KeyFieldsAreThoseBeforeScores) {
  ASSERT_EQ(scan(R"({"challenge":"c","model":7,"scores":{},"overall":5,"vote_count":1})"), "");
  ASSERT_EQ(record_.key_fields.size(), 2u);
  EXPECT_EQ(record_.key_fields[0].first, "challenge");
  EXPECT_EQ(record_.key_fields[1].first, "model");
}

TEST_F(RecordKindTest, IdFieldsAndDuplicates) {
  ASSERT_EQ(scan(R"({"turn":3,"duel":{},"instance_id":"x"})"), "");
  ASSERT_EQ(record_.ids.size(), 2u);
  EXPECT_EQ(record_.ids[0]->get_string().value(), "x");
  EXPECT_EQ(record_.ids[1]->get_int64().value(), 3);
  EXPECT_EQ(scan(R"({"duel":{},"duel":{}})"), "duplicate key 'duel'");
  EXPECT_EQ(scan(R"({"turn":1,"turn":2})"), "duplicate key 'turn'");
}

TEST_F(RecordKindTest, RecordKindWithAndWithoutKind) {
  Kind kind = Kind::items;
  ASSERT_EQ(scan(R"({"duel":{}})"), "");
  EXPECT_EQ(report::record_kind(record_, std::nullopt, std::nullopt, "", kind), "");
  EXPECT_EQ(kind, Kind::judged);
  EXPECT_EQ(report::record_kind(record_, Kind::pairs, std::nullopt, "", kind),
            "not a pair record: needs 'metadata', 'chosen' and 'rejected'");
  EXPECT_EQ(report::record_kind(record_, std::nullopt, Kind::items, "a.jsonl:3", kind),
            "a judged turn among item records (the first valid record, a.jsonl:3, set the kind; one report covers "
            "one kind: see --kind)");
  ASSERT_EQ(scan(R"({"x":1})"), "");
  EXPECT_EQ(report::record_kind(record_, std::nullopt, std::nullopt, "", kind),
            "not a judged turn ('duel'), a pair record ('metadata', 'chosen', 'rejected') or an item record "
            "('scores', 'vote_count')");
  EXPECT_EQ(report::missing_fields(record_, Kind::judged), "not a judged turn: no 'duel' field");
  EXPECT_EQ(report::missing_fields(record_, Kind::items), "not an item record: needs 'scores' and 'vote_count'");
}

TEST(RecordKind, Names) {
  EXPECT_EQ(report::kind_name(Kind::pairs), "pair records");
  EXPECT_EQ(report::kind_name(Kind::items, false), "item record");
  EXPECT_EQ(report::kind_one(Kind::items), "an item record");
  EXPECT_EQ(report::kind_one(Kind::judged), "a judged turn");
}

}  // namespace
