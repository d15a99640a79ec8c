// llm/chat_client.hpp against an in-process loopback server: the reply and
// its metadata, retries on 500 and 429, Retry-After, timeouts, a refused
// connection, a malformed response, the bearer header, and local commands.
#include "prefline/llm/chat_client.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "loopback_server.hpp"

namespace {

using llm_test::completion;
using llm_test::LoopbackServer;
using llm_test::Scripted;
using prefline::llm::ChatClient;
using prefline::llm::ChatResult;
using prefline::llm::Endpoint;
using prefline::llm::RetryPolicy;

Endpoint http_endpoint(const LoopbackServer& server) {
  Endpoint endpoint;
  endpoint.name = "judge-a";
  endpoint.url = prefline::llm::chat_completions_url(server.base_url());
  endpoint.model = "model-a";
  return endpoint;
}

// Retries without waiting unless a test asks for it.
RetryPolicy quick_policy(int max_retries = 3) {
  RetryPolicy policy;
  policy.max_retries = max_retries;
  policy.base_seconds = 0;
  policy.timeout_seconds = 5;
  return policy;
}

ChatResult ask(const Endpoint& endpoint, const RetryPolicy& policy, const std::string& prompt = "hello") {
  ChatClient client;
  return client.complete(endpoint, prefline::llm::request_for(endpoint, prompt), policy, 1);
}

TEST(ChatClient, ReturnsTextFinishReasonAndUsage) {
  LoopbackServer server([](int) { return Scripted{200, completion("the verdict", "length", 12, 34)}; });
  const ChatResult result = ask(http_endpoint(server), quick_policy(), "judge \"this\"");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "the verdict");
  EXPECT_EQ(result.finish_reason, "length");
  ASSERT_TRUE(result.usage.has_value());
  EXPECT_EQ(result.usage->prompt_tokens, 12);
  EXPECT_EQ(result.usage->completion_tokens, 34);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(result.http_status, 200);
  EXPECT_GT(result.latency_ms, 0);
  EXPECT_FALSE(result.cached);
  // The bytes on the wire: duel-judge's request body, unchanged.
  EXPECT_EQ(server.body(0),
            R"({"model":"model-a","messages":[{"role":"user","content":"judge \"this\""}],"max_tokens":1024,"temperature":0})");
  EXPECT_EQ(server.authorization(0), "");
}

TEST(ChatClient, RetriesAfter500) {
  LoopbackServer server([](int n) { return n < 2 ? Scripted{500, "oops"} : Scripted{200, completion("ok")}; });
  const ChatResult result = ask(http_endpoint(server), quick_policy());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "ok");
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(server.requests(), 3);
}

TEST(ChatClient, RetriesAfter429AndGivesUpAfterMaxRetries) {
  LoopbackServer server([](int) { return Scripted{429, "slow down"}; });
  const ChatResult result = ask(http_endpoint(server), quick_policy(2));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "HTTP 429");
  EXPECT_EQ(result.http_status, 429);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(server.requests(), 3);
}

TEST(ChatClient, OtherStatusesFailAtOnce) {
  LoopbackServer server([](int) { return Scripted{400, "bad request"}; });
  const ChatResult result = ask(http_endpoint(server), quick_policy());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "HTTP 400");
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(server.requests(), 1);
}

TEST(ChatClient, HonoursRetryAfter) {
  LoopbackServer server([](int n) {
    return n == 0 ? Scripted{429, "later", {{"Retry-After", "1"}}} : Scripted{200, completion("ok")};
  });
  const auto start = std::chrono::steady_clock::now();
  const ChatResult result = ask(http_endpoint(server), quick_policy());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_GE(seconds, 1.0);  // the policy alone would not have waited (base 0)
  EXPECT_LT(seconds, 4.0);
}

