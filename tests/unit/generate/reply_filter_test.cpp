// generate/reply_filter.hpp: each rule and its detail text, the order of the
// rules, inclusive length bounds in code points, bad patterns, and where
// find_json_object looks for an object.
#include "prefline/generate/reply_filter.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "prefline/cli/errors.hpp"

namespace {

using prefline::generate::find_json_object;
using prefline::generate::ReplyFilter;

// "rule: detail", or "pass".
std::string filter_verdict(const ReplyFilter& filter, std::string_view reply) {
  const auto rejection = filter.check(reply);
  return rejection ? rejection->rule + ": " + rejection->detail : "pass";
}

std::string json_found(std::string_view reply) {
  const auto found = find_json_object(reply);
  return found ? std::string(*found) : "none";
}

TEST(GenerateReplyFilter, InactiveFilterPassesEverything) {
  const ReplyFilter filter;
  EXPECT_FALSE(filter.active());
  EXPECT_EQ(filter_verdict(filter, ""), "pass");
  EXPECT_EQ(filter_verdict(filter, "<tool_call>"), "pass");
}

TEST(GenerateReplyFilter, RegexIsSearchedNotFullyMatched) {
  ReplyFilter filter;
  filter.add_reject_regex("^<tool_call>");
  filter.add_reject_regex("I (cannot|can't) help");
  EXPECT_TRUE(filter.active());
  EXPECT_EQ(filter_verdict(filter, "<tool_call>{\"name\":\"x\"}"), "reject-regex: matches '^<tool_call>'");
  EXPECT_EQ(filter_verdict(filter, "text <tool_call>"), "pass");  // ^ anchors at the reply's start only
  EXPECT_EQ(filter_verdict(filter, "first line\n<tool_call>"), "pass");
  EXPECT_EQ(filter_verdict(filter, "Sorry, I can't help with that."), "reject-regex: matches 'I (cannot|can't) help'");
  EXPECT_EQ(filter_verdict(filter, "<tool_call> I cannot help"), "reject-regex: matches '^<tool_call>'");
}

TEST(GenerateReplyFilter, LengthBoundsAreInclusiveAndCountCodePoints) {
  ReplyFilter filter;
  filter.set_min_chars(3);
  filter.set_max_chars(5);
  EXPECT_TRUE(filter.active());
  EXPECT_EQ(filter_verdict(filter, "ab"), "min-chars: 2 characters < --min-chars 3");
  EXPECT_EQ(filter_verdict(filter, "a"), "min-chars: 1 character < --min-chars 3");
  EXPECT_EQ(filter_verdict(filter, "abc"), "pass");
  EXPECT_EQ(filter_verdict(filter, "abcde"), "pass");
  EXPECT_EQ(filter_verdict(filter, "abcdef"), "max-chars: 6 characters > --max-chars 5");
  // "é" is 2 bytes, "€" 3, "😀" 4: five code points in 12 bytes.
  EXPECT_EQ(filter_verdict(filter, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "ab"), "pass");
  EXPECT_EQ(ReplyFilter::code_points("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "ab"), 5u);
  EXPECT_EQ(filter_verdict(filter, "\xC3\xA9\xE2\x82\xAC"), "min-chars: 2 characters < --min-chars 3");
}

TEST(GenerateReplyFilter, MaxCharsZeroAllowsOnlyAnEmptyReply) {
  ReplyFilter filter;
  filter.set_max_chars(0);
  EXPECT_TRUE(filter.active());
  EXPECT_EQ(filter_verdict(filter, ""), "pass");
  EXPECT_EQ(filter_verdict(filter, "x"), "max-chars: 1 character > --max-chars 0");
}

TEST(GenerateReplyFilter, RulesAreCheckedInOrderRegexMinMaxJson) {
  ReplyFilter filter;
  filter.set_require_json(true);
  filter.set_max_chars(4);
  filter.set_min_chars(2);
  filter.add_reject_regex("x");
  EXPECT_EQ(filter_verdict(filter, "x"), "reject-regex: matches 'x'");  // also too short and no JSON
  EXPECT_EQ(filter_verdict(filter, "a"), "min-chars: 1 character < --min-chars 2");
  EXPECT_EQ(filter_verdict(filter, "abcdefg"), "max-chars: 7 characters > --max-chars 4");
  EXPECT_EQ(filter_verdict(filter, "abc"), "require-json: holds no JSON object");
  EXPECT_EQ(filter_verdict(filter, "{}"), "pass");
}

TEST(GenerateReplyFilter, LongLinesDoNotOverflowTheRegexStack) {
  // libstdc++ recurses once per character `.*` takes: 100 000 characters on
  // one line would overflow an 8 MiB stack if searched on it.
  ReplyFilter filter;
  filter.add_reject_regex("^.*MARKER");
  filter.add_reject_regex("^<tool_call>");
  const std::string line(100000, 'a');
  EXPECT_EQ(filter_verdict(filter, line), "pass");
  EXPECT_EQ(filter_verdict(filter, line + "MARKER"), "reject-regex: matches '^.*MARKER'");
  EXPECT_EQ(filter_verdict(filter, "<tool_call>" + line), "reject-regex: matches '^<tool_call>'");
}

TEST(GenerateReplyFilter, BadPatternIsAUsageErrorInOurWords) {
  const auto message = [](const std::string& pattern) -> std::string {
    ReplyFilter filter;
    try {
      filter.add_reject_regex(pattern);
    } catch (const prefline::UsageError& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(message("(abc"), "--reject-regex '(abc': unmatched '(' or ')'");
  // Which kind of error a pattern is differs between standard libraries.
  EXPECT_TRUE(message("[a-").starts_with("--reject-regex '[a-': ")) << message("[a-");
  EXPECT_TRUE(message("*a").starts_with("--reject-regex '*a': ")) << message("*a");
  EXPECT_EQ(message("a{2,1}"), "--reject-regex 'a{2,1}': invalid count in '{...}'");
  EXPECT_EQ(message("^ok$"), "no error");
}

TEST(GenerateFindJsonObject, WholeReplyAfterTrimming) {
  EXPECT_EQ(json_found("  \n{\"a\": [1, {\"b\": 2}]}\n"), "{\"a\": [1, {\"b\": 2}]}");
  EXPECT_EQ(json_found("{}"), "{}");
}

TEST(GenerateFindJsonObject, FencedJsonBlockBeforeLooseBraces) {
  const std::string reply =
      "Use {\"loose\": 1} like this:\n```python\nx = {\"py\": 2}\n```\n```json\n{\"fenced\": true}\n```\ndone";
  EXPECT_EQ(json_found(reply), "{\"fenced\": true}");
  EXPECT_EQ(json_found("Here:\n```\n  {\"plain\": 1}\n```"), "{\"plain\": 1}");
  EXPECT_EQ(json_found("Here:\n~~~~JSON\n{\"t\": \"```\"}\n~~~~\n"), "{\"t\": \"```\"}");
}

TEST(GenerateFindJsonObject, FirstBalancedObjectThatParses) {
  EXPECT_EQ(json_found("The set {a, b} and {\"x\": \"}{\", \"y\": {\"z\": 1}} then {\"w\": 2}"),
            "{\"x\": \"}{\", \"y\": {\"z\": 1}}");
  // A broken outer object: its inner object is the first that parses.
  EXPECT_EQ(json_found("{\"outer\": oops, \"inner\": {\"ok\": 1}}"), "{\"ok\": 1}");
  // A fenced block that is not one object falls through to the loose search.
  EXPECT_EQ(json_found("```json\n[1, 2]\n```\nthen {\"k\": 3}"), "{\"k\": 3}");
  // An unclosed fence is no block; the object in it is still found loose.
  EXPECT_EQ(json_found("```json\n{\"cut off\": 1}"), "{\"cut off\": 1}");
}

TEST(GenerateFindJsonObject, NoneWhenNoObjectParses) {
  EXPECT_EQ(json_found(""), "none");
  EXPECT_EQ(json_found("no braces at all"), "none");
  EXPECT_EQ(json_found("[1, 2, 3]"), "none");
  EXPECT_EQ(json_found("{not json} {\"unclosed\": 1"), "none");
}

}  // namespace
