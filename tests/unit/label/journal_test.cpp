#include "prefline/label/journal.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

namespace {

using prefline_test::slurp;

struct ReplayedLines {
  std::vector<std::string> lines;
  std::vector<std::size_t> numbers;
};

prefline::label::JournalReplay open_journal(prefline::label::Journal& journal, const std::string& path,
                                            ReplayedLines& seen) {
  return journal.open(path, [&](std::string_view line, std::size_t number) {
    seen.lines.emplace_back(line);
    seen.numbers.push_back(number);
  });
}

TEST(Journal, AppendsLinesAndReplaysThem) {
  const auto dir = prefline_test::scratch_dir("label-journal", "append");
  const std::string path = (dir / "g.journal.jsonl").string();
  {
    prefline::label::Journal journal;
    ReplayedLines seen;
    const auto replay = open_journal(journal, path, seen);
    EXPECT_EQ(replay.entries, 0u);
    journal.append(R"({"n":1})");
    journal.append(R"({"n":2})");
  }
  EXPECT_EQ(slurp(path), "{\"n\":1}\n{\"n\":2}\n");
  prefline::label::Journal journal;
  ReplayedLines seen;
  const auto replay = open_journal(journal, path, seen);
  EXPECT_EQ(replay.entries, 2u);
  EXPECT_EQ(replay.torn_lines, 0u);
  EXPECT_EQ(seen.lines, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_EQ(seen.numbers, (std::vector<std::size_t>{1, 2}));
}

TEST(Journal, TornLastLineIsIgnoredCountedAndCutOff) {
  const auto dir = prefline_test::scratch_dir("label-journal", "torn");
  const std::string path = (dir / "g.journal.jsonl").string();
  std::ofstream(path) << "{\"n\":1}\n\n{\"n\":2}\n{\"n\":3,\"no";
  prefline::label::Journal journal;
  ReplayedLines seen;
  const auto replay = open_journal(journal, path, seen);
  EXPECT_EQ(replay.entries, 2u);
  EXPECT_EQ(replay.torn_lines, 1u);
  EXPECT_EQ(replay.kept_bytes, 17u);
  EXPECT_EQ(seen.numbers, (std::vector<std::size_t>{1, 3}));
  journal.append(R"({"n":4})");
  EXPECT_EQ(slurp(path), "{\"n\":1}\n\n{\"n\":2}\n{\"n\":4}\n");
}

TEST(Journal, EverySyncedLineSurvivesKillNine) {
  const auto dir = prefline_test::scratch_dir("label-journal", "kill");
  const std::string path = (dir / "g.journal.jsonl").string();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    prefline::label::Journal journal;
    journal.open(path, [](std::string_view, std::size_t) {});
    for (int i = 0; i < 50; ++i) journal.append("{\"n\":" + std::to_string(i) + "}");
    (void)!::write(ready[1], "x", 1);
    for (;;) journal.append(R"({"more":true})");
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  prefline::label::Journal journal;
  ReplayedLines seen;
  const auto replay = open_journal(journal, path, seen);
  ASSERT_GE(replay.entries, 50u);
  EXPECT_LE(replay.torn_lines, 1u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen.lines[static_cast<std::size_t>(i)], "{\"n\":" + std::to_string(i) + "}");
  for (std::size_t i = 50; i < seen.lines.size(); ++i) EXPECT_EQ(seen.lines[i], R"({"more":true})");
}

TEST(Journal, UnopenableFolderIsADataError) {
  prefline::label::Journal journal;
  EXPECT_THROW(journal.open("/nonexistent-folder-prefline/j.jsonl", [](std::string_view, std::size_t) {}),
               prefline::DataError);
}

}  // namespace

namespace {

TEST(Journal, ReadOnlyReplayLeavesATornLineInPlace) {
  const auto dir = prefline_test::scratch_dir("label-journal", "readonly");
  const std::string path = (dir / "other.journal.jsonl").string();
  std::ofstream(path) << "{\"n\":1}\n{\"n\":2,\"being";
  std::vector<std::string> seen;
  const auto replay = prefline::label::read_journal(path, [&](std::string_view line, std::size_t) { seen.emplace_back(line); });
  EXPECT_EQ(replay.entries, 1u);
  EXPECT_EQ(replay.torn_lines, 1u);
  EXPECT_EQ(seen, (std::vector<std::string>{"{\"n\":1}"}));
  EXPECT_EQ(prefline_test::slurp(path), "{\"n\":1}\n{\"n\":2,\"being");
}

}  // namespace
