// turns/settings.hpp: options become the layout, the selection and the
// samples, and bad options are named before anything is read (exit 2).
#include "prefline/turns/settings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string turns_settings_error(const prefline::turns::Options& options) {
  try {
    prefline::turns::make_settings(options);
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(TurnsSettings, OptionsBecomeTheSettings) {
  prefline::turns::Options options;
  options.content = "text";
  options.roles = "ai=assistant";
  options.keep = "repo,exit_status";
  options.turns = "-1";
  options.rate = 0.25;
  options.sample = 10;
  options.join = "prs.jsonl";
  options.into = "pr";
  const auto settings = prefline::turns::make_settings(options);
  EXPECT_EQ(settings.layout.content, "text");
  ASSERT_EQ(settings.layout.renamed_roles.size(), 1u);
  EXPECT_EQ(settings.layout.renamed_roles[0].second, prefline::turns::Role::assistant);
  EXPECT_EQ(settings.keep, (std::vector<std::string>{"repo", "exit_status"}));
  EXPECT_TRUE(settings.selection.selects(3, 3));
  EXPECT_FALSE(settings.selection.selects(2, 3));
  EXPECT_TRUE(settings.rate.keeps(UINT64_C(1) << 61));
  EXPECT_FALSE(settings.rate.keeps(UINT64_C(1) << 62));
  EXPECT_EQ(settings.sample, 10u);
  EXPECT_TRUE(settings.sampled());
  EXPECT_EQ(settings.on, "instance_id");  // --on defaults to --id
  EXPECT_EQ(settings.max_chars, 0u);
}

TEST(TurnsSettings, BadOptionsAreNamed) {
  prefline::turns::Options options;
  options.rate = 0;
  EXPECT_EQ(turns_settings_error(options), "--rate: '0' is not a share in (0, 1] (e.g. 0.001)");
  options = {};
  options.keep = "source";
  EXPECT_EQ(turns_settings_error(options),
            "--keep: 'source' is also a field that turns writes (instance_id, source, messages, reference); leave it "
            "out of --keep");
  options = {};
  options.into = "pr";
  EXPECT_EQ(turns_settings_error(options), "--into is for --join");
  options = {};
  options.join = "prs.jsonl";
  EXPECT_EQ(turns_settings_error(options), "--join needs --into FIELD (the turn record's field for the side record)");
  options = {};
  options.skip_if = "(";
  EXPECT_TRUE(turns_settings_error(options).starts_with("--skip-if: '(' is not a valid regular expression"));
  options = {};
  options.sample = -1;
  EXPECT_EQ(turns_settings_error(options), "--sample must be 1 or more (0: no sample)");
  options = {};
  options.messages = "";
  EXPECT_EQ(turns_settings_error(options), "--messages needs a field name");
}

}  // namespace
