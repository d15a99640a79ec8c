// llm/reply_cache.hpp: a second identical call is answered from the cache
// (the server never sees it), failures are never stored, keys are those of
// duel-judge's existing caches, and the API key is written nowhere.
#include "prefline/llm/reply_cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include <dirent.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loopback_server.hpp"
#include "prefline/random/hashing.hpp"

namespace {

using llm_test::completion;
using llm_test::LoopbackServer;
using llm_test::Scripted;
using prefline::llm::ChatClient;
using prefline::llm::ChatResult;
using prefline::llm::Endpoint;
using prefline::llm::ReplyCache;

std::string temp_folder() {
  std::string pattern = ::testing::TempDir() + "reply_cache_XXXXXX";
  return ::mkdtemp(pattern.data());
}

std::vector<std::string> files_in(const std::string& folder) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(folder.c_str());
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.' || std::string(entry->d_name).ends_with(".tmp")) names.push_back(entry->d_name);
  ::closedir(dir);
  return names;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What a tool does: the cache first, else the client, and store the reply.
ChatResult cached_call(const ReplyCache& cache, const Endpoint& endpoint, const std::string& prompt) {
  const auto request = prefline::llm::request_for(endpoint, prompt);
  const std::string key = ReplyCache::key(endpoint, request, 0);
  if (auto hit = cache.find(key)) return *hit;
  prefline::llm::RetryPolicy policy;
  policy.max_retries = 0;
  ChatClient client;
  ChatResult result = client.complete(endpoint, request, policy, 0);
  cache.store(key, result);
  return result;
}

Endpoint endpoint_for(const LoopbackServer& server) {
  Endpoint endpoint;
  endpoint.name = "judge-a";
  endpoint.model = "model-a";
  endpoint.url = prefline::llm::chat_completions_url(server.base_url());
  return endpoint;
}

TEST(ReplyCache, SecondCallIsNotSentToTheServer) {
  LoopbackServer server([](int) { return Scripted{200, completion("cached verdict")}; });
  const ReplyCache cache(temp_folder());
  const Endpoint endpoint = endpoint_for(server);
  const ChatResult first = cached_call(cache, endpoint, "prompt");
  const ChatResult second = cached_call(cache, endpoint, "prompt");
  EXPECT_EQ(server.requests(), 1);
  ASSERT_TRUE(second.ok);
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(second.text, "cached verdict");
  EXPECT_EQ(second.attempts, 0);
  cached_call(cache, endpoint, "another prompt");
  EXPECT_EQ(server.requests(), 2);
}

TEST(ReplyCache, NeverCachesFailures) {
  LoopbackServer server([](int n) { return n == 0 ? Scripted{503, "down"} : Scripted{200, completion("ok")}; });
  const std::string folder = temp_folder();
  const ReplyCache cache(folder);
  const Endpoint endpoint = endpoint_for(server);
  EXPECT_FALSE(cached_call(cache, endpoint, "prompt").ok);
  EXPECT_TRUE(files_in(folder).empty());
  EXPECT_TRUE(cached_call(cache, endpoint, "prompt").ok);  // asked again, not a cached failure
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(files_in(folder).size(), 1u);
  ChatResult failed;
  failed.error = "HTTP 500";
  failed.text = "partial";
  EXPECT_FALSE(cache.store("0123", failed));
  EXPECT_EQ(files_in(folder).size(), 1u);
}

TEST(ReplyCache, TextFilesHoldTheReplyAloneUnderDuelJudgesKey) {
  const std::string folder = temp_folder();
  const ReplyCache cache(folder);
  Endpoint endpoint;
  endpoint.name = "j";
  endpoint.model = "m";
  endpoint.url = "http://h/v1/chat/completions";
  const auto request = prefline::llm::request_for(endpoint, "P");
  // The key duel-judge has always used: name, model, URL, then
  // max_tokens, temperature and the attempt, then the prompt.
  const std::string material = std::string("j") + '\0' + "m" + '\0' + "http://h/v1/chat/completions" + '\0' + "1024\n0\n2\nP";
  const std::string expected = fmt::format("{:016x}{:016x}", prefline::stable_hash(material, 1),
                                           prefline::stable_hash(material, 2));
  EXPECT_EQ(ReplyCache::key(endpoint, request, 2), expected);
  ChatResult reply;
  reply.ok = true;
  reply.text = "{\"correctness\":1}";
  reply.finish_reason = "stop";
  ASSERT_TRUE(cache.store(expected, reply));
  EXPECT_EQ(read_all(folder + "/" + expected + ".txt"), reply.text);
}

TEST(ReplyCache, KeysChangeWithWhatChangesTheReply) {
  Endpoint endpoint;
  endpoint.name = "j";
  endpoint.model = "m";
  auto request = prefline::llm::request_for(endpoint, "P");
  const std::string base = ReplyCache::key(endpoint, request, 0);
  EXPECT_NE(ReplyCache::key(endpoint, request, 1), base);
  auto with_top_p = request;
  with_top_p.top_p = 0.5;
  EXPECT_NE(ReplyCache::key(endpoint, with_top_p, 0), base);
  auto with_system = prefline::llm::request_for(endpoint, "P", "S");
  EXPECT_NE(ReplyCache::key(endpoint, with_system, 0), base);
  auto with_seed = request;
  with_seed.seed = 1;
  EXPECT_NE(ReplyCache::key(endpoint, with_seed, 0), base);
  Endpoint keyed = endpoint;
  keyed.api_key = "sk-secret";
  EXPECT_EQ(ReplyCache::key(keyed, request, 0), base);  // the key is no part of it
}

TEST(ReplyCache, ReplyJsonKeepsFinishReasonAndUsage) {
  const std::string folder = temp_folder();
  const ReplyCache cache(folder, ReplyCache::Format::reply_json);
  ChatResult reply;
  reply.ok = true;
  reply.text = "line 1\nline \"2\"";
  reply.finish_reason = "length";
  reply.usage = prefline::llm::Usage{5, 9};
  ASSERT_TRUE(cache.store("abc", reply));
  const auto found = cache.find("abc");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->cached);
  EXPECT_EQ(found->text, reply.text);
  EXPECT_EQ(found->finish_reason, "length");
  ASSERT_TRUE(found->usage.has_value());
  EXPECT_EQ(found->usage->prompt_tokens, 5);
  EXPECT_EQ(found->usage->completion_tokens, 9);
  EXPECT_FALSE(cache.find("abd").has_value());
}

