#include "prefline/pairs/record_fields.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pairs_test_support.hpp"

namespace {

using namespace prefline::pairs;

using pairs_test::parse;

TEST(PairsRecordFields, KeysKeepStringsAndNumbersApart) {
  simdjson::dom::parser parser;
  const auto object = parse(parser, R"({"s":"7","n":7.0,"b":true})");
  KeyValue text, number, other;
  ASSERT_EQ(read_key_field(object, "s", "group", text), "");
  ASSERT_EQ(read_key_field(object, "n", "group", number), "");
  EXPECT_NE(text.key, number.key);
  EXPECT_EQ(text.json, "\"7\"");
  EXPECT_EQ(text.text, "7");
  EXPECT_EQ(number.json, "7.0");
  EXPECT_EQ(read_key_field(object, "b", "group", other), "field 'b' must be a string or a number");
  EXPECT_EQ(read_key_field(object, "x", "candidate", other), "missing candidate field 'x' (--candidate)");
}

TEST(PairsRecordFields, DuplicateKeysAndTextFields) {
  simdjson::dom::parser parser;
  const auto object = parse(parser, R"({"a":1,"a":2,"p":"hi","q":null,"r":3})");
  simdjson::dom::element element;
  bool found = true;
  EXPECT_EQ(find_field(object, "a", element, found), "duplicate key 'a'");
  EXPECT_EQ(find_field(object, "zz", element, found), "");
  EXPECT_FALSE(found);
  std::string_view text;
  bool has = false;
  EXPECT_EQ(read_text_field(object, "p", text, has), "");
  EXPECT_TRUE(has);
  EXPECT_EQ(text, "hi");
  EXPECT_EQ(read_text_field(object, "q", text, has), "");
  EXPECT_FALSE(has);
  EXPECT_EQ(read_text_field(object, "r", text, has), "field 'r' must be a string");
}

}  // namespace
