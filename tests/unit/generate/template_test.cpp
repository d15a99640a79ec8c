// generate/template.hpp: placeholders, dotted paths, value insertion, the
// \{{ escape, and the messages for malformed templates and missing fields.
#include "prefline/generate/template.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <simdjson.h>

#include "prefline/cli/errors.hpp"

namespace {

using prefline::generate::Template;

// Renders `text` over the record `json`; returns the output or "ERROR: " + message.
std::string render_template(const std::string& text, const std::string& json) {
  simdjson::dom::parser parser;
  const simdjson::dom::element record = parser.parse(json).value();
  const Template tmpl = Template::parse(text, "challenger.md");
  std::string out = "stale";
  std::string error;
  if (!tmpl.render(record, out, error)) return "ERROR: " + error;
  EXPECT_TRUE(error.empty());
  return out;
}

std::string template_parse_error(const std::string& text) {
  try {
    Template::parse(text, "t.md");
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(GenerateTemplate, FillsTopLevelAndDottedFieldsWithOrWithoutSpaces) {
  EXPECT_EQ(render_template("Fix {{repo}}:\n{{ commit.patch }} by {{\tcommit.author.name\t}}.",
                            R"({"repo":"acme/app","commit":{"patch":"--- a\n+++ b","author":{"name":"Ann"}}})"),
            "Fix acme/app:\n--- a\n+++ b by Ann.");
}

TEST(GenerateTemplate, InsertsStringsRawAndOtherValuesAsCompactJson) {
  EXPECT_EQ(render_template("{{s}}|{{i}}|{{d}}|{{w}}|{{b}}|{{o}}|{{a}}",
                            R"({"s":"say \"hi\"\tnow \u00e9","i":-42,"d":2.5,"w":5.0,"b":true,)"
                            R"("o":{ "k" : [1, "x"] },"a":[ ]})"),
            "say \"hi\"\tnow \xC3\xA9|-42|2.5|5|true|{\"k\":[1,\"x\"]}|[]");
}

TEST(GenerateTemplate, BackslashBeforeBracesIsALiteralPair) {
  EXPECT_EQ(render_template(R"(Vue: \{{ name }} is {{name}}; a \ stays, }} too)", R"({"name":"Bo"})"),
            R"(Vue: {{ name }} is Bo; a \ stays, }} too)");
  EXPECT_EQ(render_template("{{a}}{{a}}", R"({"a":"{{a}}"})"), "{{a}}{{a}}");  // inserted text is not re-read
}

TEST(GenerateTemplate, ListsFieldsInFirstUseOrderOnce) {
  const Template tmpl = Template::parse("{{b}} {{a.x}} {{ b }} {{c}} {{a.x}}", "--template");
  EXPECT_EQ(tmpl.fields(), (std::vector<std::string>{"b", "a.x", "c"}));
  EXPECT_EQ(tmpl.source(), "--template");
  EXPECT_TRUE(Template::parse("plain text, no fields", "t").fields().empty());
}

TEST(GenerateTemplate, AMissingOrNullFieldNamesTemplateLineAndPath) {
  const std::string text = "Task:\n{{task}}\nHidden: {{commit.patch}}\n";
  EXPECT_EQ(render_template(text, R"({"task":"t","commit":{}})"),
            "ERROR: template 'challenger.md' line 3: field 'commit.patch' is missing from the record");
  EXPECT_EQ(render_template(text, R"({"task":"t","commit":{"patch":null}})"),
            "ERROR: template 'challenger.md' line 3: field 'commit.patch' is missing from the record");
  EXPECT_EQ(render_template(text, R"({"commit":{"patch":"p"}})"),
            "ERROR: template 'challenger.md' line 2: field 'task' is missing from the record");
  EXPECT_EQ(render_template(text, R"({"task":"t","commit":"abc"})"),
            "ERROR: template 'challenger.md' line 3: field 'commit.patch' is missing from the record "
            "('commit' is a string, not an object)");
  EXPECT_EQ(render_template("{{x}}", "[1]"),
            "ERROR: template 'challenger.md' line 1: field 'x' is missing: the record is an array, not an object");
}

TEST(GenerateTemplate, RendersEmptyValuesAndEmptyTemplatesOverStaleOutput) {
  EXPECT_EQ(render_template("[{{e}}]", R"({"e":""})"), "[]");
  EXPECT_EQ(render_template("", R"({})"), "");
}

TEST(GenerateTemplate, MalformedPlaceholdersAreUsageErrorsWithTheLine) {
  EXPECT_EQ(template_parse_error("a\nb {{name\n}}"),
            "template 't.md' line 2: '{{' without '}}' on the same line (write \\{{ for a literal '{{')");
  EXPECT_EQ(template_parse_error("x {{  }}"), "template 't.md' line 1: '{{  }}' has no field name");
  EXPECT_EQ(template_parse_error("\n\n{{a b}}"),
            "template 't.md' line 3: 'a b' is not a field name (letters, digits, '_' and '-'; a dotted path as "
            "{{a.b}})");
  EXPECT_EQ(template_parse_error("{{a..b}}"),
            "template 't.md' line 1: 'a..b' is not a field name (letters, digits, '_' and '-'; a dotted path as "
            "{{a.b}})");
  EXPECT_EQ(template_parse_error("{{.a}}"),
            "template 't.md' line 1: '.a' is not a field name (letters, digits, '_' and '-'; a dotted path as "
            "{{a.b}})");
  EXPECT_EQ(template_parse_error("{{a.}}"),
            "template 't.md' line 1: 'a.' is not a field name (letters, digits, '_' and '-'; a dotted path as "
            "{{a.b}})");
  EXPECT_EQ(template_parse_error("{{a}} {{"),
            "template 't.md' line 1: '{{' without '}}' on the same line (write \\{{ for a literal '{{')");
  EXPECT_EQ(template_parse_error("{{ok_1-x.Y2}}"), "no error");
}

}  // namespace
