// duel/judge_registry.hpp: numbers in order of first appearance, the same
// number for a name seen again (past the few looked at one by one too), and
// each new name handed on once.
#include "prefline/duel/judge_registry.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

TEST(DuelJudgeRegistry, NumbersNamesInOrderOfFirstAppearance) {
  prefline::duel::JudgeRegistry registry;
  EXPECT_EQ(registry.intern("b"), 0u);
  EXPECT_EQ(registry.intern("a"), 1u);
  EXPECT_EQ(registry.intern("b"), 0u);
  std::vector<std::string> fresh;
  registry.take_fresh(fresh);
  EXPECT_EQ(fresh, (std::vector<std::string>{"b", "a"}));
  registry.take_fresh(fresh);
  EXPECT_EQ(fresh.size(), 2u);  // nothing new
  EXPECT_EQ(registry.intern("c"), 2u);
  registry.take_fresh(fresh);
  EXPECT_EQ(fresh, (std::vector<std::string>{"b", "a", "c"}));
}

TEST(DuelJudgeRegistry, ManyJudges) {
  prefline::duel::JudgeRegistry registry;
  for (std::uint32_t i = 0; i < 50; ++i) EXPECT_EQ(registry.intern("judge-" + std::to_string(i)), i);
  for (std::uint32_t i = 50; i-- > 0;) EXPECT_EQ(registry.intern("judge-" + std::to_string(i)), i);
  std::vector<std::string> fresh;
  registry.take_fresh(fresh);
  ASSERT_EQ(fresh.size(), 50u);
  EXPECT_EQ(fresh[49], "judge-49");
}

}  // namespace
