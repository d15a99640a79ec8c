#include "prefline/trainer/dataset_card.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using namespace prefline::trainer;

TEST(DatasetCard, YamlHeaderListsTrainFirstThenSplitsByName) {
  const Layout trl{find_format("trl"), false, {}};
  const std::vector<SplitCount> splits = {{"validation", 2}, {"test", 1}, {"train", 7}};
  const std::string card = dataset_card(trl, "out/my-set", splits, "export --to trl", "1.2.3", 0);
  EXPECT_EQ(card.substr(0, card.find("# Dataset Card")),
            "---\nlicense: other\ntask_categories:\n- text-generation\n"
            "configs:\n- config_name: default\n  data_files:\n"
            "  - split: \"train\"\n    path: \"data/train.jsonl\"\n"
            "  - split: \"test\"\n    path: \"data/test.jsonl\"\n"
            "  - split: \"validation\"\n    path: \"data/validation.jsonl\"\n"
            "dataset_info:\n  features:\n"
            "  - name: prompt\n    dtype: string\n  - name: chosen\n    dtype: string\n"
            "  - name: rejected\n    dtype: string\n"
            "  splits:\n  - name: \"train\"\n    num_examples: 7\n  - name: \"test\"\n    num_examples: 1\n"
            "  - name: \"validation\"\n    num_examples: 2\n---\n\n");
  EXPECT_NE(card.find("# Dataset Card for my-set\n\n10 examples: preference pairs in TRL's standard format"),
            std::string::npos);
  EXPECT_NE(card.find("| train | 7 | `data/train.jsonl` |\n| test | 1 |"), std::string::npos);
  EXPECT_NE(card.find("keys in this order: `prompt`, `chosen`, `rejected`.\n"), std::string::npos);
  EXPECT_NE(card.find("Written by `export` (prefline 1.2.3)"), std::string::npos);
  EXPECT_EQ(card.find("left out"), std::string::npos);
}

TEST(DatasetCard, NestedFeaturesIndentTheirFields) {
  const Layout dpo{find_format("openai-dpo"), false, std::string("S")};
  const std::string card = dataset_card(dpo, "d", {{"train", 1}}, "export", "1", 0);
  EXPECT_NE(card.find("  - name: input\n    struct:\n    - name: messages\n      list:\n"
                      "      - name: role\n        dtype: string\n      - name: content\n        dtype: string\n"),
            std::string::npos);
  EXPECT_NE(card.find("1 example: "), std::string::npos);
  EXPECT_NE(card.find("Every example starts with the same system message (`--system`).\n"), std::string::npos);
  const Layout sharegpt{find_format("sharegpt"), false, {}};
  EXPECT_NE(dataset_card(sharegpt, "d", {{"train", 1}}, "export", "1", 0)
                .find("  - name: conversations\n    list:\n    - name: from\n      dtype: string\n"),
            std::string::npos);
}

TEST(DatasetCard, MarginSkippedRecordsAndTheCommandLine) {
  const Layout trl{find_format("trl"), true, {}};
  const std::string card = dataset_card(trl, "d", {{"train", 3}}, "export --system 'a ``` b'", "1", 2);
  EXPECT_NE(card.find("  - name: margin\n    dtype: float64\n"), std::string::npos);
  EXPECT_NE(card.find("`margin` is the pair's `metadata.score_difference`"), std::string::npos);
  // The fence is longer than the longest run of backticks in the command.
  EXPECT_NE(card.find("````sh\nexport --system 'a ``` b'\n````\n"), std::string::npos);
  EXPECT_NE(card.find("\n2 invalid input records were left out (`--skip-invalid`).\n"), std::string::npos);
}

TEST(DatasetCard, LicenseGivenOrSaidToBeUnset) {
  const Layout trl{find_format("trl"), false, {}};
  const std::string unset = dataset_card(trl, "d", {{"train", 1}}, "export", "1", 0);
  EXPECT_NE(unset.find("---\nlicense: other\n"), std::string::npos);
  EXPECT_NE(unset.find("\nThe license was not set: the header says `license: other`. Set it with `export --license "
                       "ID`"),
            std::string::npos);
  const std::string set = dataset_card(trl, "d", {{"train", 1}}, "export", "1", 0, "cc-by-4.0");
  EXPECT_NE(set.find("---\nlicense: cc-by-4.0\ntask_categories:\n- text-generation\n"), std::string::npos);
  EXPECT_EQ(set.find("license was not set"), std::string::npos);
}

TEST(DatasetCard, LicenseIdsAreTheHubsSpelling) {
  EXPECT_TRUE(is_license_id("mit"));
  EXPECT_TRUE(is_license_id("apache-2.0"));
  EXPECT_TRUE(is_license_id("cc-by-nc-sa-4.0"));
  EXPECT_FALSE(is_license_id(""));
  EXPECT_FALSE(is_license_id("MIT"));
  EXPECT_FALSE(is_license_id("2mit"));
  EXPECT_FALSE(is_license_id("mit license"));
  EXPECT_FALSE(is_license_id("mit\nx: y"));
}

TEST(DatasetCard, PathsAreRelativeToTheFoldersParentOrJustTheirName) {
  const std::string cwd = std::filesystem::current_path().generic_string();
  EXPECT_EQ(path_for_card("out/hf", "out/hf"), "hf");
  EXPECT_EQ(path_for_card("out/hf/", "out/hf"), "hf");
  EXPECT_EQ(path_for_card("out/pairs.jsonl", "out/hf"), "pairs.jsonl");
  EXPECT_EQ(path_for_card("out/x/../split/pairs.jsonl", "out/hf"), "split/pairs.jsonl");
  EXPECT_EQ(path_for_card(cwd + "/out/pairs.jsonl", "out/hf"), "pairs.jsonl");
  EXPECT_EQ(path_for_card("pairs.jsonl", "hf"), "pairs.jsonl");
  EXPECT_EQ(path_for_card("data/pairs.jsonl", "hf"), "data/pairs.jsonl");
  // outside the parent: only the file name, never ../.. or an absolute path
  EXPECT_EQ(path_for_card("/tmp/elsewhere/pairs.jsonl", "out/hf"), "pairs.jsonl");
  EXPECT_EQ(path_for_card("pairs.jsonl", "out/hf"), "pairs.jsonl");
  EXPECT_EQ(path_for_card("-", "out/hf"), "-");
}

}  // namespace
