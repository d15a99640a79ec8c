#include "prefline/text/ordered_string_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

TEST(OrderedStringMap, KeepsFirstSeenOrder) {
  prefline::OrderedStringMap<int> map;
  for (std::string_view name : {"zeta", "alpha", "mid", "alpha", "zeta", "omega"}) ++map[name];
  std::vector<std::string> names;
  std::vector<int> counts;
  for (const auto& [name, count] : map.entries()) {
    names.push_back(name);
    counts.push_back(count);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"zeta", "alpha", "mid", "omega"}));
  EXPECT_EQ(counts, (std::vector<int>{2, 2, 1, 1}));
  EXPECT_EQ(map.size(), 4u);
}

TEST(OrderedStringMap, IndexIsThePositionAndAddsNewNames) {
  prefline::OrderedStringMap<double> map;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.index("b"), 0u);
  EXPECT_EQ(map.index("a"), 1u);
  EXPECT_EQ(map.index("b"), 0u);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.entries()[1].second, 0.0);  // value-initialised
  EXPECT_TRUE(map.contains("a"));
  EXPECT_FALSE(map.contains("c"));
  EXPECT_EQ(map.size(), 2u);  // contains adds nothing
}

TEST(OrderedStringMap, ValuesStayPutWhenTheMapGrows) {
  prefline::OrderedStringMap<int> map;
  map["first"] = -1;
  for (int i = 0; i < 1000; ++i) map[std::to_string(i)] = i;
  EXPECT_EQ(map["first"], -1);
  EXPECT_EQ(map["999"], 999);
  EXPECT_EQ(map.entries().front().first, "first");
  EXPECT_EQ(map.entries().back().first, "999");
}

}  // namespace
