#include "prefline/io/output_set.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

fs::path set_scratch(const char* name) { return prefline_test::scratch_dir("output-set-test", name); }

using prefline_test::slurp;

using prefline_test::entries_in;

TEST(OutputSet, EveryFileAppearsOnlyOnCommit) {
  const fs::path dir = set_scratch("commit");
  prefline::OutputSet outputs;
  prefline::Output& main = outputs.add((dir / "items.jsonl").string());
  prefline::Output& side = outputs.add((dir / "agreement.json").string());
  EXPECT_EQ(outputs.size(), 2u);
  main.buffer().append("{\"item\":1}\n");
  side.buffer().append("{\"alpha\":0.5}\n");
  main.flush();
  EXPECT_FALSE(fs::exists(dir / "items.jsonl"));
  EXPECT_FALSE(fs::exists(dir / "agreement.json"));
  EXPECT_EQ(entries_in(dir), 2u);  // the two temp files
  outputs.commit();
  EXPECT_EQ(slurp(dir / "items.jsonl"), "{\"item\":1}\n");
  EXPECT_EQ(slurp(dir / "agreement.json"), "{\"alpha\":0.5}\n");
  EXPECT_EQ(entries_in(dir), 2u);
  fs::remove_all(dir);
}

// A full disk on either file, whichever order they were added in: a write
// error, and no file of the set (the old ones stay as they were).
TEST(OutputSet, AFullDiskOnAnyFileLeavesNoneOfTheSet) {
  for (bool full_first : {true, false}) {
    const fs::path dir = set_scratch("full");
    std::ofstream(dir / "old.json") << "old\n";
    prefline::OutputSet outputs;
    prefline::Output* full = nullptr;
    prefline::Output* good = nullptr;
    if (full_first) full = &outputs.add("/dev/full");
    good = &outputs.add((dir / "old.json").string());
    prefline::Output& fresh = outputs.add((dir / "new.json").string());
    if (!full_first) full = &outputs.add("/dev/full");
    full->buffer().append("x\n");
    good->buffer().append("replacement\n");
    fresh.buffer().append("new\n");
    try {
      outputs.commit();
      ADD_FAILURE() << "no exception";
    } catch (const prefline::WriteError& error) {
      EXPECT_STREQ(error.what(), "'/dev/full': No space left on device");
    }
    outputs.discard();
    EXPECT_EQ(slurp(dir / "old.json"), "old\n") << full_first;
    EXPECT_FALSE(fs::exists(dir / "new.json")) << full_first;
    EXPECT_EQ(entries_in(dir), 1u) << full_first;  // no temp file either
    fs::remove_all(dir);
  }
}

TEST(OutputSet, DestroyedWithoutCommitLeavesNothing) {
  const fs::path dir = set_scratch("destroyed");
  {
    prefline::OutputSet outputs;
    outputs.add((dir / "a.jsonl").string()).buffer().append("a\n");
    outputs.add((dir / "b.json").string()).buffer().append("b\n");
  }
  EXPECT_EQ(entries_in(dir), 0u);
  fs::remove_all(dir);
}

// A rename that fails after others succeeded takes the published ones back.
TEST(OutputSet, AFailedRenameRemovesTheFilesAlreadyPublished) {
  const fs::path dir = set_scratch("rename");
  prefline::OutputSet outputs;
  outputs.add((dir / "first.jsonl").string()).buffer().append("1\n");
  outputs.add((dir / "second.json").string()).buffer().append("2\n");
  fs::create_directories(dir / "second.json" / "inside");  // now the rename cannot replace it
  EXPECT_THROW(outputs.commit(), prefline::WriteError);
  EXPECT_FALSE(fs::exists(dir / "first.jsonl"));
  EXPECT_TRUE(fs::is_directory(dir / "second.json" / "inside"));
  EXPECT_EQ(entries_in(dir), 1u);
  fs::remove_all(dir);
}

// finish_writing() alone: the full disk shows, nothing is published yet.
TEST(OutputSet, FinishWritingPublishesNothing) {
  const fs::path dir = set_scratch("finish");
  prefline::OutputSet outputs;
  outputs.add((dir / "a.jsonl").string()).buffer().append("a\n");
  outputs.finish_writing();
  EXPECT_FALSE(fs::exists(dir / "a.jsonl"));
  outputs.commit();
  EXPECT_EQ(slurp(dir / "a.jsonl"), "a\n");
  fs::remove_all(dir);
}

}  // namespace
