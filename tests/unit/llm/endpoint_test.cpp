// llm/endpoint.hpp: endpoint lists and NAME=URL#MODEL specs, with the
// messages duel-judge has always given; keys only from the environment.
#include "prefline/llm/endpoint.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using prefline::llm::Endpoint;

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string usage_error(const std::string& json) {
  try {
    prefline::llm::read_endpoint_file(write_file("endpoints_bad.json", json));
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Endpoint, ChatCompletionsUrlIsAddedOnce) {
  EXPECT_EQ(prefline::llm::chat_completions_url("http://h:8/v1"), "http://h:8/v1/chat/completions");
  EXPECT_EQ(prefline::llm::chat_completions_url("http://h:8/v1//"), "http://h:8/v1/chat/completions");
  EXPECT_EQ(prefline::llm::chat_completions_url("http://h/v1/chat/completions"), "http://h/v1/chat/completions");
}

TEST(Endpoint, ReadsHttpAndCommandEndpoints) {
  ::setenv("PREFLINE_ENDPOINT_TEST_KEY", "sk-1", 1);
  const auto endpoints = prefline::llm::read_endpoint_file(write_file("endpoints.json", R"([
    {"name":"a","url":"http://h/v1","model":"m","api_key_env":"PREFLINE_ENDPOINT_TEST_KEY","max_tokens":64,
     "temperature":0.5,"top_p":0.9,"seed":7,"extra_body":{"stop":["x"]},"timeout":3},
    {"name":"b","command":["judge.sh","--fast"],"command_input":"request"}])"));
  ::unsetenv("PREFLINE_ENDPOINT_TEST_KEY");
  ASSERT_EQ(endpoints.size(), 2u);
  const Endpoint& a = endpoints[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.url, "http://h/v1/chat/completions");
  EXPECT_EQ(a.model, "m");
  EXPECT_EQ(a.api_key, "sk-1");
  EXPECT_EQ(a.max_tokens, 64);
  EXPECT_EQ(a.temperature, 0.5);
  EXPECT_EQ(a.top_p, 0.9);
  EXPECT_EQ(a.seed, 7u);
  EXPECT_EQ(a.extra_body, R"("stop":["x"])");
  EXPECT_EQ(a.timeout_seconds, 3.0);
  EXPECT_FALSE(a.is_command());
  const Endpoint& b = endpoints[1];
  EXPECT_TRUE(b.is_command());
  EXPECT_EQ(b.command, (std::vector<std::string>{"judge.sh", "--fast"}));
  EXPECT_EQ(b.model, "judge.sh");
  EXPECT_EQ(b.command_input, prefline::llm::CommandInput::request);
  EXPECT_EQ(b.max_tokens, 1024);
  EXPECT_EQ(b.temperature, 0);
  EXPECT_EQ(a.command_folder, "");  // only commands run somewhere
}

TEST(Endpoint, CommandRunsInTheFolderOfItsFile) {
  const std::string folder = ::testing::TempDir() + "endpoint_folder";
  std::filesystem::create_directories(folder);
  std::ofstream(folder + "/judges.json") << R"([{"name":"c","command":["python3","judge.py"]}])";
  const auto endpoints = prefline::llm::read_endpoint_file(folder + "/./judges.json");
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].command_folder, std::filesystem::absolute(folder).lexically_normal().string());
  EXPECT_FALSE(endpoints[0].command_folder.ends_with("/"));
  EXPECT_EQ(endpoints[0].command, (std::vector<std::string>{"python3", "judge.py"}));  // paths left as written
}

