// Reading a duel turn from a record: in one pass, its "duel" and
// "judgements" members (the verdicts found there become votes, with judges
// numbered by a JudgeRegistry), or else the two answers and the context the
// judges are shown. A key read twice makes the record bad.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/duel/judge_registry.hpp"
#include "prefline/duel/metric.hpp"
#include "prefline/duel/reply.hpp"
#include "prefline/duel/scoring.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/same_text.hpp"
#include "prefline/text/string_map.hpp"

namespace prefline::duel {

// What read_turn looks for.
struct TurnFields {
  std::string answer_a, answer_b, context;  // field names (--a, --b, --context)
  bool overwrite = false;                   // a "duel" already there is replaced; with judges,
                                            // "judgements" already there are not read
  const std::vector<Metric>* metrics = nullptr;
  bool judges_configured = false;           // every record is then asked about (one with
                                            // judgements is bad unless overwrite)
};

// Where read_turn puts the judgements it finds on a record.
struct VoteSink {
  JudgeRegistry& judges;
  std::vector<Vote>& votes;            // judge = the registry's number
  std::vector<std::uint8_t>& values;   // the verdicts, metrics bytes each
  std::vector<std::string_view>& names; // scratch: a record's judge names until it is known good
};

inline constexpr std::string_view no_verdict_error = "no verdict";
inline constexpr std::string_view unparsed_reply_error = "unparsed reply";

inline std::string render_context(simdjson::dom::element element) {
  if (element.is_string()) return std::string(element.get_string().value_unsafe());
  std::string text;
  if (!element.is_array()) return text;
  const simdjson::dom::array messages = element.get_array().value_unsafe();
  for (auto message : messages) {
    simdjson::dom::element role, content;
    std::string_view role_text = "message";
    if (!message[schema::duel::role].get(role) && role.is_string()) role_text = role.get_string().value_unsafe();
    if (message[schema::duel::content].get(content)) continue;
    if (!text.empty()) text += "\n\n";
    text += fmt::format("[{}]\n", role_text);
    if (content.is_string()) text += content.get_string().value_unsafe();
    else text += simdjson::minify(content);
  }
  return text;
}

struct TurnRead {
  std::string reason;
  bool has_duel = false;
  bool has_judgements = false;  // scored from the record's verdicts (not when a panel replaces them)
  std::string answer_a, answer_b, context;
};

// The members of one judgement that this tool reads, found in one pass (the
// simdjson calls inlined: this runs for every judgement of every record).
struct JudgementFields {
  static constexpr std::array<std::string_view, 4> names{schema::duel::judge, schema::duel::order, schema::duel::verdict,
                                                         schema::duel::reply};
  std::array<simdjson::dom::element, 4> values;  // judge, order, verdict, reply
  std::array<bool, 4> has{};
  std::string_view repeated;  // a member given twice

  // False when the judgement is not an object.
  [[gnu::flatten]] bool read(simdjson::dom::element entry) {
    if (!entry.is_object()) return false;
    const simdjson::dom::object members = entry.get_object().value_unsafe();
    for (auto field : members) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (!prefline::same_text(field.key, names[i])) continue;
        if (has[i]) {
          repeated = names[i];
          return true;
        }
        has[i] = true;
        values[i] = field.value;
        break;
      }
    }
    return true;
  }
};

inline TurnRead& duplicate_key(TurnRead& parsed, std::string_view key) {
  parsed.reason = fmt::format("duplicate key '{}'", key);
  return parsed;
}

