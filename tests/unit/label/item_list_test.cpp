#include "prefline/label/item_list.hpp"

#include <gtest/gtest.h>

namespace {

using prefline::label::ItemList;
using prefline::label::ItemSettings;

std::string item_list_error(ItemList& items, std::string_view line) {
  try {
    items.add(line, "items.jsonl:4");
  } catch (const prefline::DataError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ItemList, ReadsResponseTextAndFilesMaps) {
  ItemList items(ItemSettings{});
  items.add(R"({"challenge":"add","model":"m1","response":"a+b","prompt":"Add."})", "f:1");
  items.add(R"({"challenge":"viz","model":"m2","type":"visualization","files":{"index.html":"<svg/>","data.csv":"x\n1"}})",
            "f:2");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items.items()[0].response, "a+b");
  EXPECT_EQ(items.items()[0].prompt, "Add.");
  EXPECT_EQ(items.items()[1].type, "visualization");
  ASSERT_EQ(items.items()[1].files.size(), 2u);
  EXPECT_EQ(items.items()[1].files[0].first, "index.html");
  EXPECT_EQ(items.items()[1].files[1].second, "x\n1");
  EXPECT_EQ(items.find("viz\x1fm2"), 1u);
  EXPECT_EQ(items.find("viz\x1fm3"), ItemList::npos);
}

TEST(ItemList, PromptsJoinOnTheFirstKeyField) {
  ItemList items(ItemSettings{});
  items.add(R"({"challenge":"add","model":"m1","response":"x"})", "f:1");
  items.add(R"({"challenge":"add","model":"m2","response":"y","prompt":"own","type":"text"})", "f:2");
  items.add_prompt(R"({"challenge":"add","prompt":"Implement add.","type":"code"})", "p:1");
  items.join_prompts();
  EXPECT_EQ(items.items()[0].prompt, "Implement add.");
  EXPECT_EQ(items.items()[1].prompt, "own");
  // The group's type fills the sheet's type column of answers without one.
  EXPECT_EQ(items.items()[0].type, "code");
  EXPECT_EQ(items.items()[1].type, "text");
  try {
    items.add_prompt(R"({"challenge":"add","prompt":"again"})", "p:2");
    FAIL();
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "p:2: a second prompt for 'add'");
  }
}

TEST(ItemList, BadRecordsAreNamed) {
  ItemList items(ItemSettings{});
  items.add(R"({"challenge":"add","model":"m1","response":"x"})", "f:1");
  EXPECT_EQ(item_list_error(items, R"({"challenge":"add","model":"m1","response":"x"})"),
            R"(items.jsonl:4: a second record for item "add", "m1")");
  EXPECT_EQ(item_list_error(items, R"({"challenge":"add","response":"x"})"),
            "items.jsonl:4: --item field 'model' is missing");
  EXPECT_EQ(item_list_error(items, R"({"challenge":"add","model":"m9"})"),
            "items.jsonl:4: no answer: neither a 'response' string nor a 'files' object");
  EXPECT_EQ(item_list_error(items, "[1]"), "items.jsonl:4: expected a JSON object");
  EXPECT_EQ(item_list_error(items, "{"), "items.jsonl:4: invalid JSON");
}

TEST(ItemList, CompareReadsBothSidesAndTheirIds) {
  ItemSettings settings;
  settings.compare = true;
  settings.item_fields = {"id"};
  settings.a_id_field = "metadata.chosen_model";
  settings.b_id_field = "metadata.rejected_model";
  ItemList items(settings);
  items.add(R"({"id":3,"prompt":"p","chosen":"A","rejected":"B","metadata":{"chosen_model":"x","rejected_model":"y"}})",
            "f:1");
  const auto& item = items.items()[0];
  EXPECT_EQ(item.key_json[0], "3");
  EXPECT_EQ(item.key, "3");
  EXPECT_EQ(item.response, "A");
  EXPECT_EQ(item.response_b, "B");
  EXPECT_EQ(item.id_a, "x");
  EXPECT_EQ(item.id_b, "y");
}

}  // namespace
