// generate/normalise.hpp: runs of ASCII and Unicode whitespace become one
// space, the ends are trimmed, everything else is kept byte for byte.
#include "prefline/generate/normalise.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using prefline::generate::normalise_whitespace;

TEST(GenerateNormaliseWhitespace, CollapsesRunsAndTrimsBothEnds) {
  EXPECT_EQ(normalise_whitespace("  The answer\n\n is\t\t4.\r\n"), "The answer is 4.");
  EXPECT_EQ(normalise_whitespace("a\vb\fc"), "a b c");
  EXPECT_EQ(normalise_whitespace("same"), "same");
  EXPECT_EQ(normalise_whitespace(""), "");
  EXPECT_EQ(normalise_whitespace(" \n\t "), "");
}

TEST(GenerateNormaliseWhitespace, UnicodeSpacesCountAsWhitespace) {
  // U+00A0, U+2003 (em space), U+3000 (ideographic space), U+2028, U+0085, U+202F, U+205F, U+1680.
  EXPECT_EQ(normalise_whitespace("a\xC2\xA0" "b\xE2\x80\x83 c\xE3\x80\x80" "d\xE2\x80\xA8" "e\xC2\x85" "f"),
            "a b c d e f");
  EXPECT_EQ(normalise_whitespace("\xE2\x80\xAF" "x\xE2\x81\x9F" "y\xE1\x9A\x80"), "x y");
}

TEST(GenerateNormaliseWhitespace, KeepsOtherTextByteForByte) {
  // Case, zero-width space U+200B (not White_Space), other non-ASCII, invalid UTF-8 bytes.
  EXPECT_EQ(normalise_whitespace("Été\xE2\x80\x8Bok \xC2\xA9 \xFF\xC2"), "Été\xE2\x80\x8Bok \xC2\xA9 \xFF\xC2");
  EXPECT_EQ(normalise_whitespace("\xE2\x80"), "\xE2\x80");  // a cut-off sequence is not whitespace
}

TEST(GenerateNormaliseWhitespace, RepliesDifferingOnlyInSpacingAreEqual) {
  EXPECT_EQ(normalise_whitespace("def f():\n    return 1\n"), normalise_whitespace("def f():\n  return 1"));
  EXPECT_NE(normalise_whitespace("return 1"), normalise_whitespace("return1"));
}

}  // namespace
