#include "prefline/consensus/item_record.hpp"

#include <gtest/gtest.h>

#include <string>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::grade_of;

TEST(ConsensusItemRecord, WritesTheItemSchemaInOrder) {
  Settings settings = consensus_test::default_settings();
  settings.dimensions.resize(1);
  settings.keep_fields = {"type"};
  ItemTable table(settings);
  auto bob = grade_of("c", "m", "bob", {4});
  bob.keep_raw = {"\"viz\""};
  auto ann = grade_of("c", "m", "ann", {5});
  ann.keep_raw = {""};
  table.add(bob);
  table.add(ann);
  table.canonicalize();
  const ItemStatistics statistics(settings, table.items(), table.rater_names().size());
  prefline::Buffer out;
  write_item(out, settings, table.items()[0], statistics.finish(0), table.rater_names());
  EXPECT_EQ(std::string(out.view()),
            R"({"challenge":"c","model":"m","scores":{"technical":{"mean":4.5,"median":4.5,"trimmed_mean":4.5,)"
            R"("sd":0.7071067811865476,"min":4,"max":5,"n":2}},"overall":4.5,"vote_count":2,"raters":["ann","bob"],)"
            R"("flags":[],"type":"viz"})"
            "\n");
}

TEST(ConsensusItemRecord, NoValuesMeansNullStatistics) {
  prefline::Buffer out;
  {
    prefline::JsonWriter json(out);
    write_summary(json, prefline::stats::summarize({}, 0.1));
  }
  EXPECT_EQ(std::string(out.view()),
            R"({"mean":null,"median":null,"trimmed_mean":null,"sd":null,"min":null,"max":null,"n":0})");
}

}  // namespace
