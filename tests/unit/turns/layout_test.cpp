#include "prefline/turns/layout.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using prefline::turns::Layout;
using prefline::turns::MessageInfo;
using prefline::turns::Role;

// Maps one message given as JSON; returns the reason, with the written message in `written`.
std::string map_one(const Layout& layout, const std::string& text, std::string& written, MessageInfo& info) {
  static simdjson::dom::parser parser;
  simdjson::dom::element message = parser.parse(text).value();
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  std::string reason = prefline::turns::map_message(layout, "messages", 3, message, json, info);
  written = std::string(out.view());
  return reason;
}

TEST(TurnsLayout, PlainMessageKeepsRoleAndContent) {
  std::string written;
  MessageInfo info;
  EXPECT_EQ(map_one(Layout{}, R"({"role":"user","content":"hi \u00e9","extra":1})", written, info), "");
  EXPECT_EQ(written, R"({"role":"user","content":"hi é"})");
  EXPECT_EQ(info.role, Role::user);
  EXPECT_TRUE(info.has_content);
}

TEST(TurnsLayout, TextFieldAndRenamedRole) {
  Layout layout;
  layout.content = "text";
  layout.renamed_roles = prefline::turns::parse_roles("--roles", "ai=assistant,human=user");
  std::string written;
  MessageInfo info;
  EXPECT_EQ(map_one(layout, R"({"role":"ai","text":"ls"})", written, info), "");
  EXPECT_EQ(written, R"({"role":"assistant","content":"ls"})");
  EXPECT_EQ(info.role, Role::assistant);
}

TEST(TurnsLayout, ToolCallsCopiedWithTheirStringArguments) {
  std::string written;
  MessageInfo info;
  EXPECT_EQ(map_one(Layout{},
                    R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{\"command\": \"ls\"}"}}]})",
                    written, info),
            "");
  EXPECT_EQ(written,
            R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{\"command\": \"ls\"}"}}]})");
  EXPECT_TRUE(info.has_tool_calls);
  EXPECT_EQ(map_one(Layout{}, R"({"role":"tool","tool_call_id":"c1","name":"bash","content":"a\nb"})", written, info), "");
  EXPECT_EQ(written, R"({"role":"tool","content":"a\nb","tool_call_id":"c1","name":"bash"})");
  EXPECT_FALSE(info.has_tool_calls);
}

TEST(TurnsLayout, MissingContentIsNull) {
  std::string written;
  MessageInfo info;
  EXPECT_EQ(map_one(Layout{}, R"({"role":"assistant","tool_calls":[]})", written, info), "");
  EXPECT_EQ(written, R"({"role":"assistant","content":null,"tool_calls":[]})");
  EXPECT_FALSE(info.has_content);
  EXPECT_FALSE(info.has_tool_calls);
}

TEST(TurnsLayout, ReasonsNameTheMessageAndTheFix) {
  std::string written;
  MessageInfo info;
  EXPECT_EQ(map_one(Layout{}, R"({"from":"human","value":"x"})", written, info),
            "messages[3]: no 'role' field (--role role); the message has: from, value");
  EXPECT_EQ(map_one(Layout{}, R"({"role":"ai","content":"x"})", written, info),
            "messages[3]: unknown role 'ai' (known: system, user, assistant, tool); --roles ai=assistant (or user, "
            "system, tool) maps it");
  EXPECT_EQ(map_one(Layout{}, R"({"role":"user","content":5})", written, info),
            "messages[3]: 'content' must be a string, an array of parts or null (--content content)");
  EXPECT_EQ(map_one(Layout{}, R"([1])", written, info), "messages[3]: a message must be a JSON object");
  EXPECT_EQ(map_one(Layout{}, R"({"role":"assistant","tool_calls":"x"})", written, info),
            "messages[3]: 'tool_calls' must be an array");
}

TEST(TurnsLayout, ParseRolesRejectsUnknownTargets) {
  EXPECT_THROW(prefline::turns::parse_roles("--roles", "ai=bot"), prefline::UsageError);
  EXPECT_THROW(prefline::turns::parse_roles("--roles", "ai"), prefline::UsageError);
  EXPECT_THROW(prefline::turns::parse_roles("--roles", "ai=assistant,ai=user"), prefline::UsageError);
  EXPECT_EQ(prefline::turns::parse_roles("--roles", "").size(), 0U);
}

}  // namespace
