#include "prefline/json/line_hints.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(ExplainBadLine, CsvJsonArrayAndPrettyPrintedJson) {
  const std::string bad = "invalid JSON: bad structure (a missing or extra comma, colon, brace or bracket)";
  EXPECT_EQ(prefline::explain_bad_line("challenge,model,grade", bad), prefline::csv_hint);
  EXPECT_EQ(prefline::explain_bad_line("a\tb\tc\r", bad), prefline::tsv_hint);
  EXPECT_EQ(prefline::tsv_hint, "this looks like tab-separated values; convert it with csv2jsonl -d '\\t' first");
  EXPECT_EQ(prefline::explain_bad_line("[{\"a\": 1}, {\"a\": 2}]", "expected a JSON object, found an array"),
            prefline::json_array_hint);
  EXPECT_EQ(prefline::explain_bad_line("[", bad), prefline::json_array_hint);
  EXPECT_EQ(prefline::explain_bad_line("{", bad), prefline::pretty_json_hint);
  EXPECT_EQ(prefline::explain_bad_line("  \"model\": \"m\",", bad), prefline::pretty_json_hint);
}

TEST(ExplainBadLine, OtherReasonsPassUnchanged) {
  EXPECT_EQ(prefline::explain_bad_line("{\"a\": 1,}", "invalid JSON: bad structure"), "invalid JSON: bad structure");
  EXPECT_EQ(prefline::explain_bad_line("a,b", "missing field 'challenge'"), "missing field 'challenge'");
  EXPECT_EQ(prefline::explain_bad_line("42", "expected a JSON object, found a number"),
            "expected a JSON object, found a number");
}

TEST(ExplainBadLine, InvalidUtf8GetsItsOffsetAndAConversionHint) {
  EXPECT_EQ(prefline::explain_bad_line("{\"name\": \"caf\xE9\"}", "invalid UTF-8"),
            "invalid UTF-8 at byte 14 of the line (0xE9); if the file is in another encoding, convert it first, "
            "e.g. iconv -f windows-1252 -t utf-8");
}

TEST(FirstInvalidUtf8, FindsTheFirstBadByte) {
  EXPECT_EQ(prefline::first_invalid_utf8("plain"), std::string_view::npos);
  EXPECT_EQ(prefline::first_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(prefline::first_invalid_utf8("ab\x80"), 2u);             // a lone continuation byte
  EXPECT_EQ(prefline::first_invalid_utf8("\xC0\xAF"), 0u);            // overlong
  EXPECT_EQ(prefline::first_invalid_utf8("x\xED\xA0\x80"), 1u);       // a surrogate
  EXPECT_EQ(prefline::first_invalid_utf8("\xF4\x90\x80\x80"), 0u);   // past U+10FFFF
  EXPECT_EQ(prefline::first_invalid_utf8("ok\xE2\x82"), 2u);          // cut short
}

}  // namespace

namespace {
TEST(ExplainBadLine, AByteOrderMarkInsideTheFile) {
  EXPECT_EQ(prefline::explain_bad_line("\xEF\xBB\xBF{\"a\": 1, \"b\": 2}", "invalid JSON: bad structure"),
            prefline::inner_bom_hint);
}
}  // namespace
