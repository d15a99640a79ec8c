#include "prefline/label/terminal_input.hpp"

#include <gtest/gtest.h>

namespace {

std::string describe(const std::vector<prefline::label::TermKey>& keys) {
  std::string text;
  for (const auto& key : keys) {
    if (!text.empty()) text += ' ';
    if (key.ctrl) text += "Ctrl+";
    if (key.alt) text += "Alt+";
    if (key.shift) text += "Shift+";
    text += key.code.empty() ? "'" + key.text + "'" : key.code;
  }
  return text;
}

TEST(TerminalInput, LettersDigitsAndTheShiftedDigitsOfAUsLayout) {
  using prefline::label::decode_keys;
  EXPECT_EQ(describe(decode_keys("aD3 ")), "KeyA Shift+KeyD Digit3 Space");
  EXPECT_EQ(describe(decode_keys("!@#$%)")), "Shift+Digit1 Shift+Digit2 Shift+Digit3 Shift+Digit4 Shift+Digit5 Shift+Digit0");
  EXPECT_EQ(describe(decode_keys("?/")), "Shift+Slash Slash");
  EXPECT_EQ(decode_keys("a").front().text, "a");
}

TEST(TerminalInput, EscapeSequencesArrowsAndPages) {
  using prefline::label::decode_keys;
  EXPECT_EQ(describe(decode_keys("\x1b[A\x1b[B\x1b[C\x1b[D")), "ArrowUp ArrowDown ArrowRight ArrowLeft");
  EXPECT_EQ(describe(decode_keys("\x1bOC\x1b[5~\x1b[6~\x1b[H\x1b[4~")), "ArrowRight PageUp PageDown Home End");
  // xterm's modifiers: 2 is Shift, 5 is Ctrl.
  EXPECT_EQ(describe(decode_keys("\x1b[1;2C\x1b[1;5D")), "Shift+ArrowRight Ctrl+ArrowLeft");
  EXPECT_TRUE(decode_keys("\x1b[A").front().text.empty());
}

TEST(TerminalInput, EscapeAloneAltAndControls) {
  using prefline::label::decode_keys;
  EXPECT_EQ(describe(decode_keys("\x1b")), "Escape");
  EXPECT_EQ(describe(decode_keys("\x1b\x1b[A")), "Escape ArrowUp");
  EXPECT_EQ(describe(decode_keys("\x1b" "3")), "Alt+Digit3");
  EXPECT_TRUE(decode_keys("\x1b" "3").front().text.empty());
  EXPECT_EQ(describe(decode_keys("\r\x7f\x08\t\x03\x04")), "Enter Backspace Backspace Tab Ctrl+KeyC Ctrl+KeyD");
  // A sequence cut short means nothing.
  EXPECT_EQ(describe(decode_keys("x\x1b[1;")), "KeyX");
}

TEST(TerminalInput, NonAsciiCharactersAreTextForTheNotes) {
  using prefline::label::decode_keys;
  const auto keys = decode_keys("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].text, "\xc3\xa9");
  EXPECT_EQ(keys[1].text, "\xe2\x82\xac");
  EXPECT_EQ(keys[2].text, "\xf0\x9f\x98\x80");
  EXPECT_TRUE(keys[0].code.empty());
  EXPECT_EQ(keys[3].code, "KeyZ");
}

}  // namespace
