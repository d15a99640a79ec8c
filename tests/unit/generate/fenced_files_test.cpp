// generate/fenced_files.hpp: a vizhub reply, every name-line form, fences
// within fences, what is not a file, the errors, and the round trip through
// pairup's rendering of a files map.
#include "prefline/generate/fenced_files.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "prefline/pairs/texts.hpp"

namespace {

using prefline::generate::FencedFile;
using prefline::generate::parse_fenced_files;

using FileList = std::vector<std::pair<std::string, std::string>>;

// The files as (name, content) pairs, or {("ERROR", message)}.
FileList files_of(const std::string& reply) {
  std::vector<FencedFile> files{{"stale", "x"}};
  std::string error;
  if (!parse_fenced_files(reply, files, error)) return {{"ERROR", error}};
  EXPECT_TRUE(error.empty());
  FileList list;
  for (auto& file : files) list.emplace_back(file.name, file.content);
  return list;
}

TEST(GenerateFencedFiles, ReadsAVizhubReply) {
  // A reply from tests/fixtures/vizhub/responses.jsonl (llmResponse.md).
  const std::string reply =
      "Based on the task, here is the updated file:\n\n**functions.mjs**\n\n```js\nexport function add(a, b) {\n"
      "  return a + b;\n}\n```\n\n**index.mjs**\n\n```js\nimport { add } from \"./functions.mjs\";\n\n"
      "console.log(add(3, 4));\n```\n\nNo changes are needed to `README.md` as it should be kept as is.";
  EXPECT_EQ(files_of(reply), (FileList{{"functions.mjs", "export function add(a, b) {\n  return a + b;\n}"},
                                       {"index.mjs", "import { add } from \"./functions.mjs\";\n\nconsole.log(add(3, 4));"}}));
}

TEST(GenerateFencedFiles, AcceptsEveryDocumentedNameLine) {
  const std::string reply =
      "**a.html**\n```\nA\n```\n"
      "**b.css**:\n```\nB\n```\n"
      "**c.js:**\n```\nC\n```\n"
      "`d.mjs`\n```\nD\n```\n"
      "`e.json`:\n```\nE\n```\n"
      "### src/f.py\n```\nF\n```\n"
      "## `g.txt`\n```\nG\n```\n"
      "# **h.md**\n```\nH\n```\n"
      "File: i.c\n```\nI\n```\n"
      "  file: `j.h`  \n\n\n```\nJ\n```\n"
      "FILE: **./k.rs**\n```\nK\n```\n";
  EXPECT_EQ(files_of(reply), (FileList{{"a.html", "A"},
                                       {"b.css", "B"},
                                       {"c.js", "C"},
                                       {"d.mjs", "D"},
                                       {"e.json", "E"},
                                       {"src/f.py", "F"},
                                       {"g.txt", "G"},
                                       {"h.md", "H"},
                                       {"i.c", "I"},
                                       {"j.h", "J"},
                                       {"k.rs", "K"}}));
}

TEST(GenerateFencedFiles, LongerAndTildeFencesHoldShorterOnes) {
  const std::string reply =
      "**README.md**\n````markdown\n# Use\n```sh\nmake\n```\n````\n"
      "**notes.md**\n~~~\n```\nstill inside\n~~~~~\n"
      "**empty.txt**\n```\n```\n";
  EXPECT_EQ(files_of(reply), (FileList{{"README.md", "# Use\n```sh\nmake\n```"},
                                       {"notes.md", "```\nstill inside"},
                                       {"empty.txt", ""}}));
}

TEST(GenerateFencedFiles, ContentKeepsBlankLinesAndDropsOnlyTheLastBreak) {
  EXPECT_EQ(files_of("**a.txt**\n```\n\nline\n\n```"), (FileList{{"a.txt", "\nline\n"}}));
  EXPECT_EQ(files_of("**a.txt**\r\n```js\r\nx = 1;\r\ny = 2;\r\n```\r\n"), (FileList{{"a.txt", "x = 1;\r\ny = 2;"}}));
}

TEST(GenerateFencedFiles, WhatIsNotAFile) {
  EXPECT_EQ(files_of(""), FileList{});
  EXPECT_EQ(files_of("Just prose about index.html."), FileList{});
  // A block with no name line; a name line inside a block; headings without '.' or '/'.
  EXPECT_EQ(files_of("```\n**inner.js**\n```\nx\n```\n"), FileList{});
  EXPECT_EQ(files_of("**Output:**\n```\n42\n```\n### Explanation\n```\nwhy\n```\n"), FileList{});
  // Prose between the name and the block; a name with a space; a bare name with no marks.
  EXPECT_EQ(files_of("**a.js**\nHere it is:\n```\nx\n```\n"), FileList{});
  EXPECT_EQ(files_of("**my file.js**\n```\nx\n```\n"), FileList{});
  EXPECT_EQ(files_of("index.html\n```\nx\n```\n"), FileList{});
  // Inline code is no fence; an indented block (4 spaces) is no fence.
  EXPECT_EQ(files_of("**a.js**\n```x```\n"), FileList{});
  EXPECT_EQ(files_of("**a.js**\n    ```\n    x\n    ```\n"), FileList{});
}

TEST(GenerateFencedFiles, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(files_of("**a.js**\n```\n1\n```\ntext\n**a.js**\n```\n2\n```\n"),
            (FileList{{"ERROR", "file 'a.js' is given twice (lines 1 and 6)"}}));
  EXPECT_EQ(files_of("**./a.js**\n```\n1\n```\n**a.js**\n```\n2\n```\n"),
            (FileList{{"ERROR", "file 'a.js' is given twice (lines 1 and 5)"}}));
  EXPECT_EQ(files_of("\n**../etc/passwd**\n```\nx\n```\n"),
            (FileList{{"ERROR", "file name '../etc/passwd' (line 2) is not a relative path: it holds a '..' part"}}));
  EXPECT_EQ(files_of("### /etc/hosts\n```\nx\n```\n"),
            (FileList{{"ERROR", "file name '/etc/hosts' (line 1) is not a relative path: it starts with '/'"}}));
  EXPECT_EQ(files_of("`src//a.js`\n```\nx\n```\n"),
            (FileList{{"ERROR", "file name 'src//a.js' (line 1) is not a relative path: it holds '//'"}}));
  EXPECT_EQ(files_of("`src\\a.js`\n```\nx\n```\n"),
            (FileList{{"ERROR", "file name 'src\\a.js' (line 1) is not a relative path: it holds a backslash"}}));
  EXPECT_EQ(files_of("**a.js**\n```\n1\n```\n**b.js**\n```\ncut off here"),
            (FileList{{"ERROR", "file 'b.js' (line 5) has no closing fence"}}));
  // A bad name that no block follows is prose, not an error.
  EXPECT_EQ(files_of("**../x.js** is where it goes\n"), FileList{});
}

TEST(GenerateFencedFiles, RoundTripsPairupsRenderingOfAFilesMap) {
  const std::string json =
      R"({"index.html":"<!DOCTYPE html>\n<html>\n\n</html>","main.js":"const a = 1;\n```\nnot a fence end\n```",)"
      R"("style.css":"body { margin: 0; }"})";
  simdjson::dom::parser parser;
  const simdjson::dom::object map = parser.parse(json).get_object().value();
  const std::string rendered = prefline::pairs::render_files(map);
  // render_files uses a three-backtick fence: the ``` lines inside main.js end it early,
  // as they would for pairup's readers; the other files come back exactly.
  std::vector<FencedFile> files;
  std::string error;
  ASSERT_TRUE(parse_fenced_files(rendered, files, error)) << error;
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "index.html");
  EXPECT_EQ(files[0].content, "<!DOCTYPE html>\n<html>\n\n</html>");
  EXPECT_EQ(files[1].name, "main.js");
  EXPECT_EQ(files[1].content, "const a = 1;");
  EXPECT_EQ(files[2].name, "style.css");
  EXPECT_EQ(files[2].content, "body { margin: 0; }");

  const std::string plain = R"({"b.js":"let b;\n","a.html":"<p>a</p>"})";
  const simdjson::dom::object plain_map = parser.parse(plain).get_object().value();
  ASSERT_TRUE(parse_fenced_files(prefline::pairs::render_files(plain_map), files, error)) << error;
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.html");
  EXPECT_EQ(files[0].content, "<p>a</p>");
  EXPECT_EQ(files[1].name, "b.js");
  EXPECT_EQ(files[1].content, "let b;\n");
}

}  // namespace
