#include "prefline/consensus/agreement_report.hpp"

#include <gtest/gtest.h>

#include <string>

#include "consensus_test_support.hpp"

namespace {

using namespace prefline::consensus;
using consensus_test::grade_of;

TEST(ConsensusAgreementReport, PerfectAgreementGivesAlphaOne) {
  Settings settings = consensus_test::default_settings();
  settings.dimensions.resize(1);
  ItemTable table(settings);
  for (auto [model, value] : {std::pair{"m1", 1.0}, std::pair{"m2", 4.0}}) {
    auto ann = grade_of("c", model, "ann", {value});
    auto bob = grade_of("c", model, "bob", {value});
    table.add(ann);
    table.add(bob);
  }
  table.canonicalize();
  const ItemStatistics statistics(settings, table.items(), table.rater_names().size());
  prefline::Buffer out;
  write_agreement(out, settings, table.items(), table.rater_names(), statistics, {1}, 2);
  EXPECT_EQ(std::string(out.view()),
            R"({"items":2,"items_written":2,"dimensions":{"technical":{"alpha_interval":1,"alpha_ordinal":1,)"
            R"("units":2,"pairable_values":4}},"raters":[)"
            R"({"rater":"ann","items_graded":2,"technical":{"values":2,"mean_score":2.5,"mean_deviation":0,)"
            R"("share_far":0,"compared_items":2}},)"
            R"({"rater":"bob","items_graded":2,"technical":{"values":2,"mean_score":2.5,"mean_deviation":0,)"
            R"("share_far":0,"compared_items":2}}],)"
            R"("high_variance":[{"challenge":"c","model":"m2"}]})"
            "\n");
}

}  // namespace
