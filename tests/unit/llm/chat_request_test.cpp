// llm/chat_request.hpp: the body bytes, duel-judge's (model, one user
// message, max_tokens, temperature) unchanged, the optional parameters
// after them only when set.
#include "prefline/llm/chat_request.hpp"

#include <gtest/gtest.h>

namespace {

TEST(ChatRequest, DuelJudgesBodyIsUnchanged) {
  prefline::llm::Endpoint endpoint;
  endpoint.model = "m";
  endpoint.max_tokens = 512;
  endpoint.temperature = 0.25;
  const auto request = prefline::llm::request_for(endpoint, "line 1\nline \"2\"");
  EXPECT_EQ(prefline::llm::request_body("m", request),
            R"({"model":"m","messages":[{"role":"user","content":"line 1\nline \"2\""}],"max_tokens":512,"temperature":0.25})");
  EXPECT_EQ(request.prompt(), "line 1\nline \"2\"");
}

TEST(ChatRequest, EndpointDefaultsAndOptionalParameters) {
  prefline::llm::Endpoint endpoint;
  endpoint.top_p = 0.5;
  endpoint.seed = 18446744073709551615ULL;
  endpoint.extra_body = R"("n":1)";
  const auto request = prefline::llm::request_for(endpoint, "p", "sys");
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, "system");
  EXPECT_EQ(prefline::llm::request_body("x", request),
            R"({"model":"x","messages":[{"role":"system","content":"sys"},{"role":"user","content":"p"}],)"
            R"("max_tokens":1024,"temperature":0,"top_p":0.5,"seed":18446744073709551615,"n":1})");
}

}  // namespace
