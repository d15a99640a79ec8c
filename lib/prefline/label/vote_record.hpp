// A pairwise vote as label --compare writes it and votes reads it (the Vote
// record of DESIGN.md §3): the comparison's key fields, the two sides' ids,
// the winner (a, b or tie, of the sides as stored, never as shown), the
// rater, the criterion, which side was shown first, and the time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prefline/json/writer.hpp"
#include "prefline/text/timestamp.hpp"

namespace prefline::label {

enum class Winner { a, b, tie };

inline std::string_view winner_name(Winner winner) {
  switch (winner) {
    case Winner::a: return "a";
    case Winner::b: return "b";
    case Winner::tie: break;
  }
  return "tie";
}

// The page shows the sides as "left" and "right"; which stored side each
// is depends on the grader's coin (blind_order.hpp). A vote for the left
// answer is a vote for side b when b was shown first.
inline Winner winner_from_shown(std::string_view choice, bool b_first) {
  if (choice == "left") return b_first ? Winner::b : Winner::a;
  if (choice == "right") return b_first ? Winner::a : Winner::b;
  return Winner::tie;
}

struct VoteRecord {
  // The comparison key: (field name, the field's JSON value as raw text).
  std::vector<std::pair<std::string, std::string>> key;
  std::string model_a;
  std::string model_b;
  Winner winner = Winner::tie;
  std::string rater;
  std::string criterion;  // empty: the overall vote, written as "overall"
  bool b_shown_first = false;
  std::int64_t voted_at_ms = 0;
};

inline constexpr std::string_view overall_criterion = "overall";

// {<key fields>,"model_a","model_b","winner","rater","criterion","shown","votedAt"}
inline void write_vote(Buffer& out, const VoteRecord& vote) {
  JsonWriter json(out);
  json.begin_object();
  for (const auto& [field, raw_value] : vote.key) json.key(field).raw(raw_value);
  json.key("model_a").string(vote.model_a);
  json.key("model_b").string(vote.model_b);
  json.key("winner").string(winner_name(vote.winner));
  json.key("rater").string(vote.rater);
  json.key("criterion").string(vote.criterion.empty() ? overall_criterion : std::string_view(vote.criterion));
  json.key("shown").string(vote.b_shown_first ? "b" : "a");
  json.key("votedAt").string(format_iso8601_milliseconds(vote.voted_at_ms));
  json.end_object();
  json.end_record();
}

}  // namespace prefline::label
