#include "prefline/label/grade_sheet.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <string>

namespace {

using prefline::label::GradeChange;
using prefline::label::GradeSheet;

// 2025-06-03T14:53:00.211Z and two later times.
constexpr std::int64_t first_ms = 1748962380211;
constexpr std::int64_t second_ms = first_ms + 60000;
constexpr std::int64_t third_ms = first_ms + 120000;

GradeChange score_change(std::string model, std::size_t scale, int score, std::int64_t at) {
  GradeChange change;
  change.challenge = "stockPriceChart";
  change.model = std::move(model);
  change.type = "visualization";
  change.scale = scale;
  change.score = score;
  change.at_ms = at;
  return change;
}

TEST(GradeSheet, WritesTheVizhubHeaderAndRows) {
  GradeSheet sheet("ej-fox");
  sheet.apply(score_change("qwen/qwq-32b", 0, 5, first_ms));
  sheet.apply(score_change("qwen/qwq-32b", 1, 4, second_ms));
  EXPECT_EQ(sheet.csv(),
            "challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n"
            "stockPriceChart,qwen/qwq-32b,visualization,pass,5,4,ej-fox,2025-06-03T14:54:00.211Z,\n");
}

TEST(GradeSheet, AutoFailIsZeroOnEveryScale) {
  GradeSheet sheet("ej-fox");
  GradeChange change = score_change("a/b", 0, 3, first_ms);
  change.scale.reset();
  change.score.reset();
  change.auto_fail = true;
  sheet.apply(change);
  EXPECT_EQ(sheet.csv().substr(prefline::label::grade_csv_header.size()),
            "stockPriceChart,a/b,visualization,fail,0,0,ej-fox,2025-06-03T14:53:00.211Z,\n");
  // A score typed afterwards ends the auto-fail; the other scale keeps its 0.
  sheet.apply(score_change("a/b", 0, 4, second_ms));
  EXPECT_EQ(sheet.rows()[0].pass_fail, "pass");
  EXPECT_EQ(sheet.rows()[0].scores[0], 4);
  EXPECT_EQ(sheet.rows()[0].scores[1], 0);
}

TEST(GradeSheet, ReviewedAtIsEachRowsLastChange) {
  GradeSheet sheet("bob");
  sheet.apply(score_change("m1", 0, 2, first_ms));
  sheet.apply(score_change("m2", 0, 3, second_ms));
  sheet.apply(score_change("m1", 0, 1, third_ms));
  EXPECT_EQ(sheet.csv().substr(prefline::label::grade_csv_header.size()),
            "stockPriceChart,m1,visualization,pass,1,,bob,2025-06-03T14:55:00.211Z,\n"
            "stockPriceChart,m2,visualization,pass,3,,bob,2025-06-03T14:54:00.211Z,\n");
}

TEST(GradeSheet, NotesAreQuotedWhenNeeded) {
  GradeSheet sheet("bob");
  GradeChange change = score_change("m", 0, 2, first_ms);
  change.notes = "axis \"labels\", missing\nsecond line";
  sheet.apply(change);
  EXPECT_EQ(sheet.csv().substr(prefline::label::grade_csv_header.size()),
            "stockPriceChart,m,visualization,pass,2,,bob,2025-06-03T14:53:00.211Z,"
            "\"axis \"\"labels\"\", missing\nsecond line\"\n");
}

TEST(GradeSheet, JournalLinesRebuildTheSameSheet) {
  GradeSheet sheet("carol");
  std::vector<std::string> journal;
  journal.push_back(GradeSheet::journal_line(sheet.apply(score_change("m1", 0, 2, first_ms))));
  GradeChange fail = score_change("m2", 0, 0, second_ms);
  fail.scale.reset();
  fail.auto_fail = true;
  fail.notes = "blank page";
  journal.push_back(GradeSheet::journal_line(sheet.apply(fail)));
  journal.push_back(GradeSheet::journal_line(sheet.apply(score_change("m1", 1, 5, third_ms))));
  EXPECT_EQ(journal[1],
            R"({"challenge":"stockPriceChart","model":"m2","type":"visualization","passFail":"fail","grade":0,)"
            R"("aesthetics":0,"reviewedBy":"carol","reviewedAt":"2025-06-03T14:54:00.211Z","notes":"blank page",)"
            R"("autoFail":true})");
  GradeSheet replayed("carol");
  for (const auto& line : journal) replayed.replay_line(line, "j:1");
  EXPECT_EQ(replayed.csv(), sheet.csv());
}

TEST(GradeSheet, BadJournalLineNamesWhere) {
  GradeSheet sheet("carol");
  try {
    sheet.replay_line(R"({"challenge":1})", "g.journal.jsonl:3");
    FAIL();
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "g.journal.jsonl:3: 'challenge' is not a string");
  }
  EXPECT_THROW(sheet.replay_line("[1]", "x"), prefline::DataError);
}

TEST(GradeSheet, WriteCsvReplacesTheFileWhole) {
  const auto dir = prefline_test::scratch_dir("label-sheet", "write");
  const std::string path = (dir / "g.csv").string();
  GradeSheet sheet("g");
  sheet.apply(score_change("m", 0, 3, first_ms));
  sheet.write_csv(path);
  sheet.apply(score_change("m", 0, 4, second_ms));
  sheet.write_csv(path);
  EXPECT_EQ(prefline_test::slurp(path), sheet.csv());
  EXPECT_EQ(prefline_test::entries_in(dir), 1u);
}

}  // namespace
