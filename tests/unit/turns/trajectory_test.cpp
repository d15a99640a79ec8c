// turns/trajectory.hpp: a trajectory's messages mapped once; histories are
// prefixes and references slices of one buffer.
#include "prefline/turns/trajectory.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace {

const char* const agent_run =
    R"([{"role":"system","content":"sys"},{"role":"user","content":"fix"},)"
    R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"ls","arguments":"{}"}}]},)"
    R"({"role":"tool","content":"a.py","tool_call_id":"c1"},{"role":"assistant","content":"done é"}])";

TEST(TurnsTrajectory, HistoriesArePrefixesAndReferencesSlices) {
  simdjson::dom::parser parser;
  const simdjson::dom::array messages = parser.parse(std::string(agent_run)).get_array().value();
  prefline::turns::Trajectory trajectory;
  int seen = 0;
  EXPECT_EQ(trajectory.map(prefline::turns::Layout{}, "messages", messages,
                           [&](simdjson::dom::element, const prefline::turns::MessageInfo&) { ++seen; }),
            "");
  EXPECT_EQ(seen, 5);
  ASSERT_EQ(trajectory.size(), 5u);
  EXPECT_EQ(trajectory.assistant_turns(), 2);
  EXPECT_TRUE(trajectory.info(2).has_tool_calls);
  EXPECT_EQ(trajectory.message(4), R"({"role":"assistant","content":"done é"})");
  EXPECT_EQ(trajectory.prefix(0), "");
  EXPECT_EQ(trajectory.prefix(2), R"({"role":"system","content":"sys"},{"role":"user","content":"fix"})");
  EXPECT_EQ(trajectory.message(3), R"({"role":"tool","content":"a.py","tool_call_id":"c1"})");
  const auto& sizes = trajectory.sizes(4);
  ASSERT_EQ(sizes.size(), 4u);
  EXPECT_EQ(sizes[0].size, std::string(R"({"role":"system","content":"sys"})").size());
  EXPECT_TRUE(sizes[2].has_tool_calls);
  EXPECT_EQ(trajectory.sizes(5)[4].size, std::string(R"({"role":"assistant","content":"done e"})").size());
}

TEST(TurnsTrajectory, MappingStopsAtTheFirstBadMessage) {
  simdjson::dom::parser parser;
  const simdjson::dom::array messages =
      parser.parse(std::string(R"([{"role":"user","content":"a"},{"role":"bot","content":"b"}])")).get_array().value();
  prefline::turns::Trajectory trajectory;
  EXPECT_EQ(trajectory.map(prefline::turns::Layout{}, "messages", messages,
                           [](simdjson::dom::element, const prefline::turns::MessageInfo&) {}),
            "messages[1]: unknown role 'bot' (known: system, user, assistant, tool); --roles bot=assistant (or user, "
            "system, tool) maps it");
}

TEST(TurnsTrajectory, SkipIfSearchesContentPartsAndToolCalls) {
  simdjson::dom::parser parser;
  const std::regex opening("<function=[^>]*$");
  const auto matches = [&](const std::string& message) {
    return prefline::turns::reference_matches(opening, parser.parse(message).value(), prefline::turns::Layout{});
  };
  EXPECT_TRUE(matches(R"({"role":"assistant","content":"call <function=ls"})"));
  EXPECT_FALSE(matches(R"({"role":"assistant","content":"call <function=ls>"})"));
  EXPECT_TRUE(matches(R"({"role":"assistant","content":[{"type":"text","text":"<function=x"}]})"));
  EXPECT_TRUE(matches(
      R"({"role":"assistant","content":null,"tool_calls":[{"function":{"name":"f","arguments":"<function=y"}}]})"));
  EXPECT_FALSE(matches(R"({"role":"assistant","content":null})"));
}

}  // namespace