TEST(ReplyCache, TheApiKeyIsNeverWrittenToTheCache) {
  LoopbackServer server([](int) { return Scripted{200, completion("fine")}; });
  ::setenv("PREFLINE_CACHE_TEST_KEY", "sk-never-written", 1);
  Endpoint endpoint = endpoint_for(server);
  endpoint.api_key = prefline::llm::api_key_from_environment(endpoint.name, "PREFLINE_CACHE_TEST_KEY");
  ::unsetenv("PREFLINE_CACHE_TEST_KEY");
  for (auto format : {ReplyCache::Format::text, ReplyCache::Format::reply_json}) {
    const std::string folder = temp_folder();
    const ReplyCache cache(folder, format);
    ASSERT_TRUE(cached_call(cache, endpoint, "prompt").ok);
    const auto names = files_in(folder);
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].find("sk-never"), std::string::npos);
    EXPECT_EQ(read_all(folder + "/" + names[0]).find("sk-never-written"), std::string::npos);
  }
  EXPECT_EQ(server.authorization(0), "Bearer sk-never-written");
}

TEST(ReplyCache, NoFolderMeansNoCache) {
  const ReplyCache cache("");
  EXPECT_FALSE(cache.enabled());
  EXPECT_FALSE(cache.find("abc").has_value());
  ChatResult reply;
  reply.ok = true;
  EXPECT_FALSE(cache.store("abc", reply));
}

}  // namespace

namespace {

TEST(ReplyCache, KeyForBodyDependsOnTheBodyAndVariantOnly) {
  const std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":8,"temperature":0.7,"seed":5})";
  const std::string key = prefline::llm::ReplyCache::key_for_body(body, 0);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key, prefline::llm::ReplyCache::key_for_body(body, 0));
  EXPECT_NE(key, prefline::llm::ReplyCache::key_for_body(body, 1));
  EXPECT_NE(key, prefline::llm::ReplyCache::key_for_body(body + " ", 0));
}

TEST(ReplyCache, ReplyJsonKeepsLatencyAndAttemptsOfTheOriginalCall) {
  const std::string folder = ::testing::TempDir() + "reply_cache_latency";
  std::filesystem::remove_all(folder);
  const prefline::llm::ReplyCache cache(folder, prefline::llm::ReplyCache::Format::reply_json);
  prefline::llm::ChatResult reply;
  reply.ok = true;
  reply.text = "answer";
  reply.latency_ms = 123.5;
  reply.attempts = 3;
  ASSERT_TRUE(cache.store("k1", reply));
  const auto found = cache.find("k1");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->cached);
  EXPECT_EQ(found->text, "answer");
  EXPECT_DOUBLE_EQ(found->latency_ms, 123.5);
  EXPECT_EQ(found->attempts, 3);
  std::filesystem::remove_all(folder);
}

}  // namespace
