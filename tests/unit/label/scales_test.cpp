#include "prefline/label/scales.hpp"

#include <gtest/gtest.h>

namespace {

TEST(LabelScales, ParsesNameLowHigh) {
  const auto scale = prefline::label::parse_scale("technical=0:5");
  EXPECT_EQ(scale.name, "technical");
  EXPECT_EQ(scale.low, 0);
  EXPECT_EQ(scale.high, 5);
  EXPECT_TRUE(scale.contains(5));
  EXPECT_FALSE(scale.contains(6));
}

TEST(LabelScales, RejectsWhatTheKeysCannotType) {
  auto message = [](std::string_view text) {
    try {
      prefline::label::parse_scale(text);
    } catch (const prefline::UsageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("technical"), "--scale: 'technical' is not NAME=LOW:HIGH (e.g. technical=0:5)");
  EXPECT_EQ(message("t=a:5"), "--scale: 't=a:5': LOW and HIGH are whole numbers");
  EXPECT_EQ(message("t=1:9"), "--scale: 't=1:9': need 0 <= LOW < HIGH <= 5 (the score keys)");
  EXPECT_EQ(message("t=3:3"), "--scale: 't=3:3': need 0 <= LOW < HIGH <= 5 (the score keys)");
}

}  // namespace