TEST(ChatClient, TimesOutAndRetries) {
  LoopbackServer server([](int n) {
    return n == 0 ? Scripted{200, completion("late"), {}, std::chrono::milliseconds(1500)} : Scripted{200, completion("ok")};
  });
  Endpoint endpoint = http_endpoint(server);
  endpoint.timeout_seconds = 0.3;  // the endpoint's own timeout wins over the policy's
  const auto start = std::chrono::steady_clock::now();
  const ChatResult result = ask(endpoint, quick_policy());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "ok");
  EXPECT_EQ(result.attempts, 2);
  EXPECT_LT(seconds, 1.4);
}

TEST(ChatClient, TimeoutWithoutRetriesIsANetworkError) {
  LoopbackServer server([](int) { return Scripted{200, completion("late"), {}, std::chrono::milliseconds(1000)}; });
  RetryPolicy policy = quick_policy(0);
  policy.timeout_seconds = 0.2;
  const ChatResult result = ask(http_endpoint(server), policy);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error.rfind("network error: ", 0), 0u) << result.error;
  EXPECT_EQ(result.attempts, 1);
}

// A port nothing listens on: bound, never listened to, then closed.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(ChatClient, ConnectionRefusedIsRetriedThenReported) {
  Endpoint endpoint;
  endpoint.name = "nobody";
  endpoint.model = "m";
  endpoint.url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/v1/chat/completions";
  const ChatResult result = ask(endpoint, quick_policy(2));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "network error: Couldn't connect to server");
  EXPECT_EQ(result.attempts, 3);
}

TEST(ChatClient, MalformedResponseIsRetriedThenReported) {
  LoopbackServer server([](int) { return Scripted{200, R"({"choices":[{"message":{"content":42}}]})"}; });
  const ChatResult result = ask(http_endpoint(server), quick_policy(2));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "the response has no choices[0].message.content");
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(result.failure_cause, prefline::llm::cause::bad_response);
  ASSERT_EQ(result.retry_causes.size(), 2u);
  EXPECT_EQ(result.retry_causes[0], prefline::llm::cause::bad_response);
}

TEST(ChatClient, GarbageThenAValidCompletionSucceeds) {
  // A proxy's HTML page, a truncated body, a body without choices: each is
  // asked again, and the reply that finally comes is the result.
  LoopbackServer server([](int n) {
    if (n == 0) return Scripted{200, "<html><body>Bad Gateway</body></html>"};
    if (n == 1) return Scripted{200, R"({"choices":[{"message":{"content":"cut)"};
    if (n == 2) return Scripted{200, R"({"object":"chat.completion"})"};
    return Scripted{200, completion("finally")};
  });
  const ChatResult result = ask(http_endpoint(server), quick_policy(3));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "finally");
  EXPECT_EQ(result.attempts, 4);
  EXPECT_EQ(result.retry_causes, (std::vector<std::string_view>{"bad_response", "bad_response", "bad_response"}));
  EXPECT_TRUE(result.failure_cause.empty());
}

TEST(ChatClient, RetryCausesNameStatusesAndTheBeforeAttemptHookRunsEachTime) {
  LoopbackServer server([](int n) {
    return n == 0 ? Scripted{429, "later"} : n == 1 ? Scripted{503, "busy"} : Scripted{200, completion("ok")};
  });
  const Endpoint endpoint = http_endpoint(server);
  ChatClient client;
  int hooks = 0;
  const ChatResult result =
      client.complete(endpoint, prefline::llm::request_for(endpoint, "x"), quick_policy(), 1, [&] { ++hooks; });
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(hooks, 3);
  EXPECT_EQ(result.retry_causes, (std::vector<std::string_view>{"http_429", "http_5xx"}));
}

TEST(ChatClient, SendsTheKeyFromTheEnvironmentAsABearerHeader) {
  LoopbackServer server([](int) { return Scripted{200, completion("ok")}; });
  ::setenv("PREFLINE_TEST_KEY", "sk-test-123", 1);
  Endpoint endpoint = http_endpoint(server);
  endpoint.api_key = prefline::llm::api_key_from_environment(endpoint.name, "PREFLINE_TEST_KEY");
  const ChatResult result = ask(endpoint, quick_policy());
  ::unsetenv("PREFLINE_TEST_KEY");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(server.authorization(0), "Bearer sk-test-123");
  EXPECT_EQ(server.body(0).find("sk-test-123"), std::string::npos);  // never in the body
}

