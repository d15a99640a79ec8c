#include "prefline/report/number_fields.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace {

namespace report = prefline::report;

class NumberFieldsTest : public ::testing::Test {
 protected:
  simdjson::dom::element parse(std::string_view json) { return parser_.parse(json.data(), json.size()).value(); }

 private:
  simdjson::dom::parser parser_;
};

TEST_F(NumberFieldsTest, Dotted) {
  EXPECT_EQ(report::dotted("duel", "score"), "duel.score");
  EXPECT_EQ(report::dotted("overall", ""), "overall");
}

TEST_F(NumberFieldsTest, OptionalNumber) {
  std::optional<double> number = 1;
  EXPECT_EQ(report::read_optional_number(parse("null"), "duel", "delta", number), "");
  EXPECT_FALSE(number.has_value());
  EXPECT_EQ(report::read_optional_number(parse("-0.25"), "duel", "delta", number), "");
  EXPECT_EQ(number, -0.25);
  EXPECT_EQ(report::read_optional_number(parse("\"5\""), "duel", "delta", number),
            "'duel.delta' must be a number or null, not a string");
  EXPECT_EQ(report::read_optional_number(parse("[]"), "overall", "", number),
            "'overall' must be a number or null, not an array");
}

TEST_F(NumberFieldsTest, NumberObjectInOrder) {
  report::NumberList values;
  EXPECT_EQ(report::read_number_object(parse(R"({"z":1,"a":null,"m":2.5})"), "duel", "by_metric", values), "");
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].first, "z");
  EXPECT_EQ(values[0].second, 1.0);
  EXPECT_EQ(values[1].first, "a");
  EXPECT_FALSE(values[1].second.has_value());
  EXPECT_EQ(values[2].second, 2.5);
}

TEST_F(NumberFieldsTest, NumberObjectReasons) {
  report::NumberList values;
  EXPECT_EQ(report::read_number_object(parse("[1]"), "duel", "by_judge", values),
            "'duel.by_judge' must be an object, not an array");
  EXPECT_EQ(report::read_number_object(parse(R"({"a":1,"a":2})"), "duel", "by_judge", values),
            "'duel.by_judge' has a duplicate key 'a'");
  EXPECT_EQ(report::read_number_object(parse(R"({"a":true})"), "metadata", "chosen_scores", values),
            "'metadata.chosen_scores.a' must be a number or null, not a boolean");
}

}  // namespace
