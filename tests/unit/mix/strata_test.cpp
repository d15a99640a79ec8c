#include "prefline/mix/strata.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prefline/cli/errors.hpp"

namespace {

using namespace prefline::mix;

std::string describe(const std::vector<Stratum>& strata) {
  std::string text;
  for (const auto& stratum : strata) text += stratum.name + "=" + std::to_string(stratum.weight) + ";";
  return text;
}

std::string usage_error(const std::string& mix) {
  try {
    parse_mix(mix);
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(MixStrata, PresetsAreTheDifficultyLevelsInMillionths) {
  EXPECT_EQ(describe(parse_mix("balanced")), "easy=1000000;medium=1000000;hard=1000000;");
  EXPECT_EQ(describe(parse_mix("easy-heavy")), "easy=50000000;medium=30000000;hard=20000000;");
  EXPECT_EQ(describe(parse_mix("hard-heavy")), "easy=20000000;medium=30000000;hard=50000000;");
}

TEST(MixStrata, ExplicitSharesKeepTheirOrderAndSixDecimals) {
  EXPECT_EQ(describe(parse_mix("hard=2,easy=0.5,other=0")), "hard=2000000;easy=500000;other=0;");
  EXPECT_EQ(describe(parse_mix("a=0.000001,b=1e2")), "a=1;b=100000000;");
  EXPECT_EQ(weights_of(parse_mix("a=1,b=2.5")), (std::vector<std::uint64_t>{1000000, 2500000}));
}

TEST(MixStrata, BadMixesAreUsageErrors) {
  EXPECT_EQ(usage_error("lopsided"),
            "--mix: unknown mix 'lopsided' (presets: balanced, easy-heavy, medium-heavy, hard-heavy; or "
            "NAME=SHARE,...)");
  EXPECT_EQ(usage_error("a=1,b"), "--mix: 'b' is not NAME=SHARE");
  EXPECT_EQ(usage_error("a=1,=2"), "--mix: empty stratum name in 'a=1,=2'");
  EXPECT_EQ(usage_error("a=1,a=2"), "--mix: stratum 'a' given twice");
  EXPECT_EQ(usage_error("a=x"), "--mix: 'a=x': the share is not a number");
  EXPECT_EQ(usage_error("a=-1"), "--mix: 'a=-1': the share must be between 0 and 1000000000");
  EXPECT_EQ(usage_error("a=0,b=0"), "--mix: the shares in 'a=0,b=0' add up to 0");
  EXPECT_EQ(usage_error("a\tb=1"), "--mix: control character in the stratum name 'a\tb'");
}

}  // namespace
