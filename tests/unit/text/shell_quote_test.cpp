#include "prefline/text/shell_quote.hpp"

#include <gtest/gtest.h>

namespace {

using prefline::shell_quoted;

TEST(ShellQuote, PlainWordsStayAsTheyAre) {
  EXPECT_EQ(shell_quoted("--to"), "--to");
  EXPECT_EQ(shell_quoted("data/pairs.jsonl"), "data/pairs.jsonl");
  EXPECT_EQ(shell_quoted("a=b,c:d+e@f%"), "a=b,c:d+e@f%");
}

TEST(ShellQuote, OtherWordsGoInSingleQuotes) {
  EXPECT_EQ(shell_quoted(""), "''");
  EXPECT_EQ(shell_quoted("Write D3."), "'Write D3.'");
  EXPECT_EQ(shell_quoted("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quoted("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quoted("a\nb"), "'a\nb'");
}

TEST(ShellQuote, CommandLineNamesTheProgramAndQuotesEachArgument) {
  const char* argv[] = {"/usr/local/bin/export", "--to", "trl", "--system", "Be brief.", nullptr};
  EXPECT_EQ(prefline::shell_command_line("export", 5, argv), "export --to trl --system 'Be brief.'");
  EXPECT_EQ(prefline::shell_command_line("export", 1, argv), "export");
}

}  // namespace
