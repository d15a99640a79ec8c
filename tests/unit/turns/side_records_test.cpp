// turns/side_records.hpp: id files and --join's side records, keyed by the
// id's text (a number's JSON text), with the errors a user meets.
#include "prefline/turns/side_records.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

// A file in the test's temporary folder holding `text`; returns its path.
std::string side_file(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "turns-side-" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(TurnsSideRecords, IdTextOfStringsAndNumbers) {
  simdjson::dom::parser parser;
  std::string text;
  EXPECT_TRUE(prefline::turns::id_text(parser.parse(std::string(R"("a-1")")).value(), text));
  EXPECT_EQ(text, "a-1");
  EXPECT_TRUE(prefline::turns::id_text(parser.parse(std::string("1234")).value(), text));
  EXPECT_EQ(text, "1234");
  EXPECT_FALSE(prefline::turns::id_text(parser.parse(std::string("[1]")).value(), text));
}

TEST(TurnsSideRecords, IdFileTrimsBlanksAndCarriageReturns) {
  const auto ids = prefline::turns::read_id_file(side_file("ids.txt", "a-1\r\n  b-2\t\n\n7\n"));
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_TRUE(ids.contains("a-1"));
  EXPECT_TRUE(ids.contains("b-2"));
  EXPECT_TRUE(ids.contains("7"));
}

TEST(TurnsSideRecords, SideRecordsByKeyAsCompactJson) {
  const auto side = prefline::turns::read_side_records(
      side_file("prs.jsonl", "{\"id\": 7, \"patch\": \"d\\u00e9\"}\n{\"other\":1}\n{\"id\":\"x\",\"n\":1.50}\n"), "id");
  ASSERT_EQ(side.size(), 2u);
  EXPECT_EQ(side.at("7"), R"({"id":7,"patch":"dé"})");
  EXPECT_EQ(side.at("x"), R"({"id":"x","n":1.5})");
}

TEST(TurnsSideRecords, SecondRecordOfAnIdAndAMissingKeyAreErrors) {
  const std::string twice = side_file("twice.jsonl", "{\"id\":\"a\"}\n{\"id\":\"a\"}\n");
  try {
    prefline::turns::read_side_records(twice, "id");
    FAIL() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_EQ(std::string(error.what()),
              twice + ":2: a second side record for 'a' (the first is on line 1); keep one per id (--join)");
  }
  const std::string unkeyed = side_file("unkeyed.jsonl", "{\"pr\":\"a\"}\n");
  try {
    prefline::turns::read_side_records(unkeyed, "id");
    FAIL() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_EQ(std::string(error.what()), unkeyed + ": no side record has the key field 'id' (--on id); name the "
                                                    "field that holds the instance id with --on");
  }
}

}  // namespace
