#include "prefline/trainer/dataset_folder.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "prefline/cli/errors.hpp"

namespace {

namespace fs = std::filesystem;
using namespace prefline::trainer;

std::string new_parent() {
  std::string pattern = ::testing::TempDir() + "dataset_folder_XXXXXX";
  return ::mkdtemp(pattern.data());
}

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DatasetFolder, OwnsOnlyTheCardAndSplitFiles) {
  EXPECT_TRUE(owned_by_export("README.md", false));
  EXPECT_TRUE(owned_by_export("data", true));
  EXPECT_TRUE(owned_by_export("data/train.jsonl", false));
  EXPECT_FALSE(owned_by_export("data/.jsonl", false));
  EXPECT_FALSE(owned_by_export("data/x/train.jsonl", false));
  EXPECT_FALSE(owned_by_export("data/train.json", false));
  EXPECT_FALSE(owned_by_export(".git", true));
  EXPECT_FALSE(owned_by_export("notes.txt", false));
}

TEST(DatasetFolder, WritesOneFilePerSplitAndTheCardOnCommit) {
  const fs::path dir = fs::path(new_parent()) / "set";
  const Layout trl{find_format("trl"), false, {}};
  {
    DatasetFolder folder(dir.string(), false, trl);
    prefline::Output* out = nullptr;
    ASSERT_EQ(folder.output_for("", out), "");
    out->buffer().append("a\n");
    ASSERT_EQ(folder.output_for("test", out), "");
    out->buffer().append("b\n");
    ASSERT_EQ(folder.output_for("train", out), "");
    out->buffer().append("c\n");
    EXPECT_FALSE(fs::exists(dir));
    folder.commit("export --to trl", "9.9.9", 0);
  }
  EXPECT_EQ(contents(dir / "data" / "train.jsonl"), "a\nc\n");
  EXPECT_EQ(contents(dir / "data" / "test.jsonl"), "b\n");
  const std::string card = contents(dir / "README.md");
  EXPECT_NE(card.find("  - name: \"train\"\n    num_examples: 2\n  - name: \"test\"\n    num_examples: 1\n"),
            std::string::npos);
}

TEST(DatasetFolder, RefusesSplitsThatDifferOnlyInCaseAndTooManySplits) {
  const fs::path dir = fs::path(new_parent()) / "set";
  const Layout trl{find_format("trl"), false, {}};
  DatasetFolder folder(dir.string(), false, trl);
  prefline::Output* out = nullptr;
  ASSERT_EQ(folder.output_for("Test", out), "");
  EXPECT_EQ(folder.output_for("test", out),
            "split 'test' differs from split 'Test' only in case (file names could clash)");
  for (std::size_t i = 1; i < max_splits; ++i) ASSERT_EQ(folder.output_for("s" + std::to_string(i), out), "");
  EXPECT_EQ(folder.output_for("one_more", out),
            "split 'one_more' would be split number 33: at most 32 splits (is --bucket-field right?)");
}

TEST(DatasetFolder, NoRecordsGiveAnEmptyTrainSplitAndAnUncommittedFolderLeavesNothing) {
  const fs::path parent = new_parent();
  const Layout alpaca{find_format("alpaca"), false, {}};
  {
    DatasetFolder folder((parent / "empty").string(), false, alpaca);
    folder.commit("export", "1", 0);
  }
  EXPECT_EQ(contents(parent / "empty" / "data" / "train.jsonl"), "");
  {
    DatasetFolder folder((parent / "dropped").string(), false, alpaca);
    prefline::Output* out = nullptr;
    ASSERT_EQ(folder.output_for("train", out), "");
  }
  EXPECT_FALSE(fs::exists(parent / "dropped"));
  EXPECT_EQ(std::distance(fs::directory_iterator(parent), fs::directory_iterator()), 1);
}

TEST(DatasetFolder, AnExistingFolderIsAnErrorWithoutForce) {
  const fs::path dir = fs::path(new_parent()) / "set";
  fs::create_directories(dir);
  const Layout trl{find_format("trl"), false, {}};
  EXPECT_THROW(DatasetFolder(dir.string(), false, trl), prefline::DataError);
}

}  // namespace
