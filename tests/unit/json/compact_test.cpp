#include "prefline/json/compact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// The compact text of the value of "v" in {"v": JSON}, or "error".
std::string compact(const std::string& json) {
  const simdjson::padded_string input("{\"v\":" + json + "}");
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  if (parser.iterate(input).get(document)) return "error";
  simdjson::ondemand::value value;
  if (document["v"].get(value)) return "error";
  prefline::Buffer out;
  if (prefline::append_compact_json(out, value)) return "error";
  return std::string(out.view());
}

TEST(CompactJson, DropsWhiteSpaceKeepsOrderAndNumbers) {
  EXPECT_EQ(compact(R"( { "b" : 1.50 , "a" : [ 1 , 2e3 , -0 ] } )"), R"({"b":1.50,"a":[1,2e3,-0]})");
  EXPECT_EQ(compact("[ ]"), "[]");
  EXPECT_EQ(compact("{ }"), "{}");
  EXPECT_EQ(compact("[true, false, null, {\"x\": [[]]}]"), "[true,false,null,{\"x\":[[]]}]");
  EXPECT_EQ(compact("12345678901234567890123"), "12345678901234567890123");
}

TEST(CompactJson, ReescapesStrings) {
  EXPECT_EQ(compact(R"(["caf\u00e9", "a\/b", "tab\there", "q\"uote"])"),
            "[\"café\",\"a/b\",\"tab\\there\",\"q\\\"uote\"]");
  EXPECT_EQ(compact(R"({"k\u0065y": "\u0001"})"), "{\"key\":\"\\u0001\"}");
}

TEST(CompactJson, RejectsBrokenValues) {
  EXPECT_EQ(compact("[1, tru]"), "error");
  EXPECT_EQ(compact("[1, 01]"), "error");
  EXPECT_EQ(compact("{\"a\" 1}"), "error");
  EXPECT_EQ(compact("[\"\\x\"]"), "error");
}

}  // namespace
