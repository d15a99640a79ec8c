#include "prefline/label/page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

std::size_t count_of(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(LabelPage, NoDataReachesTheDomAsHtml) {
  for (std::string_view sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
    EXPECT_EQ(count_of(prefline::label::page_js, sink), 0u) << sink;
  EXPECT_GT(count_of(prefline::label::page_js, "textContent"), 0u);
}

TEST(LabelPage, NothingLoadsFromElsewhere) {
  for (std::string_view text : {prefline::label::page_html, prefline::label::page_css, prefline::label::page_js}) {
    EXPECT_EQ(count_of(text, "http://"), 0u);
    EXPECT_EQ(count_of(text, "https://"), 0u);
    EXPECT_EQ(count_of(text, "@import"), 0u);
  }
  // No inline script: the page's CSP allows only /app.js.
  EXPECT_EQ(count_of(prefline::label::page_html, "<script>"), 0u);
  EXPECT_EQ(count_of(prefline::label::page_html, "{{TOKEN}}"), 3u);
}

TEST(LabelPage, AnswersFrameIsSandboxedWithoutSameOrigin) {
  EXPECT_EQ(count_of(prefline::label::page_js, "setAttribute('sandbox', 'allow-scripts')"), 1u);
  EXPECT_EQ(count_of(prefline::label::page_js, "allow-same-origin"), 0u);
}

TEST(LabelPage, KeysAreReadByPosition) {
  EXPECT_EQ(count_of(prefline::label::page_js, "event.key "), 0u);
  EXPECT_EQ(count_of(prefline::label::page_js, "event.key)"), 0u);
  EXPECT_GT(count_of(prefline::label::page_js, "event.code"), 0u);
}

}  // namespace