TEST(ChatClient, SendsTheGeneralRequestParameters) {
  LoopbackServer server([](int) { return Scripted{200, completion("ok")}; });
  Endpoint endpoint = http_endpoint(server);
  prefline::llm::ChatRequest request = prefline::llm::request_for(endpoint, "the prompt", "be brief");
  request.max_tokens = 64;
  request.temperature = 0.7;
  request.top_p = 0.9;
  request.seed = 42;
  request.extra_body = R"("stop":["\n"])";
  ChatClient client;
  ASSERT_TRUE(client.complete(endpoint, request, quick_policy(), 1).ok);
  EXPECT_EQ(server.body(0),
            R"({"model":"model-a","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"the prompt"}],)"
            R"("max_tokens":64,"temperature":0.7,"top_p":0.9,"seed":42,"stop":["\n"]})");
}

TEST(ChatClient, CommandEndpointReadsThePromptAndRepliesOnStdout) {
  Endpoint endpoint;
  endpoint.name = "local";
  endpoint.command = {"sh", "-c", "printf 'got: '; cat"};
  endpoint.model = "sh";
  const ChatResult result = ask(endpoint, quick_policy(), "a prompt");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "got: a prompt");
  EXPECT_EQ(result.attempts, 1);
}

TEST(ChatClient, CommandRunsInItsFolder) {
  Endpoint endpoint;
  endpoint.name = "local";
  endpoint.command = {"sh", "-c", "cat > /dev/null; pwd -P"};
  endpoint.model = "sh";
  endpoint.command_folder = "/";
  const ChatResult result = ask(endpoint, quick_policy(), "a prompt");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "/\n");
}

TEST(ChatClient, CommandEndpointWithRequestInputGetsTheBodyAndAnswersJson) {
  Endpoint endpoint;
  endpoint.name = "local";
  endpoint.model = "echo-model";
  endpoint.command_input = prefline::llm::CommandInput::request;
  // Replies with the request's model name as the content: it saw the JSON body.
  endpoint.command = {"sh", "-c",
                      R"cmd(sed -n 's/.*"model":"\([^"]*\)".*/{"choices":[{"message":{"content":"\1"},"finish_reason":"stop"}]}/p')cmd"};
  const ChatResult result = ask(endpoint, quick_policy());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.text, "echo-model");
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_FALSE(result.usage.has_value());
}

TEST(ChatClient, FailingCommandIsRetriedThenReported) {
  Endpoint endpoint;
  endpoint.name = "local";
  endpoint.command = {"sh", "-c", "cat > /dev/null; exit 3"};
  const ChatResult result = ask(endpoint, quick_policy(1));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "the judge command failed (status 3)");
  EXPECT_EQ(result.attempts, 2);
}

TEST(ChatClient, CommandTimeoutKillsIt) {
  Endpoint endpoint;
  endpoint.name = "local";
  endpoint.command = {"sleep", "5"};
  endpoint.timeout_seconds = 0.2;
  ChatClient client("the generator command");
  const auto start = std::chrono::steady_clock::now();
  const ChatResult result = client.complete(endpoint, prefline::llm::request_for(endpoint, "x"), quick_policy(0), 1);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "the generator command timed out");
}

TEST(ChatClient, CallCountsAttemptsRetriesAndFailures) {
  prefline::llm::CallCounts counts;
  ChatResult result;
  result.ok = true;
  result.attempts = 3;
  counts.count(result);
  result.ok = false;
  result.attempts = 1;
  counts.count(result);
  EXPECT_EQ(counts.attempts.load(), 4u);
  EXPECT_EQ(counts.retries.load(), 2u);
  EXPECT_EQ(counts.failures.load(), 1u);
}

}  // namespace
