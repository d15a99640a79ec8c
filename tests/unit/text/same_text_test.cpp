#include "prefline/text/same_text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

// same_text against operator== on strings that differ in one byte at each
// position, for every length up to past the 16-byte word path.
TEST(SameText, AgreesWithEquality) {
  std::mt19937_64 random(5);
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string a;
    for (std::size_t k = 0; k < length; ++k) a.push_back(static_cast<char>(random()));
    const std::string same = a;
    EXPECT_TRUE(prefline::same_text(a, same));
    for (std::size_t at = 0; at < length; ++at) {
      std::string b = a;
      b[at] = static_cast<char>(b[at] ^ (1 + random() % 255));
      EXPECT_FALSE(prefline::same_text(a, b)) << length << " " << at;
      EXPECT_EQ(prefline::same_text(a, b), a == b);
    }
    EXPECT_FALSE(prefline::same_text(a, a + "x"));
    if (length > 0) {
      EXPECT_FALSE(prefline::same_text(a, std::string_view(a).substr(1)));
    }
  }
}

}  // namespace