// One pass over the record's members finds 'duel' and 'judgements' (a key
// this tool reads given twice makes the record bad); the judgements go to
// `sink` (nothing of a bad record stays there).
inline TurnRead read_turn(simdjson::dom::parser& parser, std::string_view line, const TurnFields& wanted,
                 VoteSink& sink) {
  TurnRead parsed;
  simdjson::dom::element record;
  if (auto error = parser.parse(line.data(), line.size(), false).get(record)) {
    parsed.reason = prefline::json_error_reason(error);
    return parsed;
  }
  if (!record.is_object()) {
    parsed.reason = "expected a JSON object";
    return parsed;
  }
  const simdjson::dom::object object = record.get_object().value_unsafe();
  simdjson::dom::element judgements;
  for (auto field : object) {
    if (prefline::same_text(field.key, schema::duel::duel)) {
      if (parsed.has_duel) return duplicate_key(parsed, schema::duel::duel);
      parsed.has_duel = true;
    } else if (prefline::same_text(field.key, schema::duel::judgements)) {
      if (parsed.has_judgements) return duplicate_key(parsed, schema::duel::judgements);
      parsed.has_judgements = true;
      judgements = field.value;
    }
  }
  if (parsed.has_duel && !wanted.overwrite) {
    parsed.reason = fmt::format("the record has a '{}' field already (use --overwrite)", schema::duel::duel);
    return parsed;
  }
  // With a panel every turn is judged by it: verdicts already on a record
  // are refused (mixing them with the panel's would score turns by different
  // judges without a word), or with --overwrite left unread.
  if (parsed.has_judgements && wanted.judges_configured) {
    if (!wanted.overwrite) {
      parsed.reason = fmt::format(
          "the record already has verdicts in '{0}' and a panel is given; to judge it with the panel, drop them "
          "(jq -c 'del(.{0})') or add --overwrite; to score the verdicts it has, run without --judges/--judge",
          schema::duel::judgements);
      return parsed;
    }
    parsed.has_judgements = false;
  }
  if (parsed.has_judgements) {
    if (!judgements.is_array()) {
      parsed.reason = fmt::format("'{}' must be an array", schema::duel::judgements);
      return parsed;
    }
    const std::size_t votes_before = sink.votes.size(), values_before = sink.values.size();
    auto fail = [&](std::string reason) {
      sink.votes.resize(votes_before);
      sink.values.resize(values_before);
      parsed.reason = std::move(reason);
      return parsed;
    };
    const std::size_t metrics = wanted.metrics->size();
    sink.names.clear();
    const simdjson::dom::array entries = judgements.get_array().value_unsafe();
    for (auto entry : entries) {
      JudgementFields fields;
      if (!fields.read(entry))
        return fail(fmt::format("each of '{}' needs 'judge' and 'order' strings", schema::duel::judgements));
      if (!fields.repeated.empty()) return fail(fmt::format("duplicate key '{}' in a judgement", fields.repeated));
      auto& [judge, order, verdict, reply] = fields.values;
      auto& [has_judge, has_order, has_verdict, has_reply] = fields.has;
      if (!has_judge || !judge.is_string() || !has_order || !order.is_string())
        return fail(fmt::format("each of '{}' needs 'judge' and 'order' strings", schema::duel::judgements));
      const std::string_view judge_name = judge.get_string().value_unsafe();
      const std::string_view order_text = order.get_string().value_unsafe();
      const bool ab = prefline::same_text(order_text, "ab");
      if (!ab && !prefline::same_text(order_text, "ba"))
        return fail(fmt::format("judgement order '{}' is not ab or ba", order_text));
      Vote vote;
      vote.order = ab ? Order::ab : Order::ba;
      vote.values = static_cast<std::uint32_t>(sink.values.size());
      sink.values.resize(sink.values.size() + metrics);
      std::uint8_t* values = sink.values.data() + vote.values;
      if (has_verdict) {
        if (verdict.is_null()) {
          vote.error = no_verdict_error;
        } else {
          std::string_view repeated;
          vote.has_verdict = verdict.is_object() && read_verdict(verdict.get_object().value_unsafe(),
                                                                                  *wanted.metrics, values, &repeated);
          if (!repeated.empty())
            return fail(fmt::format("judge '{}': duplicate key '{}' in the verdict", judge_name, repeated));
          if (!vote.has_verdict)
            return fail(fmt::format("judge '{}': the verdict must give every metric 0, 1 or 2", judge_name));
        }
      } else if (has_reply) {
        if (!reply.is_string()) return fail(fmt::format("judge '{}': 'reply' must be a string", judge_name));
        if (auto parsed_reply = parse_reply(reply.get_string().value_unsafe(), *wanted.metrics)) {
          std::copy(parsed_reply->begin(), parsed_reply->end(), values);
          vote.has_verdict = true;
        } else {
          vote.error = unparsed_reply_error;
        }
      } else {
        return fail(fmt::format("judge '{}': a judgement needs 'verdict' or 'reply'", judge_name));
      }
      sink.names.push_back(judge_name);
      sink.votes.push_back(vote);
    }
    // Numbered only now, so a bad record leaves no judge behind.
    for (std::size_t i = 0; i < sink.names.size(); ++i)
      sink.votes[votes_before + i].judge = sink.judges.intern(sink.names[i]);
    return parsed;
  }
  if (!wanted.judges_configured) {
    parsed.reason = fmt::format("no '{}' on the record and no judges configured (--judges, --judge)", schema::duel::judgements);
    return parsed;
  }
  simdjson::dom::element element;
  for (auto [field, target] : {std::pair{&wanted.answer_a, &parsed.answer_a}, std::pair{&wanted.answer_b, &parsed.answer_b}}) {
    const auto found = prefline::find_unique(object, *field, element);
    if (found == prefline::FieldLookup::duplicate) return duplicate_key(parsed, *field);
    if (found == prefline::FieldLookup::missing || !element.is_string()) {
      parsed.reason = fmt::format("answer field '{}' is missing or not a string", *field);
      return parsed;
    }
    *target = std::string(element.get_string().value_unsafe());
  }
  for (const std::string_view field : {std::string_view(wanted.context), schema::duel::prompt}) {
    const auto found = prefline::find_unique(object, field, element);
    if (found == prefline::FieldLookup::duplicate) return duplicate_key(parsed, field);
    if (found == prefline::FieldLookup::found) {
      parsed.context = render_context(element);
      break;
    }
  }
  return parsed;
}


// The panel's answers as votes like those found on records, appended to
// `votes` and `values`, judges numbered by `registry`.
inline void add_votes(const std::vector<Judgement>& judgements, JudgeRegistry& registry, std::size_t metrics,
                      std::vector<Vote>& votes, std::vector<std::uint8_t>& values) {
  for (const auto& judgement : judgements) {
    Vote vote;
    vote.judge = registry.intern(judgement.judge);
    vote.order = judgement.order;
    vote.values = static_cast<std::uint32_t>(values.size());
    values.resize(values.size() + metrics);
    if (judgement.verdict) {
      vote.has_verdict = true;
      std::copy(judgement.verdict->begin(), judgement.verdict->end(), values.begin() + vote.values);
    } else {
      vote.error = judgement.error;
    }
    votes.push_back(vote);
  }
}

}  // namespace prefline::duel
