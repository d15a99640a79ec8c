#include "prefline/report/key_value_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows rows_of(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json.data(), json.size()).value();
  const prefline::doc::Table table = prefline::report::key_value_table(root.get_object().value());
  EXPECT_EQ(table.columns.size(), 2u);
  return table.rows;
}

TEST(KeyValueTable, FlattensInFileOrder) {
  EXPECT_EQ(rows_of(R"({"n_done":3,"judges":{"a":{"mean":80.5},"b":null},"ok":true,"name":"x \"y\""})"),
            (Rows{{"n_done", "3"}, {"judges.a.mean", "80.5"}, {"judges.b", "null"}, {"ok", "true"}, {"name", "x \"y\""}}));
}

TEST(KeyValueTable, ListsAndEmptyValues) {
  EXPECT_EQ(rows_of(R"({"plain":["a",1,false,null],"nested":[[1],{"a":2}],"none":[],"empty":{}})"),
            (Rows{{"plain", "a, 1, false, null"}, {"nested", R"([[1],{"a":2}])"}, {"none", "[]"}, {"empty", "{}"}}));
  EXPECT_EQ(rows_of("{}"), Rows{});
}

}  // namespace
