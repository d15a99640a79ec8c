#include "prefline/io/jsonl_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

struct Seen {
  std::uint64_t number;
  std::string text;
};

std::vector<Seen> lines_of(const std::string& data, std::size_t capacity = prefline::JsonlReader::initial_capacity) {
  prefline::JsonlReader reader("t.jsonl", data, capacity);
  std::vector<Seen> seen;
  prefline::JsonlLine line;
  while (reader.next(line)) seen.push_back({line.number, std::string(line.text)});
  return seen;
}

std::string reason_for(const std::string& text) {
  simdjson::ondemand::parser parser;
  prefline::JsonlReader reader("t.jsonl", text);
  prefline::JsonlLine line;
  EXPECT_TRUE(reader.next(line));
  return prefline::validate_object_line(parser, line);
}

TEST(JsonlReader, NumbersPhysicalLinesAndSkipsBlankOnes) {
  const auto seen = lines_of("{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].number, 1u);
  EXPECT_EQ(seen[1].number, 4u);
  EXPECT_EQ(seen[1].text, "{\"b\":2}\r");
  EXPECT_EQ(seen[2].number, 5u);
  EXPECT_EQ(seen[2].text, "{\"c\":3}");
}

TEST(JsonlReader, LinesLongerThanTheBufferGrowIt) {
  std::string data;
  for (int i = 0; i < 50; ++i) data += "{\"k\":\"" + std::string(static_cast<std::size_t>(i * 7), 'x') + "\"}\n";
  const auto seen = lines_of(data, 16);
  ASSERT_EQ(seen.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].number, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].text.size(), static_cast<std::size_t>(i * 7 + 8));
  }
}

TEST(JsonlReader, EmptyInputHasNoLines) {
  EXPECT_TRUE(lines_of("").empty());
  EXPECT_TRUE(lines_of("\n\n\n").empty());
}

TEST(JsonlReader, ParsesInPlaceWithPadding) {
  simdjson::ondemand::parser parser;
  prefline::JsonlReader reader("t.jsonl", std::string_view("{\"score\":4.5,\"name\":\"x\"}\n{\"score\":2}\n"), 8);
  prefline::JsonlLine line;
  std::vector<double> scores;
  while (reader.next(line)) {
    ASSERT_GE(line.capacity, line.text.size() + simdjson::SIMDJSON_PADDING);
    simdjson::ondemand::document document;
    ASSERT_EQ(prefline::start_object(parser, line, document), "");
    scores.push_back(double(document["score"]));
  }
  EXPECT_EQ(scores, (std::vector<double>{4.5, 2}));
}

TEST(JsonlValidation, AcceptsWellFormedObjects) {
  EXPECT_EQ(reason_for(R"({"a":[1,{"b":null}],"c":"\u00e9","d":true,"e":-0.5e3})"), "");
  EXPECT_EQ(reason_for("{}"), "");
}

TEST(JsonlValidation, NamesWhatIsWrong) {
  EXPECT_EQ(reason_for("[1,2]"), "expected a JSON object, found an array");
  EXPECT_EQ(reason_for("3"), "expected a JSON object, found a number");
  EXPECT_EQ(reason_for("\"s\""), "expected a JSON object, found a string");
  EXPECT_EQ(reason_for("{\"a\":\"\xff\"}"), "invalid UTF-8");
  EXPECT_NE(reason_for("{\"a\":1,\"b\":"), "");
  EXPECT_NE(reason_for("{\"a\":1} x"), "");
  EXPECT_NE(reason_for("{\"a\":1,\"b\":tru}"), "");
  EXPECT_NE(reason_for("{\"a\":\"unclosed}"), "");
}

TEST(JsonlValidation, ErrorReasonsAreLowerCaseWithoutFinalPeriod) {
  for (auto error : {simdjson::TAPE_ERROR, simdjson::CAPACITY, simdjson::INDEX_OUT_OF_BOUNDS, simdjson::UTF8_ERROR}) {
    const std::string reason = prefline::json_error_reason(error);
    ASSERT_FALSE(reason.empty());
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(reason[0]))) << reason;
    EXPECT_NE(reason.back(), '.') << reason;
  }
}

}  // namespace
