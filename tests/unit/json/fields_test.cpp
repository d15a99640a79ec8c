#include "prefline/json/fields.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// Runs `test` on the value of "v" in {"v": JSON}, parsed in place.
template <class Test>
void with_value(const std::string& json, Test&& test) {
  const simdjson::padded_string input("{\"v\":" + json + "}");
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  ASSERT_FALSE(parser.iterate(input).get(document));
  simdjson::ondemand::value value;
  ASSERT_FALSE(document["v"].get(value));
  test(value);
}

std::string raw(const std::string& json) {
  std::string result;
  with_value(json, [&](simdjson::ondemand::value value) {
    std::string_view text;
    result = prefline::raw_value(value, text) ? std::string("error") : std::string(text);
  });
  return result;
}

prefline::NumberField number(const std::string& json) {
  prefline::NumberField field;
  with_value(json, [&](simdjson::ondemand::value value) { field = prefline::read_number_field(value); });
  return field;
}

TEST(RawValue, GivesTheInputTextOfAnyValue) {
  EXPECT_EQ(raw("1.50 "), "1.50");
  EXPECT_EQ(raw("\"a\\u0041\""), "\"a\\u0041\"");
  EXPECT_EQ(raw("[1, {\"x\": null}]"), "[1, {\"x\": null}]");
  EXPECT_EQ(raw("true"), "true");
  EXPECT_EQ(raw("null"), "null");
}

TEST(RawValue, ChecksWhatOndemandWouldSkip) {
  EXPECT_EQ(raw("[1, tru]"), "error");
  EXPECT_EQ(raw("{\"a\": 01}"), "error");
  EXPECT_EQ(raw("nul"), "error");
  // Nesting is checked by the DOM parser, whose limit is max_json_depth levels.
  std::string deep = std::string(prefline::max_json_depth + 1, '[') + std::string(prefline::max_json_depth + 1, ']');
  EXPECT_EQ(raw(deep), "error");
  deep = std::string(prefline::max_json_depth - 1, '[') + std::string(prefline::max_json_depth - 1, ']');
  EXPECT_EQ(raw(deep), deep);
}

TEST(NumberField, NumbersAndNumericStrings) {
  EXPECT_EQ(number("4.5").state, prefline::NumberField::State::number);
  EXPECT_EQ(number("4.5").value, 4.5);
  EXPECT_EQ(number("\"3\"").value, 3);
  EXPECT_EQ(number("\"1.0e-400\"").state, prefline::NumberField::State::number);
  EXPECT_EQ(number("\"1.0e-400\"").value, 0);
  EXPECT_FALSE(std::signbit(number("-0").value));
}

TEST(NumberField, NullEmptyAndBadValues) {
  EXPECT_EQ(number("null").state, prefline::NumberField::State::absent);
  EXPECT_EQ(number("\"\"").state, prefline::NumberField::State::absent);
  const prefline::NumberField text = number("\"high\"");
  EXPECT_EQ(text.state, prefline::NumberField::State::invalid);
  EXPECT_EQ(text.text, "high");
  EXPECT_EQ(number("\"1e400\"").state, prefline::NumberField::State::invalid);
  EXPECT_EQ(number("[1]").text, "[1]");
  EXPECT_EQ(number("true").state, prefline::NumberField::State::invalid);
}

// FieldPicker: the wanted fields in document order, escaped keys matched,
// a repeated wanted key and a broken skipped value reported.
std::string pick(prefline::FieldPicker& picker, const std::string& json, std::vector<std::string>& seen) {
  const simdjson::padded_string input(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(input).get(document) || document.get_object().get(object)) return "not an object";
  seen.clear();
  return picker.pick(object, [&](std::size_t index, simdjson::ondemand::value value) {
    std::string_view text;
    if (auto error = prefline::raw_value(value, text)) return prefline::json_error_reason(error);
    seen.push_back(picker.name(index) + "=" + std::string(text));
    return std::string();
  });
}

TEST(FieldPicker, PicksWantedFieldsInDocumentOrder) {
  prefline::FieldPicker picker({"model", "grade"});
  std::vector<std::string> seen;
  EXPECT_EQ(pick(picker, R"({"grade":4,"x":[1,2],"model":"m"})", seen), "");
  EXPECT_EQ(seen, (std::vector<std::string>{"grade=4", "model=\"m\""}));
  EXPECT_TRUE(picker.seen(0));
  EXPECT_EQ(pick(picker, R"({"mod\u0065l":"e","other":1})", seen), "");
  EXPECT_EQ(seen, (std::vector<std::string>{"model=\"e\""}));
  EXPECT_FALSE(picker.seen(1));
}

TEST(FieldPicker, ReportsDuplicatesAndBrokenSkippedValues) {
  prefline::FieldPicker picker({"a"});
  std::vector<std::string> seen;
  EXPECT_EQ(pick(picker, R"({"a":1,"a":2})", seen), "duplicate key 'a'");
  EXPECT_NE(pick(picker, R"({"a":1,"b":[tru]})", seen), "");
}

TEST(FindUnique, MissingFoundOrDuplicate) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  ASSERT_FALSE(parser.parse(std::string_view(R"({"a":1,"b":2,"b":3})")).get(element));
  simdjson::dom::object object;
  ASSERT_FALSE(element.get_object().get(object));
  simdjson::dom::element value;
  EXPECT_EQ(prefline::find_unique(object, "a", value), prefline::FieldLookup::found);
  EXPECT_EQ(int64_t(value), 1);
  EXPECT_EQ(prefline::find_unique(object, "b", value), prefline::FieldLookup::duplicate);
  EXPECT_EQ(prefline::find_unique(object, "c", value), prefline::FieldLookup::missing);
}

}  // namespace
