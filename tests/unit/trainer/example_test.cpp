#include "prefline/trainer/example.hpp"

#include <gtest/gtest.h>

namespace {

using namespace prefline::trainer;

TEST(TrainerExample, RolesAreNamedAsChatMessagesNameThem) {
  EXPECT_EQ(role_name(Role::system), "system");
  EXPECT_EQ(role_name(Role::user), "user");
  EXPECT_EQ(role_name(Role::assistant), "assistant");
}

TEST(TrainerExample, StartsEmpty) {
  const Example example;
  EXPECT_TRUE(example.context.empty());
  EXPECT_FALSE(example.from_messages);
  EXPECT_TRUE(example.chosen.empty());
  EXPECT_EQ(example.margin, 0);
  EXPECT_TRUE(example.split.empty());
}

}  // namespace
