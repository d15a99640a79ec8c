// duel/turn_reader.hpp: judgements found on a record become votes (verdicts
// and replies), answers and context are read otherwise, and each kind of bad
// record is named.
#include "prefline/duel/turn_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

struct Reader {
  std::vector<prefline::duel::Metric> metrics = prefline::duel::default_metrics();
  prefline::duel::TurnFields fields{"king", "challenger", "messages", false, &metrics, true};
  prefline::duel::JudgeRegistry registry;
  std::vector<prefline::duel::Vote> votes;
  std::vector<std::uint8_t> values;
  std::vector<std::string_view> names;
  simdjson::dom::parser parser;
  std::string text;

  prefline::duel::TurnRead read(std::string line) {
    text = std::move(line);
    prefline::duel::VoteSink sink{registry, votes, values, names};
    const simdjson::padded_string padded(text);
    return prefline::duel::read_turn(parser, padded, fields, sink);
  }
};

TEST(DuelTurnReader, JudgementsBecomeVotes) {
  Reader r;
  r.fields.judges_configured = false;  // aggregate-only: the verdicts on the record are scored
  const auto turn = r.read(
      R"({"judgements":[{"judge":"j1","order":"ba","verdict":{"correctness":2,"grounding":1,"progress":0,"protocol":1,"efficiency":2}},)"
      R"({"judge":"j2","order":"ab","reply":"no verdict here"},{"judge":"j1","order":"ab","verdict":null}]})");
  ASSERT_EQ(turn.reason, "");
  EXPECT_TRUE(turn.has_judgements);
  ASSERT_EQ(r.votes.size(), 3u);
  EXPECT_EQ(r.votes[0].judge, 0u);
  EXPECT_EQ(r.votes[0].order, prefline::duel::Order::ba);
  EXPECT_TRUE(r.votes[0].has_verdict);
  EXPECT_EQ(std::vector<std::uint8_t>(r.values.begin(), r.values.begin() + 5), (std::vector<std::uint8_t>{2, 1, 0, 1, 2}));
  EXPECT_EQ(r.votes[1].judge, 1u);
  EXPECT_FALSE(r.votes[1].has_verdict);
  EXPECT_EQ(r.votes[1].error, "unparsed reply");
  EXPECT_EQ(r.votes[2].judge, 0u);
  EXPECT_EQ(r.votes[2].error, "no verdict");
}

TEST(DuelTurnReader, AnswersAndContext) {
  Reader r;
  const auto turn = r.read(
      R"({"king":"A","challenger":"B","messages":[{"role":"user","content":"hi"},{"role":"tool","content":{"x":1}}]})");
  ASSERT_EQ(turn.reason, "");
  EXPECT_FALSE(turn.has_judgements);
  EXPECT_EQ(turn.answer_a, "A");
  EXPECT_EQ(turn.answer_b, "B");
  EXPECT_EQ(turn.context, "[user]\nhi\n\n[tool]\n{\"x\":1}");
  EXPECT_EQ(r.read(R"({"king":"A","challenger":"B","prompt":"p"})").context, "p");
}

TEST(DuelTurnReader, BadRecordsAreNamedAndLeaveNoVotes) {
  Reader r;
  EXPECT_EQ(r.read("[1]").reason, "expected a JSON object");
  EXPECT_EQ(r.read(R"({"king":"A","king":"B","challenger":"C"})").reason, "duplicate key 'king'");
  EXPECT_EQ(r.read(R"({"king":"A"})").reason, "answer field 'challenger' is missing or not a string");
  EXPECT_EQ(r.read(R"({"duel":1,"king":"A","challenger":"B"})").reason,
            "the record has a 'duel' field already (use --overwrite)");
  r.fields.judges_configured = false;
  EXPECT_EQ(r.read(R"({"judgements":[{"judge":"j","order":"xy","verdict":null}]})").reason,
            "judgement order 'xy' is not ab or ba");
  EXPECT_EQ(r.read(R"({"judgements":[{"judge":"j","order":"ab","verdict":{"correctness":1}}]})").reason,
            "judge 'j': the verdict must give every metric 0, 1 or 2");
  EXPECT_EQ(r.read(R"({"judgements":[{"judge":"ok","order":"ab","verdict":null},{"judge":"j","order":"ab"}]})").reason,
            "judge 'j': a judgement needs 'verdict' or 'reply'");
  EXPECT_TRUE(r.votes.empty());
  EXPECT_TRUE(r.values.empty());
  std::vector<std::string> fresh;
  r.registry.take_fresh(fresh);
  EXPECT_TRUE(fresh.empty());  // a bad record numbers no judge
  EXPECT_EQ(r.read(R"({"king":"A","challenger":"B"})").reason,
            "no 'judgements' on the record and no judges configured (--judges, --judge)");
  r.fields.overwrite = true;
  EXPECT_TRUE(r.read(R"({"duel":1,"judgements":[]})").has_duel);
}

TEST(DuelTurnReader, PanelRefusesVerdictsOnTheRecordUnlessOverwrite) {
  Reader r;  // judges configured
  const std::string line =
      R"({"king":"A","challenger":"B","judgements":[{"judge":"old","order":"ab","verdict":{"correctness":2,"grounding":2,)"
      R"("progress":2,"protocol":2,"efficiency":2}}]})";
  EXPECT_EQ(r.read(line).reason,
            "the record already has verdicts in 'judgements' and a panel is given; to judge it with the panel, drop "
            "them (jq -c 'del(.judgements)') or add --overwrite; to score the verdicts it has, run without "
            "--judges/--judge");
  r.fields.overwrite = true;
  const auto turn = r.read(line);
  EXPECT_EQ(turn.reason, "");
  EXPECT_FALSE(turn.has_judgements);  // the panel judges it: answers read, verdicts left unread
  EXPECT_EQ(turn.answer_a, "A");
  EXPECT_EQ(turn.answer_b, "B");
  EXPECT_TRUE(r.votes.empty());
  std::vector<std::string> fresh;
  r.registry.take_fresh(fresh);
  EXPECT_TRUE(fresh.empty());  // judge 'old' is never numbered
  // Refused even when the list is empty: the field says verdicts were meant to be there.
  r.fields.overwrite = false;
  EXPECT_NE(r.read(R"({"king":"A","challenger":"B","judgements":[]})").reason, "");
}

TEST(DuelTurnReader, PanelAnswersBecomeVotes) {
  prefline::duel::JudgeRegistry registry;
  registry.intern("panel");
  std::vector<prefline::duel::Judgement> judgements(2);
  judgements[0] = {"other", prefline::duel::Order::ba, prefline::duel::Verdict{2, 0}, ""};
  judgements[1] = {"panel", prefline::duel::Order::ab, std::nullopt, "HTTP 500"};
  std::vector<prefline::duel::Vote> votes;
  std::vector<std::uint8_t> values;
  prefline::duel::add_votes(judgements, registry, 2, votes, values);
  ASSERT_EQ(votes.size(), 2u);
  EXPECT_EQ(votes[0].judge, 1u);
  EXPECT_TRUE(votes[0].has_verdict);
  EXPECT_EQ(votes[0].order, prefline::duel::Order::ba);
  EXPECT_EQ(votes[1].judge, 0u);
  EXPECT_FALSE(votes[1].has_verdict);
  EXPECT_EQ(votes[1].error, "HTTP 500");
  EXPECT_EQ(values, (std::vector<std::uint8_t>{2, 0, 0, 0}));
}

}  // namespace
