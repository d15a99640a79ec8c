#include "prefline/io/output_folder.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

fs::path folder_scratch(const char* name) { return prefline_test::scratch_dir("output-folder-test", name); }

using prefline_test::slurp;

bool owned_jsonl(std::string_view relative, bool is_folder) {
  return is_folder ? relative == "data" : relative.ends_with(".jsonl") || relative == "README.md";
}

void write_file(prefline::OutputFolder& folder, std::string_view relative, std::string_view text) {
  prefline::Output out;
  out.open(folder.file(relative));
  out.buffer().append(text);
  out.commit();
}

TEST(OutputFolder, TheFolderTakesItsNameOnlyOnCommit) {
  const fs::path dir = folder_scratch("commit");
  const std::string target = (dir / "dataset").string();
  prefline::OutputFolder folder;
  folder.open(target, false, owned_jsonl);
  folder.make_folder("data");
  write_file(folder, "data/train.jsonl", "{}\n");
  EXPECT_FALSE(fs::exists(target));
  folder.commit();
  EXPECT_EQ(slurp(dir / "dataset" / "data" / "train.jsonl"), "{}\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(OutputFolder, NotCommittedLeavesNothing) {
  const fs::path dir = folder_scratch("discard");
  {
    prefline::OutputFolder folder;
    folder.open((dir / "dataset").string(), false, owned_jsonl);
    folder.make_folder("data");
    write_file(folder, "data/train.jsonl", "{}\n");
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(OutputFolder, ReplacesOnlyWhatTheToolWrites) {
  const fs::path dir = folder_scratch("replace");
  const std::string target = (dir / "dataset").string();
  fs::create_directories(dir / "dataset" / "data");
  std::ofstream(dir / "dataset" / "data" / "old.jsonl") << "old\n";
  EXPECT_THROW(prefline::OutputFolder::check_target(target, false, owned_jsonl), prefline::DataError);
  prefline::OutputFolder::check_target(target, true, owned_jsonl);
  prefline::OutputFolder folder;
  folder.open(target, true, owned_jsonl);
  write_file(folder, "README.md", "card\n");
  folder.commit();
  EXPECT_EQ(slurp(dir / "dataset" / "README.md"), "card\n");
  EXPECT_FALSE(fs::exists(dir / "dataset" / "data"));
  std::ofstream(dir / "dataset" / "notes.txt") << "mine\n";
  try {
    prefline::OutputFolder::check_target(target, true, owned_jsonl);
    FAIL() << "no exception";
  } catch (const prefline::DataError& error) {
    EXPECT_EQ(std::string(error.what()),
              "'" + target + "' holds 'notes.txt', which this tool does not write; not replacing it");
  }
  fs::remove_all(dir);
}

TEST(OutputFolder, TargetNameRejectsWhatCannotBeAFolder) {
  EXPECT_EQ(prefline::OutputFolder::target_name("out/dataset//", "--dataset-dir"), "out/dataset");
  EXPECT_THROW(prefline::OutputFolder::target_name(".", "--dataset-dir"), prefline::UsageError);
  EXPECT_THROW(prefline::OutputFolder::target_name("a/..", "--dataset-dir"), prefline::UsageError);
  EXPECT_THROW(prefline::OutputFolder::target_name("/", "--dataset-dir"), prefline::UsageError);
}

}  // namespace
