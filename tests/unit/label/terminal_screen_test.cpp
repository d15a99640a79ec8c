#include "prefline/label/terminal_screen.hpp"

#include <gtest/gtest.h>

namespace {

TEST(TerminalScreen, ControlCharactersBecomeInertText) {
  using prefline::label::inert_line;
  EXPECT_EQ(inert_line("a\x1b]0;title\x07z"), "a^[]0;title^Gz");
  EXPECT_EQ(inert_line("\x7f\x01"), "^?^A");
  // C1 controls (U+009B is a one-character CSI on some terminals).
  EXPECT_EQ(inert_line("x\xc2\x9b" "2J"), "x<9b>2J");
  // Tabs to the next multiple of 4 columns.
  EXPECT_EQ(inert_line("ab\tc"), "ab  c");
  EXPECT_EQ(inert_line("\tc"), "    c");
  EXPECT_EQ(inert_line("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(TerminalScreen, ColumnsCountWideAndCombiningCharacters) {
  using prefline::label::columns_of;
  EXPECT_EQ(columns_of("abc"), 3u);
  EXPECT_EQ(columns_of("\xe4\xb8\xad\xe6\x96\x87"), 4u);  // two CJK characters
  EXPECT_EQ(columns_of("e\xcc\x81"), 1u);                 // e + combining acute
  EXPECT_EQ(prefline::label::fit_columns("\xe4\xb8\xad\xe6\x96\x87", 3), "\xe4\xb8\xad");
}

TEST(TerminalScreen, WrapBreaksAtSpacesAndKeepsEveryWord) {
  using prefline::label::wrap_text;
  EXPECT_EQ(wrap_text("the quick brown fox", 10), (std::vector<std::string>{"the quick", "brown fox"}));
  EXPECT_EQ(wrap_text("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(wrap_text("one\n\ntwo", 10), (std::vector<std::string>{"one", "", "two"}));
  EXPECT_EQ(wrap_text("", 10), (std::vector<std::string>{""}));
  // A wide character never splits, even on a one-column screen.
  EXPECT_EQ(wrap_text("\xe4\xb8\xad" "a", 1), (std::vector<std::string>{"\xe4\xb8\xad", "a"}));
  EXPECT_EQ(wrap_text("x\x1b[2J", 3), (std::vector<std::string>{"x^[", "[2J"}));
}

}  // namespace
