// generate/prompt_record.hpp: messages (strings, null, text parts), prompt
// strings, templates appended, keys from messages or --key fields, the leak
// reference, and the reasons a record cannot be asked.
#include "prefline/generate/prompt_record.hpp"

#include <gtest/gtest.h>

#include <string>

#include <simdjson.h>

namespace {

using prefline::generate::PromptFields;
using prefline::generate::PromptRecord;

PromptFields default_fields() {
  PromptFields fields;
  fields.answer = "response";
  fields.generation = "generation";
  return fields;
}

// The reason, or "" and `out` filled.
std::string read_record(const std::string& json, PromptRecord& out, const PromptFields& fields = default_fields(),
                        const prefline::generate::Template* tmpl = nullptr) {
  simdjson::dom::parser parser;
  const simdjson::dom::element record = parser.parse(json).value();
  return prefline::generate::read_prompt(record, fields, tmpl, out);
}

TEST(GeneratePromptRecord, ReadsMessagesWithStringNullAndPartsContent) {
  PromptRecord record;
  ASSERT_EQ(read_record(R"({"messages":[{"role":"system","content":"s"},{"role":"assistant","content":null},
                           {"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]}]})",
                        record),
            "");
  ASSERT_EQ(record.messages.size(), 3u);
  EXPECT_EQ(record.messages[0].role, "system");
  EXPECT_EQ(record.messages[1].content, "");
  EXPECT_EQ(record.messages[2].content, "ab");
}

TEST(GeneratePromptRecord, APromptIsOneUserMessageAndATemplateFollowsTheMessages) {
  PromptRecord record;
  ASSERT_EQ(read_record(R"({"prompt":"hi"})", record), "");
  ASSERT_EQ(record.messages.size(), 1u);
  EXPECT_EQ(record.messages[0].role, "user");
  EXPECT_EQ(record.messages[0].content, "hi");
  const auto tmpl = prefline::generate::Template::parse("Ref: {{ref.patch}}", "t.md");
  ASSERT_EQ(read_record(R"({"messages":[{"role":"user","content":"task"}],"ref":{"patch":"p"}})", record,
                        default_fields(), &tmpl),
            "");
  ASSERT_EQ(record.messages.size(), 2u);
  EXPECT_EQ(record.messages[1].content, "Ref: p");
  EXPECT_EQ(read_record(R"({"prompt":"x"})", record, default_fields(), &tmpl),
            "template 't.md' line 1: field 'ref.patch' is missing from the record");
}

TEST(GeneratePromptRecord, KeysFollowTheMessagesOrTheKeyFields) {
  PromptRecord a, b, c;
  ASSERT_EQ(read_record(R"({"id":1,"prompt":"same"})", a), "");
  ASSERT_EQ(read_record(R"({"id":2,"prompt":"same"})", b), "");
  ASSERT_EQ(read_record(R"({"id":1,"prompt":"other"})", c), "");
  EXPECT_EQ(a.key, b.key);  // the text decides
  EXPECT_NE(a.key, c.key);
  PromptFields by_id = default_fields();
  by_id.key = {"id"};
  ASSERT_EQ(read_record(R"({"id":1,"prompt":"same"})", a, by_id), "");
  ASSERT_EQ(read_record(R"({"id":2,"prompt":"same"})", b, by_id), "");
  ASSERT_EQ(read_record(R"({"id":1,"prompt":"other"})", c, by_id), "");
  EXPECT_NE(a.key, b.key);  // the id decides
  EXPECT_EQ(a.key, c.key);
  EXPECT_EQ(read_record(R"({"prompt":"x"})", a, by_id), "the key field 'id' (--key) is missing");
}

TEST(GeneratePromptRecord, LeakReferenceAndTheReasonsARecordIsBad) {
  PromptFields fields = default_fields();
  fields.leak = "commit.patch";
  PromptRecord record;
  ASSERT_EQ(read_record(R"({"prompt":"p","commit":{"patch":"fix it"}})", record, fields), "");
  EXPECT_EQ(record.reference, "fix it");
  EXPECT_EQ(read_record(R"({"prompt":"p"})", record, fields), "the hidden reference 'commit.patch' (--leak-check) is missing");
  EXPECT_EQ(read_record(R"([1])", record), "expected a JSON object, found an array");
  EXPECT_EQ(read_record(R"({"q":"?"})", record),
            "the record has neither 'messages' nor 'prompt' (--messages, --prompt name them; --template builds the "
            "prompt from other fields)");
  EXPECT_EQ(read_record(R"({"prompt":3})", record), "'prompt' is not a string");
  EXPECT_EQ(read_record(R"({"messages":{"role":"user"}})", record),
            "'messages' is not an array of {\"role\", \"content\"} messages");
  EXPECT_EQ(read_record(R"({"messages":[{"content":"x"}]})", record), "'messages' message 1 has no string 'role'");
  EXPECT_EQ(read_record(R"({"prompt":"p","response":"old"})", record),
            "the record has 'response' already: --overwrite replaces it, or --as NAME writes the answer elsewhere");
  fields = default_fields();
  fields.overwrite = true;
  ASSERT_EQ(read_record(R"({"prompt":"p","response":"old","generation":{}})", record, fields), "");
  EXPECT_TRUE(record.has_answer);
  EXPECT_TRUE(record.has_generation);
}

}  // namespace
