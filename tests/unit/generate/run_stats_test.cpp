// generate/run_stats.hpp: calls, cache hits, retries and failures by cause,
// filtered replies by rule, tokens and cost per model, in the --stats JSON.
#include "prefline/generate/run_stats.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include <simdjson.h>

namespace {

TEST(GenerateRunStats, CountsCallsByCauseAndPricesTokens) {
  prefline::generate::RunStats stats(2);
  prefline::llm::ChatResult ok;
  ok.ok = true;
  ok.attempts = 3;
  ok.retry_causes = {"http_429", "network"};
  ok.usage = prefline::llm::Usage{1000, 500};
  stats.count_call(0, ok);
  prefline::llm::ChatResult failed;
  failed.attempts = 2;
  failed.retry_causes = {"http_5xx"};
  failed.failure_cause = "http_5xx";
  stats.count_call(1, failed);
  stats.count_cache_hit(0);
  stats.count_filtered("min-chars");
  stats.count_filtered("min-chars");
  stats.prompts = 2;
  stats.answers = 1;
  stats.failed = 1;
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  const std::map<std::string, prefline::generate::Price> prices{{"a", {2.0, 8.0}}};
  stats.write(json, {"a", "b"}, {"model-a", "model-b"}, prices, 2.5);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(std::string(out.view())).value();
  EXPECT_EQ(root["calls"].get_int64().value(), 2);
  EXPECT_EQ(root["requests"].get_int64().value(), 5);
  EXPECT_EQ(root["cache_hits"].get_int64().value(), 1);
  EXPECT_EQ(root["retries"]["total"].get_int64().value(), 3);
  EXPECT_EQ(root["retries"]["http_429"].get_int64().value(), 1);
  EXPECT_EQ(root["failures"]["http_5xx"].get_int64().value(), 1);
  EXPECT_EQ(root["filtered"]["min-chars"].get_int64().value(), 2);
  EXPECT_EQ(root["models"]["a"]["model"].get_string().value(), "model-a");
  EXPECT_EQ(root["models"]["a"]["prompt_tokens"].get_int64().value(), 1000);
  // (1000 x 2 + 500 x 8) / 1e6 dollars
  EXPECT_DOUBLE_EQ(root["models"]["a"]["cost"].get_double().value(), 0.006);
  EXPECT_TRUE(root["models"]["b"]["cost"].is_null());
  EXPECT_DOUBLE_EQ(root["cost"].get_double().value(), 0.006);
  EXPECT_DOUBLE_EQ(root["requests_per_second"].get_double().value(), 2.0);
}

TEST(GenerateRunStats, CostIsNullWithoutPrices) {
  prefline::generate::RunStats stats(1);
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  stats.write(json, {"a"}, {"m"}, {}, 0);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(std::string(out.view())).value();
  EXPECT_TRUE(root["cost"].is_null());
  EXPECT_EQ(root["retries"]["total"].get_int64().value(), 0);
}

}  // namespace
