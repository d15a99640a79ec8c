#include "prefline/text/string_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

// Lookups by string_view (no std::string built per lookup) find what was
// inserted by std::string, and the hash agrees with std::hash<string_view>.
TEST(StringMap, FindsByStringViewWithoutBuildingAString) {
  prefline::StringMap<int> counts;
  counts.emplace("ej-fox", 1);
  counts.emplace(std::string("qwen/qwq-32b"), 2);
  const std::string line = R"({"model":"qwen/qwq-32b"})";
  const std::string_view model = std::string_view(line).substr(10, 12);
  ASSERT_EQ(model, "qwen/qwq-32b");
  const auto found = counts.find(model);
  ASSERT_NE(found, counts.end());
  EXPECT_EQ(found->second, 2);
  EXPECT_EQ(counts.find(std::string_view("ej-fo")), counts.end());
  EXPECT_EQ(counts.count(std::string_view("ej-fox")), 1u);
  EXPECT_EQ(prefline::TransparentStringHash{}("abc"), std::hash<std::string_view>{}("abc"));
}

}  // namespace
