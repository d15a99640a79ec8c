#include "prefline/label/settings.hpp"

#include <gtest/gtest.h>

namespace {

std::string settings_error(prefline::label::Options options) {
  try {
    prefline::label::make_settings(options);
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

prefline::label::Options rate_options() {
  prefline::label::Options options;
  options.rate = "items.jsonl";
  options.grader = "tess";
  return options;
}

TEST(LabelSettings, RateDefaultsToTheVizhubScalesAndKeys) {
  const auto settings = prefline::label::make_settings(rate_options());
  EXPECT_FALSE(settings.compare);
  EXPECT_EQ(settings.items.item_fields, (std::vector<std::string>{"challenge", "model"}));
  ASSERT_EQ(settings.scales.size(), 2u);
  EXPECT_EQ(settings.scales[0].name, "technical");
  EXPECT_EQ(settings.scales[1].name, "aesthetics");
  EXPECT_EQ(settings.scales[1].high, 5);
  EXPECT_TRUE(settings.token.empty());  // loopback: no token needed
  EXPECT_EQ(settings.out, "grades");
  EXPECT_FALSE(settings.tty);
}

TEST(LabelSettings, CompareAsksOverallLast) {
  prefline::label::Options options;
  options.compare = "pairs.jsonl";
  options.criteria = "accuracy,safety";
  const auto settings = prefline::label::make_settings(options);
  EXPECT_EQ(settings.criteria, (std::vector<std::string>{"accuracy", "safety", "overall"}));
  EXPECT_EQ(settings.items.item_fields, (std::vector<std::string>{"id"}));
  EXPECT_TRUE(settings.scales.empty());
}

TEST(LabelSettings, AnAddressBeyondLoopbackGetsAGeneratedToken) {
  auto options = rate_options();
  options.bind = "0.0.0.0";
  const auto settings = prefline::label::make_settings(options);
  EXPECT_EQ(settings.token.size(), 24u);
  EXPECT_NE(settings.token, prefline::label::make_settings(options).token);
}

TEST(LabelSettings, RejectsWithTheFix) {
  auto no_grader = rate_options();
  no_grader.grader.clear();
  no_grader.tty = true;
  EXPECT_EQ(settings_error(no_grader), "--tty needs --grader NAME (one grader at this terminal)");
  auto both = rate_options();
  both.compare = "pairs.jsonl";
  EXPECT_EQ(settings_error(both), "give one of --rate FILE and --compare FILE");
  auto token = rate_options();
  token.token = "short";
  EXPECT_EQ(settings_error(token), "--token: 8 to 128 characters of A-Z a-z 0-9 _ -");
  auto ports = rate_options();
  ports.port = 9000;
  ports.files_port = 9000;
  EXPECT_EQ(settings_error(ports), "--port and --files-port must differ (the answers' files are another origin)");
  auto criteria = rate_options();
  criteria.criteria = "accuracy";
  EXPECT_EQ(settings_error(criteria), "--criteria is for --compare");
  auto page = rate_options();
  page.page_size = 0;
  EXPECT_EQ(settings_error(page), "--page-size: '0' is not from 1 to 1000");
}

}  // namespace
