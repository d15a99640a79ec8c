#include "prefline/json/splice.hpp"

#include <gtest/gtest.h>

#include <string>

#include "prefline/io/jsonl_reader.hpp"

namespace {

// without_member on one line, as bucket --overwrite calls it.
std::string without(const std::string& text, std::string_view name, bool& now_empty) {
  prefline::JsonlReader reader("t.jsonl", std::string_view(text));
  prefline::JsonlLine line;
  EXPECT_TRUE(reader.next(line));
  simdjson::ondemand::parser parser;
  now_empty = false;
  return prefline::without_member(parser, line, name, now_empty);
}

TEST(Splice, AppendsTheMemberBeforeTheFinalBrace) {
  prefline::Buffer out;
  prefline::append_with_member(out, R"({"a": 1} )", ",\"bucket\":\"final\"}\n");
  EXPECT_EQ(std::string(out.data(), out.size()), "{\"a\": 1,\"bucket\":\"final\"}\n");
}

TEST(Splice, CutsAMemberAndOneAdjacentComma) {
  bool empty = false;
  EXPECT_EQ(without(R"({"a":1,"bucket":"x","c":3})", "bucket", empty), R"({"a":1,"c":3})");
  EXPECT_FALSE(empty);
  EXPECT_EQ(without(R"({"bucket":"x", "c":3})", "bucket", empty), R"({"c":3})");
  EXPECT_EQ(without(R"({"a":[1,2] , "bucket" : {"n":1}})", "bucket", empty), R"({"a":[1,2] })");
  EXPECT_EQ(without(R"({"a":1})", "bucket", empty), R"({"a":1})");  // absent: unchanged
}

TEST(Splice, SaysWhenNothingIsLeft) {
  bool empty = false;
  EXPECT_EQ(without(R"({ "bucket":"x" })", "bucket", empty), "{ }");
  EXPECT_TRUE(empty);
}

}  // namespace
