#include "prefline/mix/summary_file.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <string>

#include "prefline/cli/errors.hpp"

namespace {

using namespace prefline::mix;

std::string new_path() {
  std::string pattern = ::testing::TempDir() + "summary_file_XXXXXX";
  return std::string(::mkdtemp(pattern.data())) + "/summary.csv";
}

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Counts some_counts() {
  Counts counts;
  counts.read = 20;
  counts.invalid = 1;
  counts.filtered = 4;
  counts.duplicates = 2;
  counts.outside_mix = 3;
  counts.eligible = {6, 4};
  return counts;
}

TEST(MixSummaryFile, HeaderNamesTheColumnsOfEachStratum) {
  EXPECT_EQ(summary_header(parse_mix("a=1,b=2")),
            "dataset,mix,seed,total,a_count,b_count,a_share,b_share,a_available,b_available,"
            "read,invalid,filtered,duplicates,outside_mix,eligible,avg_length");
}

TEST(MixSummaryFile, RowHoldsSharesToFourDecimalsAndTheAverageLength) {
  EXPECT_EQ(summary_row("set", "a=1,b=2", 7, {1, 2}, some_counts(), 10),
            "set,\"a=1,b=2\",7,3,1,2,0.3333,0.6667,6,4,20,1,4,2,3,10,3.3\n");
  EXPECT_EQ(summary_row("set", "m", 0, {0, 0}, some_counts(), 0), "set,m,0,0,0,0,,,6,4,20,1,4,2,3,10,\n");
  EXPECT_EQ(summary_row("set", "m", 0, {1, 1}, some_counts(), std::nullopt), "set,m,0,2,1,1,0.5000,0.5000,6,4,20,1,4,2,3,10,\n");
}

TEST(MixSummaryFile, StatsObjectHoldsTheRowsFiguresAndTheStrataByName) {
  EXPECT_EQ(stats_json("set", "a=1,b=2", 7, parse_mix("a=1,b=2"), {1, 2}, some_counts(), 10),
            R"({"dataset":"set","mix":"a=1,b=2","seed":7,"total":3,"strata":{"a":{"count":1,"share":0.3333,)"
            R"("available":6},"b":{"count":2,"share":0.6667,"available":4}},"read":20,"invalid":1,"filtered":4,)"
            R"("duplicates":2,"outside_mix":3,"eligible":10,"not_sampled":7,"avg_length":3.3})"
            "\n");
  EXPECT_EQ(stats_json("set", "m", 0, parse_mix("a=1,b=2"), {0, 0}, some_counts(), std::nullopt),
            R"({"dataset":"set","mix":"m","seed":0,"total":0,"strata":{"a":{"count":0,"share":null,"available":6},)"
            R"("b":{"count":0,"share":null,"available":4}},"read":20,"invalid":1,"filtered":4,"duplicates":2,)"
            R"("outside_mix":3,"eligible":10,"not_sampled":10,"avg_length":null})"
            "\n");
}

TEST(MixSummaryFile, AppendsAfterTheHeaderOnlyWhenTheFileIsNew) {
  const std::string path = new_path();
  check_summary_header(path, "h1,h2");  // no file yet: fine
  SummaryFile(path).append("h1,h2", "1,2\n");
  SummaryFile(path).append("h1,h2", "3,4\n");
  EXPECT_EQ(contents(path), "h1,h2\n1,2\n3,4\n");
  EXPECT_THROW(check_summary_header(path, "h1,h3"), prefline::DataError);
  EXPECT_THROW(SummaryFile(path).append("h1,h3", "5,6\n"), prefline::DataError);
  EXPECT_EQ(contents(path), "h1,h2\n1,2\n3,4\n");
}

TEST(MixSummaryFile, AddsTheMissingLineEndOfAnEarlierRow) {
  const std::string path = new_path();
  std::ofstream(path) << "h1,h2\r\n1,2";
  check_summary_header(path, "h1,h2");
  SummaryFile(path).append("h1,h2", "3,4\n");
  EXPECT_EQ(contents(path), "h1,h2\r\n1,2\n3,4\n");
}

}  // namespace
