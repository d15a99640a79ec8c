#include "prefline/trainer/example_reader.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "prefline/io/jsonl_reader.hpp"

namespace {

using namespace prefline::trainer;

// Reads one record; the example's texts stay valid while the fixture lives.
class ExampleReaderTest : public ::testing::Test {
 protected:
  std::string read(const Layout& layout, const std::string& record, std::optional<std::string> split_field = {}) {
    text_ = record;
    ExampleReader reader(layout, std::move(split_field));
    prefline::JsonlReader lines("t.jsonl", text_);
    prefline::JsonlLine line;
    EXPECT_TRUE(lines.next(line));
    return reader.read(parser_, line, example_);
  }

  Example example_;

 private:
  simdjson::ondemand::parser parser_;
  std::string text_;
};

TEST_F(ExampleReaderTest, ReadsAPairRecordWithAPrompt) {
  const Layout trl{find_format("trl"), false, {}};
  ASSERT_EQ(read(trl, R"({"prompt":"Sum?","chosen":"4","rejected":"5","metadata":{"x":1}})"), "");
  ASSERT_EQ(example_.context.size(), 1u);
  EXPECT_EQ(example_.context[0].role, Role::user);
  EXPECT_EQ(example_.context[0].content, "Sum?");
  EXPECT_FALSE(example_.from_messages);
  EXPECT_EQ(example_.chosen, "4");
  EXPECT_EQ(example_.rejected, "5");
}

TEST_F(ExampleReaderTest, ReadsAConversationAndTheMargin) {
  const Layout chat{find_format("trl-chat"), true, {}};
  ASSERT_EQ(read(chat, R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"Q"}],)"
                       R"("chosen":"A","rejected":"B","metadata":{"score_difference":1.5}})"),
            "");
  ASSERT_EQ(example_.context.size(), 2u);
  EXPECT_EQ(example_.context[0].role, Role::system);
  EXPECT_EQ(example_.context[1].content, "Q");
  EXPECT_TRUE(example_.from_messages);
  EXPECT_EQ(example_.margin, 1.5);
}

TEST_F(ExampleReaderTest, SftFormatsTakeTheResponseOrAPairsChosen) {
  const Layout sft{find_format("openai-sft"), false, {}};
  ASSERT_EQ(read(sft, R"({"prompt":"Q","response":"R"})"), "");
  EXPECT_EQ(example_.chosen, "R");
  ASSERT_EQ(read(sft, R"({"prompt":"Q","chosen":"C","rejected":"D"})"), "");
  EXPECT_EQ(example_.chosen, "C");
  EXPECT_EQ(read(sft, R"({"prompt":"Q","chosen":"C","response":"R"})"),
            "has both 'response' and 'chosen': which one is the response?");
}

TEST_F(ExampleReaderTest, NamesWhatIsWrongWithARecord) {
  const Layout trl{find_format("trl"), false, {}};
  EXPECT_EQ(read(trl, R"({"chosen":"A","rejected":"B"})"), "missing 'prompt' (or 'messages')");
  EXPECT_EQ(read(trl, R"({"prompt":"Q","chosen":" ","rejected":"B"})"), "'chosen' is only white space");
  EXPECT_EQ(read(trl, R"({"prompt":"Q","chosen":3,"rejected":"B"})"), "'chosen' must be a string, not a number");
  EXPECT_EQ(read(trl, R"({"prompt":"Q","chosen":"A"})"), "missing 'rejected'");
  EXPECT_EQ(read(trl, R"({"messages":[{"role":"user","content":"Q"}],"chosen":"A","rejected":"B"})"),
            "format 'trl' needs 'prompt' as a string: it has no form for a 'messages' conversation");
  EXPECT_EQ(read(trl, R"({"prompt":"Q","chosen":"A","rejected":"B","chosen":"C"})"), "duplicate key 'chosen'");
}

TEST_F(ExampleReaderTest, ChecksTheShapeOfAConversation) {
  const Layout sft{find_format("openai-sft"), false, {}};
  EXPECT_EQ(read(sft, R"({"messages":[],"response":"R"})"), "'messages' is empty");
  EXPECT_EQ(read(sft, R"({"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}],"response":"R"})"),
            "'messages' must end with a user message (the one the response answers)");
  EXPECT_EQ(read(sft, R"({"messages":[{"role":"user","content":"Q"},{"role":"system","content":"S"},{"role":"user","content":"Q"}],"response":"R"})"),
            "'messages[1]' is a system message: only the first message may be one");
  EXPECT_EQ(read(sft, R"({"messages":[{"role":"bot","content":"Q"}],"response":"R"})"),
            "'messages[0].role' is 'bot', not system, user or assistant");
  EXPECT_EQ(read(sft, R"({"messages":[{"role":"user","content":"Q","name":"x"}],"response":"R"})"),
            "'messages[0]' has key 'name': only 'role' and 'content' are exported");
}

TEST_F(ExampleReaderTest, MarginAndSystemRules) {
  const Layout margin{find_format("trl"), true, {}};
  EXPECT_EQ(read(margin, R"({"prompt":"Q","chosen":"A","rejected":"B"})"),
            "missing 'metadata' (--margin reads metadata.score_difference)");
  EXPECT_EQ(read(margin, R"({"prompt":"Q","chosen":"A","rejected":"B","metadata":{"score_difference":-1}})"),
            "'metadata.score_difference' is -1: a margin must be 0 or more (the chosen side scores higher)");
  const Layout system{find_format("openai-dpo"), false, std::string("S")};
  EXPECT_EQ(read(system, R"({"messages":[{"role":"system","content":"T"},{"role":"user","content":"Q"}],"chosen":"A","rejected":"B"})"),
            "'messages' already starts with a system message: --system would add a second");
}

TEST_F(ExampleReaderTest, HhRlhfRefusesTextsThatWouldBreakTheTranscript) {
  const Layout hh{find_format("hh-rlhf"), false, {}};
  EXPECT_EQ(read(hh, R"({"prompt":"Q","chosen":"A\n\nHuman: more","rejected":"B"})"),
            "'chosen' holds '\\n\\nHuman:', which would break the hh-rlhf transcript");
  EXPECT_EQ(read(hh, R"({"prompt":"Q","chosen":"A","rejected":"B"})"), "");
}

TEST_F(ExampleReaderTest, ReadsTheSplitOnlyWhenAskedTo) {
  const Layout trl{find_format("trl"), false, {}};
  ASSERT_EQ(read(trl, R"({"prompt":"Q","chosen":"A","rejected":"B","split":"test"})", "split"), "");
  EXPECT_EQ(example_.split, "test");
  ASSERT_EQ(read(trl, R"({"prompt":"Q","chosen":"A","rejected":"B","split":null})", "split"), "");
  EXPECT_EQ(example_.split, "");
  EXPECT_EQ(read(trl, R"({"prompt":"Q","chosen":"A","rejected":"B","split":"a b"})", "split"),
            "split 'a b' is not a split name (letters, digits and '_' in parts joined by '.', at most 100 characters)");
  ASSERT_EQ(read(trl, R"({"prompt":"Q","chosen":"A","rejected":"B","split":"a b"})"), "");
  EXPECT_EQ(example_.split, "");
}

}  // namespace
