#include "prefline/trainer/format.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace prefline::trainer;

std::string feature_names(const Layout& layout) {
  std::string names;
  for (const FeatureSpec& feature : layout_features(layout)) names += std::string(feature.name) + ";";
  return names;
}

TEST(TrainerFormat, FindsFormatsByTheirOptionName) {
  ASSERT_NE(find_format("trl-chat"), nullptr);
  EXPECT_EQ(find_format("trl-chat")->format, Format::trl_chat);
  EXPECT_EQ(find_format("sharegpt")->format, Format::sharegpt);
  EXPECT_EQ(find_format("trl_chat"), nullptr);
  EXPECT_EQ(find_format(""), nullptr);
}

TEST(TrainerFormat, ListsNamesWithTheLastSeparator) {
  EXPECT_EQ(format_names(), "trl, trl-chat, hh-rlhf, openai-dpo, openai-sft, alpaca or sharegpt");
  EXPECT_EQ(format_names_where([](const FormatInfo& f) { return f.margin; }, " and "), "trl and trl-chat");
  EXPECT_EQ(format_names_where([](const FormatInfo& f) { return f.system; }, " or "),
            "trl-chat, openai-dpo, openai-sft or sharegpt");
  EXPECT_EQ(format_names_where([](const FormatInfo&) { return false; }, " or "), "");
}

TEST(TrainerFormat, FeaturesFollowTheKeysOfEachFormat) {
  EXPECT_EQ(feature_names({find_format("trl"), false, {}}), "prompt;chosen;rejected;");
  EXPECT_EQ(feature_names({find_format("trl"), true, {}}), "prompt;chosen;rejected;margin;");
  EXPECT_EQ(feature_names({find_format("hh-rlhf"), false, {}}), "chosen;rejected;");
  EXPECT_EQ(feature_names({find_format("openai-dpo"), false, {}}), "input;preferred_output;non_preferred_output;");
  EXPECT_EQ(feature_names({find_format("openai-sft"), false, {}}), "messages;");
  EXPECT_EQ(feature_names({find_format("alpaca"), false, {}}), "instruction;input;output;");
  EXPECT_EQ(feature_names({find_format("sharegpt"), false, {}}), "conversations;");
}

TEST(TrainerFormat, FeatureKindsMatchTheShapeOfTheValues) {
  const auto trl = layout_features({find_format("trl"), true, {}});
  EXPECT_EQ(trl[0].kind, Feature::string);
  EXPECT_EQ(trl[3].kind, Feature::float64);
  EXPECT_EQ(layout_features({find_format("trl-chat"), false, {}})[0].kind, Feature::messages);
  EXPECT_EQ(layout_features({find_format("openai-dpo"), false, {}})[0].kind, Feature::input_messages);
  EXPECT_EQ(layout_features({find_format("sharegpt"), false, {}})[0].kind, Feature::turns);
}

}  // namespace
