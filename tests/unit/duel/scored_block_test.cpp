// duel/scored_block.hpp: a block's output pieces put together give each good
// record's bytes with its "duel" member, bad records are noted with their
// place and line, and judges are numbered per block.
#include "prefline/duel/scored_block.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

std::string joined(const prefline::duel::ScoredBlock& block, std::size_t begin, std::size_t end) {
  std::vector<iovec> pieces;
  block.pieces_as_iovecs(pieces);
  std::string text;
  for (std::size_t i = begin; i < end; ++i) text.append(static_cast<const char*>(pieces[i].iov_base), pieces[i].iov_len);
  return text;
}

TEST(DuelScoredBlock, PiecesBadRecordsAndJudges) {
  const std::vector<prefline::duel::Metric> metrics{{"m", ""}};
  const prefline::duel::TurnFields fields{"king", "challenger", "messages", false, &metrics, false};
  prefline::duel::TurnWriter writer(metrics, {1}, 0);
  prefline::duel::ScoredBlock block;
  const std::string text =
      "{\"id\":1,\"judgements\":[{\"judge\":\"j2\",\"order\":\"ab\",\"verdict\":{\"m\":2}}]}\n"
      "\n"
      "{\"id\":2}\n"
      "{\"judgements\":[{\"judge\":\"j1\",\"order\":\"ba\",\"verdict\":{\"m\":0}}],\"duel\":5}\n";
  block.lines.reserve(text.size(), 0);
  std::memcpy(block.lines.data.get(), text.data(), text.size());
  block.lines.size = text.size();
  block.score(fields, writer);
  EXPECT_EQ(block.line_count, 4u);
  EXPECT_EQ(block.records, 3u);
  ASSERT_EQ(block.bad.size(), 2u);
  EXPECT_EQ(block.bad[0].line, 3u);
  EXPECT_EQ(block.bad[0].text, "{\"id\":2}");
  EXPECT_EQ(block.bad[0].reason, "no 'judgements' on the record and no judges configured (--judges, --judge)");
  EXPECT_EQ(block.bad[1].line, 4u);
  EXPECT_EQ(block.bad[1].reason, "the record has a 'duel' field already (use --overwrite)");
  EXPECT_EQ(block.judge_names, (std::vector<std::string>{"j2"}));
  EXPECT_EQ(block.bad[0].piece, 2u);  // after the first record's two pieces
  const std::string first = joined(block, 0, block.bad[0].piece);
  EXPECT_EQ(first.rfind("{\"id\":1,\"judgements\":[", 0), 0u) << first;
  EXPECT_NE(first.find(",\"duel\":{\"score\":100,\"delta\":0.5,\"parsed\":true,"), std::string::npos) << first;
  EXPECT_TRUE(first.ends_with("}}\n"));
  EXPECT_EQ(block.tallies.deltas, (std::vector<double>{0.5}));
  block.clear();
  EXPECT_EQ(block.records, 0u);
  EXPECT_TRUE(block.pieces.empty());
}

}  // namespace
