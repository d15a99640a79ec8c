// generate/settings.hpp: options become the grid and the checks a user
// meets before anything is read (usage errors, exit 2).
#include "prefline/generate/settings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

prefline::generate::Options two_models() {
  prefline::generate::Options options;
  options.model_specs = {"a=http://h:1/v1#m1", "b=http://h:2/v1#m2"};
  options.samples = 2;
  options.temperatures = "0.3,1";
  return options;
}

std::string settings_error(const prefline::generate::Options& options) {
  try {
    prefline::generate::make_settings(options);
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(GenerateSettings, OptionsBecomeTheGrid) {
  const auto settings = prefline::generate::make_settings(two_models());
  ASSERT_EQ(settings.grid.models.size(), 2u);
  EXPECT_EQ(settings.grid.models[1].url, "http://h:2/v1/chat/completions");
  EXPECT_EQ(settings.cells.size(), 4u);
  EXPECT_EQ(settings.grid.answers_per_prompt(), 8u);
  EXPECT_EQ(settings.fields.answer, "response");
  EXPECT_EQ(settings.fields.generation, "generation");
}

TEST(GenerateSettings, BadOptionsAreNamed) {
  auto options = two_models();
  options.temperatures = "0.3,0.3";
  EXPECT_EQ(settings_error(options), "--temperature: 0.3 is given twice");
  options = two_models();
  options.as = "generation";
  EXPECT_EQ(settings_error(options), "--as and --generation-field must name two different fields");
  options = two_models();
  options.prices = {"c=1/2"};
  EXPECT_EQ(settings_error(options), "--price: no model is named 'c'");
  options = two_models();
  options.emit_batch = "b.jsonl";
  options.distinct = true;
  EXPECT_EQ(settings_error(options), "--distinct asks again for duplicates, which a batch cannot: mark them instead");
  prefline::generate::Options none;
  EXPECT_EQ(settings_error(none), "no model: give --model NAME=URL#MODEL (repeatable) or --models FILE");
}

}  // namespace
