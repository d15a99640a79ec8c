#include "prefline/json/validate.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "prefline/io/jsonl_reader.hpp"

namespace {

std::string reason_for(const std::string& text) {
  simdjson::ondemand::parser parser;
  prefline::JsonlReader reader("t.jsonl", text);
  prefline::JsonlLine line;
  EXPECT_TRUE(reader.next(line));
  return prefline::validate_object_line(parser, line);
}

TEST(JsonValidate, AcceptsWellFormedObjects) {
  EXPECT_EQ(reason_for(R"({"a":[1,{"b":null}],"c":"\u00e9","d":true,"e":-0.5e3})"), "");
  EXPECT_EQ(reason_for("{}"), "");
}

TEST(JsonValidate, NamesWhatIsWrong) {
  EXPECT_EQ(reason_for("[1,2]"), "expected a JSON object, found an array");
  EXPECT_EQ(reason_for("3"), "expected a JSON object, found a number");
  EXPECT_EQ(reason_for("\"s\""), "expected a JSON object, found a string");
  EXPECT_EQ(reason_for("{\"a\":\"\xff\"}"), "invalid UTF-8");
  EXPECT_NE(reason_for("{\"a\":1,\"b\":"), "");
  EXPECT_NE(reason_for("{\"a\":1} x"), "");
  EXPECT_NE(reason_for("{\"a\":1,\"b\":tru}"), "");
  EXPECT_NE(reason_for("{\"a\":\"unclosed}"), "");
}

TEST(JsonValidate, ErrorReasonsAreLowerCaseWithoutFinalPeriod) {
  for (auto error : {simdjson::TAPE_ERROR, simdjson::CAPACITY, simdjson::INDEX_OUT_OF_BOUNDS, simdjson::UTF8_ERROR}) {
    const std::string reason = prefline::json_error_reason(error);
    ASSERT_FALSE(reason.empty());
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(reason[0]))) << reason;
    EXPECT_NE(reason.back(), '.') << reason;
  }
}

TEST(JsonValidate, NestingUpToTheLimitPassesOneMoreFails) {
  const auto nested = [](std::size_t depth) {
    // depth levels in all: the record and depth - 1 arrays inside it.
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  EXPECT_EQ(reason_for(nested(prefline::max_json_depth)), "");
  EXPECT_EQ(reason_for(nested(prefline::max_json_depth + 1)), "invalid JSON: nested too deeply");
}

TEST(JsonValidate, StartObjectLeavesTheDocumentReadable) {
  simdjson::ondemand::parser parser;
  prefline::JsonlReader reader("t.jsonl", std::string_view("{\"k\":\"v\"}\n"));
  prefline::JsonlLine line;
  ASSERT_TRUE(reader.next(line));
  simdjson::ondemand::document document;
  ASSERT_EQ(prefline::start_object(parser, line, document), "");
  std::string_view value;
  ASSERT_FALSE(document["k"].get_string().get(value));
  EXPECT_EQ(value, "v");
}

TEST(JsonValidate, TypeNamesReadAsEnglish) {
  EXPECT_STREQ(prefline::json_type_name(simdjson::ondemand::json_type::array), "an array");
  EXPECT_STREQ(prefline::json_type_name(simdjson::ondemand::json_type::null), "null");
}

}  // namespace
