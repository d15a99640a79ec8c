// generate/batch.hpp: batch input lines, and batch output files as OpenAI
// and vLLM write them (errors as objects or strings, non-200 statuses,
// missing ids), with the line named for a malformed one.
#include "prefline/generate/batch.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "prefline/cli/errors.hpp"

namespace {

std::string batch_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(GenerateBatch, WritesTheRequestLineWithTheBodyUntouched) {
  prefline::Buffer out;
  prefline::generate::append_batch_request(out, "p1/m/-/t1/s0", R"({"model":"m","messages":[]})");
  EXPECT_EQ(out.view(),
            "{\"custom_id\":\"p1/m/-/t1/s0\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            "\"body\":{\"model\":\"m\",\"messages\":[]}}\n");
}

TEST(GenerateBatch, ReadsAnswersErrorsAndStatusesByCustomId) {
  prefline::generate::BatchAnswers answers;
  answers.load(batch_file("batch_out.jsonl",
                          R"({"id":"b1","custom_id":"ok","response":{"status_code":200,"body":{"choices":[{"message":{"content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}},"error":null}
{"id":"b2","custom_id":"object-error","response":null,"error":{"code":"server_error","message":"boom"}}
{"id":"b3","custom_id":"string-error","response":{"status_code":400,"request_id":"r","body":null},"error":"bad request"}
{"id":"b4","custom_id":"status","response":{"status_code":429,"body":{"error":{"message":"slow"}}},"error":null}
{"id":"b5","custom_id":"garbage","response":{"status_code":200,"body":{"object":"chat.completion"}},"error":null}
)"));
  EXPECT_EQ(answers.size(), 5u);
  const auto ok = answers.result("ok");
  ASSERT_TRUE(ok.ok);
  EXPECT_EQ(ok.text, "hello");
  EXPECT_EQ(ok.finish_reason, "stop");
  ASSERT_TRUE(ok.usage.has_value());
  EXPECT_EQ(ok.usage->prompt_tokens, 3);
  EXPECT_EQ(ok.attempts, 0);
  EXPECT_EQ(answers.result("object-error").error, "batch error: server_error: boom");
  EXPECT_EQ(answers.result("string-error").error, "batch error: bad request");
  EXPECT_EQ(answers.result("status").error, "HTTP 429 in the batch output");
  EXPECT_EQ(answers.result("garbage").error, "the response has no choices[0].message.content");
  const auto missing = answers.result("nope");
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.error, "'nope' is not in the batch output");
}

TEST(GenerateBatch, AMalformedLineIsNamedWithItsLine) {
  prefline::generate::BatchAnswers answers;
  const std::string path = batch_file("batch_bad.jsonl", "{\"custom_id\":\"a\",\"error\":{\"code\":\"x\"}}\n{\"id\":1}\n");
  try {
    answers.load(path);
    FAIL() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_EQ(std::string(error.what()), path + ":2: no string 'custom_id' (a batch output line is {\"custom_id\", "
                                                "\"response\": {\"status_code\", \"body\"}, \"error\"})");
  }
  prefline::generate::BatchAnswers twice;
  try {
    twice.load(batch_file("batch_twice.jsonl", "{\"custom_id\":\"a\",\"error\":\"x\"}\n{\"custom_id\":\"a\",\"error\":\"y\"}\n"));
    FAIL() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_NE(std::string(error.what()).find(":2: custom_id 'a' is given twice"), std::string::npos) << error.what();
  }
}

}  // namespace