TEST(Endpoint, MessagesNameTheEntryAndTheProblem) {
  const std::string not_array = usage_error("{}");
  EXPECT_EQ(not_array.rfind("--judges: '", 0), 0u) << not_array;
  EXPECT_TRUE(not_array.ends_with("endpoints_bad.json' is not a JSON array of judges")) << not_array;
  EXPECT_EQ(usage_error("[1]"), "--judges: judge 1 is not an object");
  EXPECT_EQ(usage_error(R"([{"name":""}])"), "--judges: judge 1: 'name' must be a non-empty string");
  EXPECT_EQ(usage_error(R"([{"name":"x"}])"), "--judges: judge 1 'x': needs 'url' (or 'base_url') and 'model', or 'command'");
  EXPECT_EQ(usage_error(R"([{"name":"x","command":[]}])"),
            "--judges: judge 1 'x': 'command' must be a non-empty array of strings");
  EXPECT_EQ(usage_error(R"([{"name":"x","url":"u","model":"m","max_tokens":0}])"),
            "--judges: judge 1 'x': 'max_tokens' must be a positive integer");
  EXPECT_EQ(usage_error(R"([{"name":"x","url":"u","model":"m","temperature":-1}])"),
            "--judges: judge 1 'x': 'temperature' must be a number >= 0");
  ::unsetenv("PREFLINE_ENDPOINT_UNSET");
  EXPECT_EQ(usage_error(R"([{"name":"x","url":"u","model":"m","api_key_env":"PREFLINE_ENDPOINT_UNSET"}])"),
            "judge 'x': the environment variable 'PREFLINE_ENDPOINT_UNSET' (api_key_env) is not set");
  EXPECT_EQ(usage_error(R"([{"name":"x","url":"u","model":"m"},{"name":"y","url":"u","model":"m","top_p":2}])"),
            "--judges: judge 2 'y': 'top_p' must be a number in (0, 1]");
}

TEST(Endpoint, OtherListsNameThemselves) {
  try {
    prefline::llm::read_endpoint_file(write_file("endpoints_other.json", "[3]"), {"--endpoints", "endpoint"});
    FAIL();
  } catch (const prefline::UsageError& error) {
    EXPECT_STREQ(error.what(), "--endpoints: endpoint 1 is not an object");
  }
}

TEST(Endpoint, ParsesNameUrlModelSpecs) {
  const Endpoint endpoint = prefline::llm::parse_endpoint_spec("a=http://h:1/v1?x=1#frag#org/model");
  EXPECT_EQ(endpoint.name, "a");
  EXPECT_EQ(endpoint.url, "http://h:1/v1?x=1#frag/chat/completions");
  EXPECT_EQ(endpoint.model, "org/model");
  for (const char* bad : {"a", "=u#m", "a=#m", "a=u#", "a#m=u"})
    EXPECT_THROW(prefline::llm::parse_endpoint_spec(bad), prefline::UsageError) << bad;
}

TEST(Endpoint, NamesMustBeUnique) {
  std::vector<Endpoint> endpoints(2);
  endpoints[0].name = "same";
  endpoints[1].name = "same";
  try {
    prefline::llm::check_unique_names(endpoints);
    FAIL();
  } catch (const prefline::UsageError& error) {
    EXPECT_STREQ(error.what(), "judge 'same' is given twice");
  }
}

}  // namespace

namespace {

TEST(Endpoint, ReadsBaseUrlAndTheLimitsOfAnEndpoint) {
  const auto endpoints = prefline::llm::read_endpoint_file(write_file("endpoints_limits.json", R"([
    {"name": "a", "base_url": "http://h:1/v1", "model": "m", "concurrency": 4, "rpm": 600, "tpm": 90000},
    {"name": "b", "url": "http://h:2/v1", "model": "n"}])"));
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints[0].url, "http://h:1/v1/chat/completions");
  EXPECT_EQ(endpoints[0].concurrency, 4);
  EXPECT_DOUBLE_EQ(endpoints[0].rpm, 600);
  EXPECT_DOUBLE_EQ(endpoints[0].tpm, 90000);
  EXPECT_EQ(endpoints[1].concurrency, 0);
  EXPECT_DOUBLE_EQ(endpoints[1].rpm, 0);
}

TEST(Endpoint, BadLimitsAreNamed) {
  EXPECT_EQ(usage_error(R"([{"name":"a","url":"http://h/v1","model":"m","rpm":0}])"),
            "--judges: judge 1 'a': 'rpm' must be a number > 0");
  EXPECT_EQ(usage_error(R"([{"name":"a","url":"http://h/v1","model":"m","concurrency":1.5}])"),
            "--judges: judge 1 'a': 'concurrency' must be a whole number from 1 to 4096");
  EXPECT_EQ(usage_error(R"([{"name":"a","model":"m"}])"),
            "--judges: judge 1 'a': needs 'url' (or 'base_url') and 'model', or 'command'");
}

}  // namespace
