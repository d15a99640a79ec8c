#include "prefline/text/key_index.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

TEST(KeyIndex, NumbersKeysInTheOrderFirstSeen) {
  prefline::KeyIndex index;
  EXPECT_FALSE(index.find("a").has_value());  // nothing inserted yet
  bool inserted = false;
  EXPECT_EQ(index.insert("b", inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(index.insert("a", inserted), 1u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(index.insert("b", inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(index.insert("", inserted), 2u);  // the empty key is a key
  EXPECT_TRUE(inserted);
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.find(""), std::optional<std::size_t>(2));
  EXPECT_EQ(index.find("a"), std::optional<std::size_t>(1));
  EXPECT_FALSE(index.find("ab").has_value());
  EXPECT_EQ(index.key(0), "b");
  EXPECT_EQ(index.key(1), "a");
  EXPECT_EQ(index.key(2), "");
}

// Keys with embedded NUL bytes and shared prefixes (as typed keys are) are
// compared whole.
TEST(KeyIndex, TellsApartKeysThatShareBytes) {
  prefline::KeyIndex index;
  bool inserted = false;
  const std::string with_nul("s\0\x03" "abc", 6);
  EXPECT_EQ(index.insert(with_nul, inserted), 0u);
  EXPECT_EQ(index.insert(with_nul.substr(0, 5), inserted), 1u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(index.insert(with_nul + "d", inserted), 2u);
  EXPECT_EQ(index.find(with_nul), std::optional<std::size_t>(0));
  EXPECT_EQ(index.key(1), with_nul.substr(0, 5));
}

// Against std::unordered_map on 200 000 random keys (many repeated), through
// many doublings of the table.
TEST(KeyIndex, AgreesWithAnUnorderedMap) {
  std::mt19937_64 random(7);
  prefline::KeyIndex index;
  std::unordered_map<std::string, std::size_t> oracle;
  std::vector<std::string> order;
  for (int i = 0; i < 200000; ++i) {
    std::string key = "k" + std::to_string(random() % 60000);
    if (random() % 5 == 0) key.append(random() % 40, 'x');
    bool inserted = false;
    const std::size_t number = index.insert(key, inserted);
    const auto [it, fresh] = oracle.try_emplace(key, oracle.size());
    if (fresh) order.push_back(key);
    ASSERT_EQ(inserted, fresh) << key;
    ASSERT_EQ(number, it->second) << key;
  }
  ASSERT_EQ(index.size(), oracle.size());
  for (std::size_t n = 0; n < order.size(); ++n) {
    ASSERT_EQ(index.key(n), order[n]);
    ASSERT_EQ(index.find(order[n]), std::optional<std::size_t>(n));
  }
  EXPECT_FALSE(index.find("k60000").has_value());
  EXPECT_FALSE(index.find("nothing").has_value());
}

}  // namespace
