#include "prefline/text/whitespace.hpp"

#include <gtest/gtest.h>

namespace {

TEST(TrimJsonWhitespace, TrimsOnlyTheEndAndOnlyJsonWhitespace) {
  EXPECT_EQ(prefline::trim_json_whitespace("42 \t\r\n"), "42");
  EXPECT_EQ(prefline::trim_json_whitespace("  42"), "  42");
  EXPECT_EQ(prefline::trim_json_whitespace("\"a \"\v"), "\"a \"\v");  // \v is not JSON whitespace
  EXPECT_EQ(prefline::trim_json_whitespace(" \n"), "");
  EXPECT_EQ(prefline::trim_json_whitespace(""), "");
}

TEST(IsBlankLine, SpaceTabAndCarriageReturnOnly) {
  EXPECT_TRUE(prefline::is_blank_line(""));
  EXPECT_TRUE(prefline::is_blank_line(" \t\r"));
  EXPECT_FALSE(prefline::is_blank_line(" {} "));
  EXPECT_FALSE(prefline::is_blank_line("\v"));
  EXPECT_FALSE(prefline::is_blank_line(std::string_view("\0", 1)));
}

}  // namespace
