#include "prefline/json/dom_value.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <simdjson.h>

#include "prefline/json/validate.hpp"

namespace {

class DomValueTest : public ::testing::Test {
 protected:
  simdjson::dom::element parse(std::string_view json) { return parser_.parse(json.data(), json.size()).value(); }

 private:
  simdjson::dom::parser parser_;
};

TEST_F(DomValueTest, TypeNamesInWords) {
  EXPECT_STREQ(prefline::type_name(parse("[1]")), "an array");
  EXPECT_STREQ(prefline::type_name(parse("{}")), "an object");
  EXPECT_STREQ(prefline::type_name(parse("-3")), "a number");
  EXPECT_STREQ(prefline::type_name(parse("18446744073709551615")), "a number");
  EXPECT_STREQ(prefline::type_name(parse("2.5")), "a number");
  EXPECT_STREQ(prefline::type_name(parse("\"x\"")), "a string");
  EXPECT_STREQ(prefline::type_name(parse("false")), "a boolean");
  EXPECT_STREQ(prefline::type_name(parse("null")), "null");
}

TEST_F(DomValueTest, TypeNamesMatchTheOnDemandOnes) {
  using json_type = simdjson::ondemand::json_type;
  const std::pair<std::string_view, json_type> cases[] = {
      {"[]", json_type::array},     {"{}", json_type::object},      {"1", json_type::number},
      {"1e3", json_type::number},   {"\"\"", json_type::string},    {"true", json_type::boolean},
      {"null", json_type::null}};
  for (const auto& [json, type] : cases)
    EXPECT_STREQ(prefline::type_name(parse(json)), prefline::json_type_name(type)) << json;
}

TEST_F(DomValueTest, NumberOfNumbersOnly) {
  EXPECT_EQ(prefline::number_of(parse("42")), 42.0);
  EXPECT_EQ(prefline::number_of(parse("18446744073709551615")), 18446744073709551615.0);
  EXPECT_EQ(prefline::number_of(parse("-2.5e-3")), -0.0025);
  EXPECT_FALSE(prefline::number_of(parse("\"42\"")).has_value());
  EXPECT_FALSE(prefline::number_of(parse("null")).has_value());
  EXPECT_FALSE(prefline::number_of(parse("true")).has_value());
  const auto zero = prefline::number_of(parse("-0.0"));
  ASSERT_TRUE(zero.has_value());
  EXPECT_FALSE(std::signbit(*zero));
}

TEST_F(DomValueTest, DisplayTextForTables) {
  EXPECT_EQ(prefline::display_text(parse(R"("a \"b\" \u00e9")")), "a \"b\" é");
  EXPECT_EQ(prefline::display_text(parse("5")), "5");
  EXPECT_EQ(prefline::display_text(parse("5.0")), "5");
  EXPECT_EQ(prefline::display_text(parse("83.3333")), "83.3333");
  EXPECT_EQ(prefline::display_text(parse("-0.0")), "0");
  EXPECT_EQ(prefline::display_text(parse("-9223372036854775808")), "-9223372036854775808");
  EXPECT_EQ(prefline::display_text(parse("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(prefline::display_text(parse(R"({ "a" : [1, true, null] })")), R"({"a":[1,true,null]})");
  EXPECT_EQ(prefline::display_text(parse("false")), "false");
}

TEST_F(DomValueTest, ObjectAndArrayOfKeepOrder) {
  std::string keys;
  for (auto [key, value] : prefline::object_of(parse(R"({"b":1,"a":2})"))) keys += key;
  EXPECT_EQ(keys, "ba");
  std::size_t count = 0;
  for (simdjson::dom::element value : prefline::array_of(parse("[1,2,3]"))) count += value.is_number();
  EXPECT_EQ(count, 3u);
}

}  // namespace
