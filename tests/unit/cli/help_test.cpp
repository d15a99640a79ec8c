#include "prefline/cli/help.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

std::size_t longest_line(const std::string& text) {
  std::istringstream lines(text);
  std::size_t longest = 0;
  for (std::string line; std::getline(lines, line);) longest = std::max(longest, line.size());
  return longest;
}

TEST(OptionTable, WrapsGreedilyUnderTheDescriptionColumn) {
  const std::string table = prefline::option_table(
      {{"  -x, --example N", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"}}, 20);
  EXPECT_EQ(table,
            "  -x, --example N   one two three four five six seven eight nine ten eleven\n"
            "                    twelve thirteen fourteen\n");
}

TEST(OptionTable, LongFlagsPutTheDescriptionOnTheNextLine) {
  const std::string table = prefline::option_table({{"  --a-very-long-option-name VALUE", "what it does"}}, 24);
  EXPECT_EQ(table, "  --a-very-long-option-name VALUE\n                        what it does\n");
}

TEST(OptionTable, AWordLongerThanTheLineStaysWhole) {
  const std::string word(70, 'w');
  const std::string table = prefline::option_table({{"  -w", "short " + word}}, 24);
  EXPECT_EQ(table, "  -w                    short\n                        " + word + "\n");
}

TEST(CommonOptionsHelp, NamesTheToolAndFitsEightyColumns) {
  const std::string block = prefline::common_options_help({.tool = "bucket"});
  EXPECT_EQ(block,
            "Common options:\n"
            "  -o, --output FILE     write to FILE instead of standard output; FILE appears\n"
            "                        only when the tool succeeds\n"
            "      --skip-invalid    skip bad records instead of stopping at the first one;\n"
            "                        at the end 'bucket: skipped N invalid records' goes to\n"
            "                        stderr and the exit code is 0\n"
            "      --rejects FILE    with --skip-invalid: write every skipped input line to\n"
            "                        FILE, byte for byte\n"
            "  -q, --quiet           no progress display (shown only when stderr is a\n"
            "                        terminal), no deprecation notes and no summary line of\n"
            "                        records left out; errors, and why a run wrote nothing,\n"
            "                        are always shown\n"
            "  -h, --help            show this help and exit\n"
            "      --version         show the version and exit\n");
  EXPECT_LE(longest_line(prefline::common_options_help({.tool = "a-tool-with-a-long-name", .column = 27})),
            prefline::help_width);
}

TEST(CommonOptionsHelp, ToolWordsReplaceTheDefaultsAndTheHeadingIsOptional) {
  const std::string block =
      prefline::common_options_help({.tool = "report", .heading = false, .output = "write the Markdown to FILE"});
  EXPECT_EQ(block.rfind("  -o, --output FILE     write the Markdown to FILE\n", 0), 0u);
  EXPECT_NE(block.find("'report: skipped N invalid records'"), std::string::npos);
}

}  // namespace
