#include "prefline/json/typed_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <simdjson.h>

namespace {

using namespace std::string_literals;

// The key of every value of a JSON array, as bucket --hash builds it from fields.
std::string key_of(std::string_view json_array) {
  simdjson::dom::parser parser;
  const simdjson::dom::array values = parser.parse(json_array.data(), json_array.size()).get_array().value();
  std::string key;
  for (simdjson::dom::element value : values) prefline::append_key_part(key, value);
  return key;
}

TEST(TypedKey, PartIsTagLittleEndianLengthAndBytes) {
  std::string key;
  prefline::append_key_part(key, prefline::key_tag::string, "1");
  EXPECT_EQ(key, "s\x01\0\0\0\0\0\0\0" "1"s);
  key.clear();
  prefline::append_key_part(key, 'j', std::string(300, 'x'));
  EXPECT_EQ(key.substr(0, 9), "j\x2c\x01\0\0\0\0\0\0"s);  // 300 = 0x012c
  EXPECT_EQ(key.size(), 9u + 300u);
}

TEST(TypedKey, StringAndNumberWithTheSameTextDiffer) {
  EXPECT_NE(key_of(R"(["1"])"), key_of("[1]"));
  EXPECT_NE(key_of(R"(["true"])"), key_of("[true]"));
  EXPECT_NE(key_of(R"(["null"])"), key_of("[null]"));
  std::string string_key, number_key;
  prefline::append_key_part(string_key, prefline::key_tag::string, "7");
  prefline::append_key_part(number_key, prefline::key_tag::number, "7");
  EXPECT_NE(string_key, number_key);
}

TEST(TypedKey, SameValuesGiveTheSameKey) {
  EXPECT_EQ(key_of(R"(["a", 1, {"x": [true, null]}])"), key_of(R"([ "a" ,1,{ "x" : [ true , null ] }])"));
  // Strings by their unescaped text: an escape and the character it stands for are one key.
  EXPECT_EQ(key_of(R"(["\u00e9\/"])"), key_of(R"(["é/"])"));
  EXPECT_EQ(key_of(R"(["a"])"), "s\x01\0\0\0\0\0\0\0" "a"s);
  EXPECT_EQ(key_of("[12]"), "j\x02\0\0\0\0\0\0\0" "12"s);
}

TEST(TypedKey, PartsCannotCollideThroughTheirBoundaries) {
  EXPECT_NE(key_of(R"(["a", "bc"])"), key_of(R"(["ab", "c"])"));
  EXPECT_NE(key_of(R"(["", "a"])"), key_of(R"(["a", ""])"));
  EXPECT_NE(key_of(R"(["a"])"), key_of(R"(["a", ""])"));
  // A part holding what looks like the next part's header is still one part.
  const std::string fake_boundary = "x" "s\x01\0\0\0\0\0\0\0" "y"s;
  std::string one, two;
  prefline::append_key_part(one, prefline::key_tag::string, fake_boundary);
  prefline::append_key_part(two, prefline::key_tag::string, "x");
  prefline::append_key_part(two, prefline::key_tag::string, "y");
  EXPECT_NE(one, two);
}

TEST(TypedKey, SingleValueKeyIsTagThenBytes) {
  EXPECT_EQ(prefline::single_value_key(prefline::key_tag::string, "stockPriceChart"), "sstockPriceChart");
  EXPECT_EQ(prefline::single_value_key(prefline::key_tag::number, "7"), "n7");
  EXPECT_NE(prefline::single_value_key(prefline::key_tag::string, "7"),
            prefline::single_value_key(prefline::key_tag::number, "7"));
  EXPECT_EQ(prefline::single_value_key(prefline::key_tag::string, ""), "s");
}

}  // namespace
