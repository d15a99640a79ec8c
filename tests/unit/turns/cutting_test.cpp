#include "prefline/turns/cutting.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using prefline::turns::HistoryMessage;
using prefline::turns::Role;
using prefline::turns::TurnSelection;

std::vector<int> selected(const TurnSelection& selection, int count) {
  std::vector<int> turns;
  for (int t = 1; t <= count; ++t)
    if (selection.selects(t, count)) turns.push_back(t);
  return turns;
}

TEST(TurnsCutting, SelectionForms) {
  EXPECT_EQ(selected(TurnSelection(), 3), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", "2:"), 4), (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", "-1"), 4), (std::vector<int>{4}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", "1,3"), 4), (std::vector<int>{1, 3}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", "-2:"), 5), (std::vector<int>{4, 5}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", ":2"), 5), (std::vector<int>{1, 2}));
  EXPECT_EQ(selected(TurnSelection::parse("--turns", "5"), 3), (std::vector<int>{}));
}

TEST(TurnsCutting, SelectionRejectsZeroAndText) {
  EXPECT_THROW(TurnSelection::parse("--turns", "0"), prefline::UsageError);
  EXPECT_THROW(TurnSelection::parse("--turns", "a:"), prefline::UsageError);
  EXPECT_THROW(TurnSelection::parse("--turns", "+1"), prefline::UsageError);
  EXPECT_THROW(TurnSelection::parse("--turns", ""), prefline::UsageError);
}

TEST(TurnsCutting, TrimKeepsSystemAndFirstUserAndToolPairs) {
  // system, user, assistant(calls), tool, tool, assistant, user
  const std::vector<HistoryMessage> history = {
      {Role::system, false, 10}, {Role::user, false, 10},     {Role::assistant, true, 5}, {Role::tool, false, 30},
      {Role::tool, false, 30},   {Role::assistant, false, 5}, {Role::user, false, 10}};
  // 100 in all; dropping the call and its two results (65) leaves 35.
  auto trimmed = prefline::turns::trim_history(history, 40);
  EXPECT_EQ(trimmed.kept, (std::vector<std::size_t>{0, 1, 5, 6}));
  EXPECT_EQ(trimmed.size, 35U);
  EXPECT_TRUE(trimmed.trimmed);
  EXPECT_TRUE(trimmed.fits);
  // Within budget: nothing dropped.
  trimmed = prefline::turns::trim_history(history, 100);
  EXPECT_EQ(trimmed.kept.size(), 7U);
  EXPECT_FALSE(trimmed.trimmed);
  // Below what the pinned messages need: everything droppable goes and it still does not fit.
  trimmed = prefline::turns::trim_history(history, 15);
  EXPECT_EQ(trimmed.kept, (std::vector<std::size_t>{0, 1}));
  EXPECT_FALSE(trimmed.fits);
}

TEST(TurnsCutting, TrimStopsAsSoonAsItFits) {
  const std::vector<HistoryMessage> history = {{Role::user, false, 10},
                                               {Role::assistant, false, 10},
                                               {Role::user, false, 10},
                                               {Role::assistant, false, 10}};
  const auto trimmed = prefline::turns::trim_history(history, 30);
  EXPECT_EQ(trimmed.kept, (std::vector<std::size_t>{0, 2, 3}));
}

TEST(TurnsCutting, CodePointsCountCharactersNotBytes) {
  EXPECT_EQ(prefline::turns::code_points("abc"), 3U);
  EXPECT_EQ(prefline::turns::code_points("é—x"), 3U);
}

}  // namespace
