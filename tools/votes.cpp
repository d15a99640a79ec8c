// votes: pairwise votes ("a is better", "b is better", "tie") from several raters
// -> one decided comparison per (key, unordered pair of sides).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/report/markdown.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/string_map.hpp"
#include "prefline/text/timestamp.hpp"
#include "prefline/votes/bradley_terry.hpp"
#include "prefline/votes/pairwise_agreement.hpp"
#include "prefline/votes/position_bias.hpp"

namespace {

namespace votes = prefline::votes;
using votes::Vote;

constexpr std::string_view tool = "votes";

using prefline::StringMap;  // searched with a string_view, without making a string

constexpr std::string_view help_head = R"HELP(Usage: votes [OPTIONS] [FILE...]

Combine pairwise votes ("a is better", "b is better", "tie") from several
raters into one decision per comparison; measure the raters' agreement and
position bias; rate the compared models. Reads JSON Lines from the FILEs or
standard input; writes one record per comparison (or, with --pairs, pair
records for export), in the order comparisons are first seen.

Which layout do you have?
  long  one record per vote (arena battles, label --compare, LLM judges):
        {"id":1,"model_a":"x","model_b":"y","winner":"a","judge":"j1"}
        read with --winner (default winner) and --rater
  wide  one record per comparison, one column per rater (annotator1..3):
        {"id":1,"model_a":"x","model_b":"y","annotator1":1,"annotator2":0}
        read with --wide annotator1,annotator2 --codes 1=a,2=b,0=tie

A comparison is the --item key, the --criterion value (if given) and the
unordered pair of sides: {"id":1,"model_a":"x","model_b":"y"} and
{"id":1,"model_a":"y","model_b":"x"} are votes on the same comparison, the
second with its sides swapped back to the order first seen.

Input fields:
      --item FIELDS       fields forming the comparison key, comma-separated
                          (default id); any JSON value
      --a FIELD           the first side's id (default model_a)
      --b FIELD           the second side's id (default model_b); a side id
                          is a string or a number, and the two differ
      --winner FIELD      long layout: the vote (default winner), a string or
                          a number read through --codes
      --codes MAP         CODE=VOTE pairs, comma-separated, VOTE one of a, b,
                          tie (default a=a,b=b,tie=tie). A CODE with a comma
                          or '=' is written in double quotes, e.g.
                          model_a=a,model_b=b,tie=tie,"tie (bothbad)"=tie.
                          A number's code is its JSON text (1, not 1.0)
      --rater FIELD       long layout: the rater, a string or a number
                          (default: none, every record is a different
                          rater). A rater votes at most once per comparison
      --wide COLUMNS      wide layout: the rater columns, comma-separated;
                          each column is a rater named by the column, its
                          value a vote read through --codes; a column that
                          is missing or null is no vote. Not with --winner
                          or --rater
      --criterion FIELD   the criterion voted on (helpfulness, safety...), a
                          string or a number: part of the comparison, so
                          each criterion is decided on its own (default:
                          none)
      --shown FIELD       which side the rater saw first (left): "a" or "b"
                          (the record's --a or --b side), or that side's id;
                          missing or null: not known (default: none). Gives
                          position_bias in --stats

Decision:
      --rule RULE         majority (default): the side with at least
                          --min-margin more votes than the other side wins;
                          tie votes neither decide nor block ({a: 1, b: 0,
                          tie: 5} is a win for a). unanimous: as majority,
                          and every vote, ties included, is for that side.
                          Any other count is a tie (no side won)
      --min-margin N      votes the winner needs over the other side, >= 1
                          (default 1; inclusive: with 2, {a: 3, b: 1} is a
                          win for a and {a: 3, b: 2} a tie). With unanimous,
                          the number of votes the winner needs

Agreement:
      --stats FILE        write the raters' agreement as one JSON object (FILE
                          appears with the output, only when the whole run
                          succeeds): comparisons, votes, raters (null without
                          --rater or --wide), decisions {a, b, tie} under
                          --rule; alpha {nominal, ordinal, comparisons,
                          votes}: Krippendorff's alpha over the comparisons
                          with >= 2 votes, votes coded a < tie < b for
                          ordinal; fleiss_kappa {kappa, reason, comparisons,
                          votes_per_comparison}: kappa is null, with the
                          reason, unless every comparison has the same number
                          (>= 2) of votes; cohen_kappa: [{raters, shared,
                          agreement, kappa}] for every pair of raters sharing
                          >= --min-overlap comparisons; per_rater: [{rater,
                          votes, ties, tie_rate, compared, agreed,
                          agreement}], agreement with the majority of the
                          other raters' votes on the same comparison
                          (comparisons voted on alone are not compared).
                          cohen_kappa and per_rater need named raters (empty
                          without). With --shown, position_bias {votes,
                          unknown, first, second, ties, share, low, high,
                          per_rater: [{rater, first, second, ties, share,
                          low, high}]}: share = votes for the side shown
                          first / (first + second), ties left out, low and
                          high its 95 % Wilson score interval; unknown = the
                          votes without a known shown side. With
                          --criterion, the figures above pool every
                          criterion (each comparison with its criterion one
                          unit), and criteria: [{criterion, <the same
                          figures>}] gives them per criterion, in first-seen
                          order. An undefined value is null
      --min-overlap N     shared comparisons a pair of raters needs for
                          Cohen's kappa (default 5)

Ratings:
      --ratings FILE      write model ratings as one JSON object (FILE appears
                          with the output): Bradley-Terry fitted by maximum
                          likelihood to every vote (of every criterion), a
                          tie half a win for each side, on the Elo scale (400
                          / ln 10 points per logit), mean rating 1000 unless
                          --anchor; Newton steps until every log-strength
                          moves < 1e-10. {battles, prior, anchor, iterations,
                          bootstrap {rounds, failed_rounds, seed}, models:
                          [{model, rating, low, high, battles, wins, losses,
                          ties}] by rating (equal ratings in first-seen
                          order), win_rate: rows and columns in the models'
                          order, (wins + ties / 2) / battles, null if none}.
                          When the estimate does not exist (a model never
                          lost or never won, or models split into groups
                          that never lose to one another) exit 1 naming them
      --ratings-md FILE   the same ratings as a Markdown leaderboard: a line
                          saying how they were fitted, then | Rank | Model |
                          Rating | 95 % interval | Battles | Wins | Losses |
                          Ties |, ratings to one decimal
      --bootstrap N       95 % percentile intervals (low, high) from N
                          resamples of the votes with replacement (default
                          0: low and high null); a resample without an
                          estimate is counted in failed_rounds
      --seed N            the resampling's splitmix64 seed (default 0); the
                          same votes in the same order give the same
                          intervals on any machine
      --anchor MODEL=R    fix MODEL's rating at R instead of a mean of 1000
                          (a number's MODEL is its JSON text)
      --prior W           add W virtual games of every model against a
                          reference of log-strength 0, half won and half
                          lost: the log-likelihood gains
                          sum_i (W/2) (log s(t_i) + log s(-t_i)), s the
                          logistic function, so the estimate always exists
                          (default 0: votes only)

Pairs (for export):
      --pairs             write pair records (pairup's schema, which export
                          --to reads) instead of comparison records: the
                          winner's text as chosen, the loser's as rejected.
                          Comparisons decided as a tie, without the three
                          texts (or with one empty or only white space), or
                          with the same text on both sides are left out and
                          counted on stderr
      --prompt FIELD      with --pairs: the prompt, a string (required)
      --text-a FIELD      with --pairs: side a's answer, a string (required)
      --text-b FIELD      with --pairs: side b's answer, a string (required).
                          A text missing or null in one vote is taken from
                          another vote on the comparison; two different
                          texts make the later vote a bad record
      --dataset-version V with --pairs: metadata.dataset_version (default
                          1.0.0)

)HELP";

constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .skip_invalid = "skip bad vote records instead of stopping at the first one; at the end "
                    "'votes: skipped N invalid records' goes to stderr, exit 0"};

constexpr std::string_view help_tail = R"HELP(
Output record: {<--item fields>, <--criterion field>, "a", "b", "votes":
{"a", "b", "tie", "n"}, "winner", "margin", "agreement", "raters"}: "a" and
"b" are the side ids in the order first seen; "winner" is "a", "b" or "tie"
(by --rule); "margin" is |votes for a - votes for b|; "agreement" the share
of the n votes that equal the decision (a tie decision counts the tie
votes); "raters" the raters in input order (left out without --rater or
--wide; with --wide, the column names).

Pair record (--pairs): {"prompt", "chosen", "rejected", "metadata":
{<--item fields>, <--criterion field>, "chosen_model", "rejected_model",
"chosen_scores": {"votes", "vote_count"}, "rejected_scores": {"votes",
"vote_count"}, "score_difference", "dataset_version", "generated_at"}}:
votes for each side, vote_count = n (ties included), score_difference the
margin; generated_at is SOURCE_DATE_EPOCH when set, else the time of the run.

Bad records: not a JSON object, invalid JSON, an --item or --criterion field
missing, a side or rater missing or not a string or number, the same id on
both sides, a winner missing or not in --codes, a rater voting twice on one
comparison, a --wide record without any vote, a --shown value that is not a
or b or a side's id, a text that is not a string or null or differs from the
comparison's. A field that no record has is an error (exit 1) naming what
records have.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'votes: FILE:LINE: reason') or a runtime error
  2  bad option or option value, or a key field named like a field votes
     writes (nothing is read)

Example:
  votes --item question_id --rater judge --stats agreement.json \
    --ratings ratings.json --bootstrap 1000 \
    --codes 'model_a=a,model_b=b,tie=tie,"tie (bothbad)"=tie' \
    battles.jsonl > decisions.jsonl
)HELP";

struct Options {
  prefline::CommonOptions common;
  std::string item = "id";
  std::string a = "model_a";
  std::string b = "model_b";
  std::string winner;  // empty: "winner" in the long layout
  std::string codes = "a=a,b=b,tie=tie";
  std::string rater;
  std::string wide;
  std::string criterion;
  std::string shown;
  std::string rule = "majority";
  long long min_margin = 1;
  std::string stats;
  long long min_overlap = 5;
  std::string ratings;
  std::string ratings_md;
  long long bootstrap = 0;
  std::uint64_t seed = 0;
  std::string anchor;
  double prior = 0;
  bool pairs = false;
  std::string prompt;
  std::string text_a;
  std::string text_b;
  std::string dataset_version = "1.0.0";
};

constexpr std::string_view default_winner_field = "winner";

struct Settings {
  std::vector<std::string> item_fields;
  std::vector<std::string> wide_columns;        // empty: the long layout
  std::string winner;                           // the long layout's vote field
  bool named_raters = false;                    // --rater or --wide
  StringMap<Vote> codes;  // by the winner's text
  votes::Rule rule = votes::Rule::majority;
  std::size_t min_margin = 1;
  std::string anchor_model;                     // empty: the mean rating is 1000
  double anchor_rating = 1000;
};

// Splits CODE=VOTE pairs; a double-quoted CODE may hold commas and '='.
StringMap<Vote> parse_codes(std::string_view text) {
  StringMap<Vote> codes;
  std::size_t i = 0;
  const auto bad = [&](std::string_view why) {
    return prefline::UsageError(fmt::format("--codes: {} in '{}' (expected CODE=VOTE,..., VOTE one of a, b, tie)", why, text));
  };
  while (i <= text.size()) {
    std::string code;
    if (i < text.size() && text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) throw bad("an unclosed quote");
      code = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i >= text.size() || text[i] != '=') throw bad(fmt::format("no '=' after \"{}\"", code));
    } else {
      const std::size_t eq = text.find('=', i);
      const std::size_t comma = text.find(',', i);
      if (eq == std::string_view::npos || (comma != std::string_view::npos && comma < eq))
        throw bad(fmt::format("no '=' in '{}'", text.substr(i, comma == std::string_view::npos ? text.npos : comma - i)));
      code = std::string(text.substr(i, eq - i));
      i = eq;
    }
    ++i;  // '='
    const std::size_t comma = std::min(text.find(',', i), text.size());
    const std::string_view value = text.substr(i, comma - i);
    Vote vote;
    if (value == "a") vote = Vote::a;
    else if (value == "b") vote = Vote::b;
    else if (value == "tie") vote = Vote::tie;
    else throw bad(fmt::format("'{}' is not a, b or tie", value));
    if (code.empty()) throw bad("an empty code");
    if (!codes.emplace(code, vote).second) throw bad(fmt::format("the code '{}' twice", code));
    i = comma + 1;
  }
  return codes;
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.item_fields = prefline::parse_name_list("--item", options.item, false);
  if (options.a.empty()) throw prefline::UsageError("--a needs a field name");
  if (options.b.empty()) throw prefline::UsageError("--b needs a field name");
  if (options.a == options.b) throw prefline::UsageError("--a and --b must be different fields");
  if (!options.wide.empty()) {
    if (!options.winner.empty())
      throw prefline::UsageError("--winner is for the long layout; --wide reads each vote from its rater column");
    if (!options.rater.empty())
      throw prefline::UsageError("--rater is for the long layout; with --wide the columns are the raters");
    settings.wide_columns = prefline::parse_name_list("--wide", options.wide, false);
    settings.named_raters = true;
  } else {
    settings.winner = options.winner.empty() ? std::string(default_winner_field) : options.winner;
    settings.named_raters = !options.rater.empty();
  }
  if (options.rule == "majority") settings.rule = votes::Rule::majority;
  else if (options.rule == "unanimous") settings.rule = votes::Rule::unanimous;
  else throw prefline::UsageError(fmt::format("--rule: '{}' is not majority or unanimous", options.rule));
  if (options.min_margin < 1) throw prefline::UsageError("--min-margin must be 1 or more");
  settings.min_margin = static_cast<std::size_t>(options.min_margin);
  if (options.min_overlap < 1) throw prefline::UsageError("--min-overlap must be 1 or more");
  if (options.bootstrap < 0) throw prefline::UsageError("--bootstrap must be 0 or more");
  if (!std::isfinite(options.prior) || options.prior < 0) throw prefline::UsageError("--prior must be a number >= 0");
  if (!options.anchor.empty()) {
    const std::size_t eq = options.anchor.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw prefline::UsageError(fmt::format("--anchor: '{}' is not MODEL=RATING", options.anchor));
    settings.anchor_model = options.anchor.substr(0, eq);
    settings.anchor_rating = prefline::parse_number("--anchor", options.anchor.substr(eq + 1));
  }
  if (options.pairs) {
    if (options.prompt.empty() || options.text_a.empty() || options.text_b.empty())
      throw prefline::UsageError("--pairs needs --prompt, --text-a and --text-b (the fields holding the texts)");
    if (options.dataset_version.empty()) throw prefline::UsageError("--dataset-version must not be empty");
  } else {
    for (const auto& [name, value] : {std::pair{"--prompt", &options.prompt}, std::pair{"--text-a", &options.text_a},
                                      std::pair{"--text-b", &options.text_b}})
      if (!value->empty()) throw prefline::UsageError(fmt::format("{} is for --pairs", name));
  }
  // The key fields are written beside the tool's own fields: a name in both would be written twice.
  std::vector<std::string_view> written = {"a", "b", "votes", "winner", "margin", "agreement", "raters"};
  if (options.pairs)
    written = {"chosen_model", "rejected_model", "chosen_scores", "rejected_scores", "score_difference",
               "dataset_version", "generated_at"};
  std::vector<std::pair<std::string, std::string>> key_fields;  // field, option
  for (const auto& field : settings.item_fields) key_fields.emplace_back(field, "--item");
  if (!options.criterion.empty()) {
    if (std::ranges::find(settings.item_fields, options.criterion) != settings.item_fields.end())
      throw prefline::UsageError(fmt::format("--criterion '{}' is one of the --item fields", options.criterion));
    key_fields.emplace_back(options.criterion, "--criterion");
  }
  for (const auto& [field, option] : key_fields)
    if (std::ranges::find(written, field) != written.end()) {
      std::string names;
      for (std::string_view name : written) names += (names.empty() ? "" : ", ") + std::string(name);
      throw prefline::UsageError(fmt::format("{}: '{}' is also a field that votes writes{} ({}); rename it first",
                                             option, field, options.pairs ? " in metadata" : "", names));
    }
  settings.codes = parse_codes(options.codes);
  return settings;
}

// A text of a comparison (--prompt, --text-a, --text-b): unset until a vote gives it.
using Text = std::optional<std::string>;

struct Comparison {
  std::vector<std::string> key_json;  // the --item values, compact JSON, from the first vote
  std::string criterion_json;         // with --criterion
  std::size_t criterion = 0;          // index into Tally::criterion_names()
  std::string a_json, b_json;
  std::string a_key;                  // typed key of side a, to recognise swapped votes
  std::size_t a_model = 0, b_model = 0;  // indexes into Tally::model_names()
  std::array<std::size_t, votes::vote_kinds> counts{0, 0, 0};
  std::vector<std::uint32_t> raters;  // rater indexes, in input order
  Text prompt, text_a, text_b;  // with --pairs, in the comparison's order of sides

  // Whether a rater voted here already: a scan of the few raters a comparison usually has, a set once
  // it has many (one key voted on by thousands of raters would make the scan quadratic).
  bool has_rater(std::size_t rater) const {
    if (rater_set) return rater_set->contains(static_cast<std::uint32_t>(rater));
    return std::ranges::find(raters, static_cast<std::uint32_t>(rater)) != raters.end();
  }
  void add_rater(std::uint32_t rater) {
    raters.push_back(rater);
    if (rater_set) rater_set->insert(rater);
    else if (raters.size() > rater_scan_limit) rater_set = std::make_unique<std::unordered_set<std::uint32_t>>(raters.begin(), raters.end());
  }
  static constexpr std::size_t rater_scan_limit = 32;
  std::unique_ptr<std::unordered_set<std::uint32_t>> rater_set;
};

bool is_id(simdjson::dom::element value) { return value.is_string() || value.is_number(); }

Vote flipped(Vote vote) { return vote == Vote::a ? Vote::b : vote == Vote::b ? Vote::a : Vote::tie; }

class Tally {
 public:
  Tally(const Options& options, const Settings& settings) : options_(options), settings_(settings) {
    for (const auto& column : settings.wide_columns)
      wide_keys_.push_back(prefline::single_value_key(prefline::key_tag::string, column));
  }

  // Adds one vote record (the long layout) or the votes of one record (the wide layout); returns why
  // the record is bad, or "" when it counted. A bad record changes nothing. The scratch strings are
  // members so that a record that adds no comparison allocates nothing.
  std::string add(simdjson::dom::object record) {
    key_.clear();
    item_values_.clear();
    for (const auto& field : settings_.item_fields) {
      simdjson::dom::element value;
      if (record[field].get(value)) return fmt::format("the --item field '{}' is missing", field);
      prefline::append_key_part(key_, value);
      item_values_.push_back(value);
    }
    simdjson::dom::element criterion;
    if (!options_.criterion.empty()) {
      if (record[options_.criterion].get(criterion))
        return fmt::format("the criterion field '{}' (--criterion) is missing", options_.criterion);
      if (!is_id(criterion))
        return fmt::format("'{}' is {}, not a string or number", options_.criterion, prefline::type_name(criterion));
      set_typed_key(criterion_key_, criterion);
      prefline::append_key_part(key_, prefline::key_tag::json, criterion_key_);
    }
    simdjson::dom::element a, b;
    if (record[options_.a].get(a)) return fmt::format("the side field '{}' (--a) is missing", options_.a);
    if (record[options_.b].get(b)) return fmt::format("the side field '{}' (--b) is missing", options_.b);
    if (!is_id(a)) return fmt::format("'{}' is {}, not a string or number", options_.a, prefline::type_name(a));
    if (!is_id(b)) return fmt::format("'{}' is {}, not a string or number", options_.b, prefline::type_name(b));
    set_typed_key(a_key_, a);
    set_typed_key(b_key_, b);
    if (a_key_ == b_key_) return fmt::format("the same side {} on both sides", simdjson::minify(a));

    // The votes of the record, in the record's order of sides.
    record_votes_.clear();
    if (settings_.wide_columns.empty()) {
      simdjson::dom::element winner;
      if (record[settings_.winner].get(winner)) return fmt::format("the winner field '{}' is missing", settings_.winner);
      Vote vote;
      if (auto reason = read_vote(winner, settings_.winner, vote); !reason.empty()) return reason;
      RecordVote& v = record_votes_.emplace_back(RecordVote{{}, {}, nullptr, vote});
      if (settings_.named_raters) {
        if (record[options_.rater].get(v.rater)) return fmt::format("the rater field '{}' is missing", options_.rater);
        if (!is_id(v.rater))
          return fmt::format("'{}' is {}, not a string or number", options_.rater, prefline::type_name(v.rater));
        set_typed_key(rater_key_, v.rater);
        v.rater_key = rater_key_;
      }
    } else {
      for (std::size_t k = 0; k < settings_.wide_columns.size(); ++k) {
        const std::string& column = settings_.wide_columns[k];
        simdjson::dom::element value;
        if (record[column].get(value) || value.is_null()) continue;
        Vote vote;
        if (auto reason = read_vote(value, column, vote); !reason.empty()) return reason;
        record_votes_.push_back(RecordVote{wide_keys_[k], {}, &column, vote});
      }
      if (record_votes_.empty())
        return fmt::format("none of the --wide columns {} has a vote (all missing or null)", options_.wide);
    }

    // Which side was shown first, in the record's order of sides.
    std::optional<votes::Shown> shown;
    if (!options_.shown.empty()) {
      simdjson::dom::element value;
      if (!record[options_.shown].get(value) && !value.is_null()) {
        if (is_id(value)) set_typed_key(shown_key_, value);
        else shown_key_.clear();
        if (shown_key_ == a_key_) shown = votes::Shown::a_first;
        else if (shown_key_ == b_key_) shown = votes::Shown::b_first;
        else if (value.is_string() && value.get_string().value_unsafe() == "a") shown = votes::Shown::a_first;
        else if (value.is_string() && value.get_string().value_unsafe() == "b") shown = votes::Shown::b_first;
        else
          return fmt::format("'{}' is {}, neither a nor b nor a side's id ({} or {})", options_.shown,
                             simdjson::minify(value), simdjson::minify(a), simdjson::minify(b));
      }
    }

    Text prompt, text_a, text_b;
    if (options_.pairs) {
      for (auto [field, text] : {std::pair{&options_.prompt, &prompt}, std::pair{&options_.text_a, &text_a},
                                 std::pair{&options_.text_b, &text_b}}) {
        simdjson::dom::element value;
        if (record[*field].get(value) || value.is_null()) continue;
        if (!value.is_string())
          return fmt::format("'{}' is {}, not a string or null", *field, prefline::type_name(value));
        *text = std::string(value.get_string().value_unsafe());
      }
    }

    // The unordered pair: the smaller typed key first.
    const bool swapped_key = b_key_ < a_key_;
    prefline::append_key_part(key_, prefline::key_tag::json, swapped_key ? b_key_ : a_key_);
    prefline::append_key_part(key_, prefline::key_tag::json, swapped_key ? a_key_ : b_key_);

    // Checks against the comparison's earlier votes, before anything changes.
    const auto found = index_.find(std::string_view(key_));
    const std::size_t index = found == index_.end() ? comparisons_.size() : found->second;
    if (found != index_.end()) {
      const Comparison& c = comparisons_[index];
      if (a_key_ != c.a_key) std::swap(text_a, text_b);
      for (const RecordVote& v : record_votes_) {
        if (v.rater_key.empty()) continue;
        const auto rater = rater_index_.find(v.rater_key);
        if (rater != rater_index_.end() && c.has_rater(rater->second))
          return fmt::format("the rater {} voted twice on this comparison", rater_names_[rater->second]);
      }
      const std::pair<const Text*, const std::string*> texts[] = {
          {&c.prompt, &options_.prompt}, {&c.text_a, &options_.text_a}, {&c.text_b, &options_.text_b}};
      const Text* given[] = {&prompt, &text_a, &text_b};
      for (std::size_t t = 0; t < 3; ++t)
        if (*given[t] && *texts[t].first && **given[t] != **texts[t].first)
          return fmt::format("'{}' differs from an earlier vote's on this comparison", *texts[t].second);
    }

    if (found == index_.end()) {
      index_.emplace(key_, index);
      Comparison& c = comparisons_.emplace_back();
      c.key_json.reserve(item_values_.size());
      for (simdjson::dom::element value : item_values_) c.key_json.emplace_back(simdjson::minify(value));
      c.a_json = std::string(simdjson::minify(a));
      c.b_json = std::string(simdjson::minify(b));
      c.a_key = a_key_;
      c.a_model = model_index(a_key_, a);
      c.b_model = model_index(b_key_, b);
      if (!options_.criterion.empty()) {
        c.criterion_json = std::string(simdjson::minify(criterion));
        auto [it, inserted] = criterion_index_.try_emplace(criterion_key_, criterion_names_.size());
        if (inserted) criterion_names_.push_back(c.criterion_json);
        c.criterion = it->second;
      }
    }
    Comparison& c = comparisons_[index];
    for (auto [text, given] : {std::pair{&c.prompt, &prompt}, std::pair{&c.text_a, &text_a},
                               std::pair{&c.text_b, &text_b}})
      if (!*text && *given) *text = std::move(*given);
    // A vote given with the sides in the other order counts for the same side by id.
    const bool swapped = a_key_ != c.a_key;
    if (swapped && shown) shown = *shown == votes::Shown::a_first ? votes::Shown::b_first : votes::Shown::a_first;
    for (const RecordVote& v : record_votes_) {
      std::size_t rater_index = votes_;  // without named raters every vote is its own rater
      if (!v.rater_key.empty()) {
        auto found_rater = rater_index_.find(v.rater_key);
        if (found_rater == rater_index_.end()) {
          found_rater = rater_index_.emplace(std::string(v.rater_key), rater_names_.size()).first;
          rater_names_.push_back(v.column ? prefline::json_quoted(*v.column) : std::string(simdjson::minify(v.rater)));
        }
        rater_index = found_rater->second;
        c.add_rater(static_cast<std::uint32_t>(rater_index));
      }
      const Vote vote = swapped ? flipped(v.vote) : v.vote;
      ++c.counts[votes::index_of(vote)];
      if (keep_votes_) {
        rated_.push_back(votes::RatedVote{index, rater_index, vote});
        if (shown) {
          shown_.push_back(votes::ShownVote{rater_index, vote, *shown});
          shown_comparisons_.push_back(index);
        }
      }
      ++votes_;
    }
    return {};
  }

  const std::vector<Comparison>& comparisons() const { return comparisons_; }
  std::size_t vote_count() const { return votes_; }
  // The votes one by one (comparison, rater, vote), kept only when asked: the tallies alone need
  // memory per comparison, not per vote.
  void keep_votes() { keep_votes_ = true; }
  const std::vector<votes::RatedVote>& rated() const { return rated_; }
  // The kept votes whose shown side is known (--shown); a vote's rater and vote as in rated().
  const std::vector<votes::ShownVote>& shown() const { return shown_; }
  std::size_t shown_comparison(std::size_t i) const { return shown_comparisons_[i]; }
  const std::vector<std::string>& rater_names() const { return rater_names_; }
  const std::vector<std::string>& model_names() const { return model_names_; }
  const std::vector<std::string>& criterion_names() const { return criterion_names_; }
  std::size_t rater_count() const { return settings_.named_raters ? rater_names_.size() : votes_; }

 private:
  std::string read_vote(simdjson::dom::element value, std::string_view field, Vote& vote) const {
    std::string number;
    std::string_view code;
    if (value.is_string()) {
      code = value.get_string().value_unsafe();
    } else if (value.is_number()) {
      number = simdjson::minify(value);
      code = number;
    } else {
      return fmt::format("'{}' is {}, not a string or number", field, prefline::type_name(value));
    }
    const auto found = settings_.codes.find(code);
    if (found == settings_.codes.end())
      return fmt::format("'{}' is {}, which --codes {} does not name", field, simdjson::minify(value), options_.codes);
    vote = found->second;
    return {};
  }

  static void set_typed_key(std::string& key, simdjson::dom::element value) {
    key.clear();
    prefline::append_key_part(key, value);
  }

  std::size_t model_index(const std::string& key, simdjson::dom::element value) {
    auto [it, inserted] = model_index_.try_emplace(key, model_names_.size());
    if (inserted) model_names_.emplace_back(simdjson::minify(value));
    return it->second;
  }

  const Options& options_;
  const Settings& settings_;
  // A vote of the record being read: its rater's typed key (empty without named raters), and the
  // rater as read (the long layout) or its column (the wide layout).
  struct RecordVote {
    std::string_view rater_key;
    simdjson::dom::element rater;
    const std::string* column;
    Vote vote;
  };
  std::string key_, a_key_, b_key_, criterion_key_, rater_key_, shown_key_;
  std::vector<simdjson::dom::element> item_values_;
  std::vector<RecordVote> record_votes_;
  std::vector<std::string> wide_keys_;  // the typed key of each --wide column's name

  std::vector<Comparison> comparisons_;
  StringMap<std::size_t> index_;
  StringMap<std::size_t> rater_index_;
  std::vector<std::string> rater_names_;  // compact JSON, first-seen order
  StringMap<std::size_t> model_index_;
  std::vector<std::string> model_names_;  // compact JSON, first-seen order
  StringMap<std::size_t> criterion_index_;
  std::vector<std::string> criterion_names_;  // compact JSON, first-seen order
  std::vector<votes::RatedVote> rated_;
  std::vector<votes::ShownVote> shown_;
  std::vector<std::size_t> shown_comparisons_;  // the comparison of each shown_ vote
  bool keep_votes_ = false;
  std::size_t votes_ = 0;
};

Vote decision_of(const Settings& settings, const Comparison& c) {
  return votes::decide(c.counts, settings.rule, settings.min_margin);
}

std::string_view vote_name(Vote vote) { return vote == Vote::a ? "a" : vote == Vote::b ? "b" : "tie"; }

void write_comparison(prefline::JsonWriter& json, const Options& options, const Settings& settings,
                      const std::vector<std::string>& rater_names, const Comparison& c) {
  const std::size_t va = c.counts[votes::index_of(Vote::a)];
  const std::size_t vb = c.counts[votes::index_of(Vote::b)];
  const std::size_t vt = c.counts[votes::index_of(Vote::tie)];
  const std::size_t n = va + vb + vt;
  const Vote decision = decision_of(settings, c);
  json.begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(c.key_json[i]);
  if (!options.criterion.empty()) json.key(options.criterion).raw(c.criterion_json);
  json.key("a").raw(c.a_json);
  json.key("b").raw(c.b_json);
  json.key("votes").begin_object();
  json.key("a").integer(static_cast<std::int64_t>(va));
  json.key("b").integer(static_cast<std::int64_t>(vb));
  json.key("tie").integer(static_cast<std::int64_t>(vt));
  json.key("n").integer(static_cast<std::int64_t>(n));
  json.end_object();
  json.key("winner").string(vote_name(decision));
  json.key("margin").integer(static_cast<std::int64_t>(va > vb ? va - vb : vb - va));
  json.key("agreement").number(static_cast<double>(c.counts[votes::index_of(decision)]) / static_cast<double>(n));
  if (settings.named_raters) {
    json.key("raters").begin_array();
    for (std::uint32_t rater : c.raters) json.raw(rater_names[rater]);
    json.end_array();
  }
  json.end_object();
  json.end_record();
}

// pairup writes chosen_ + its candidate field (default model); the sides of votes are models too.
std::string pair_candidate_field(std::string_view prefix) { return std::string(prefix) + "model"; }

// A number in the shortest form that reads back the same, as in the JSON output.
std::string number_text(double value) {
  prefline::Buffer buffer;
  prefline::append_json_number(buffer, value);
  return std::string(buffer.view());
}

// Why a comparison gives no pair record (--pairs).
enum class NoPair { none, tie, missing_text, identical_texts };

bool blank(const Text& text) {
  return !text || std::ranges::all_of(*text, [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

NoPair write_pair(prefline::JsonWriter& json, const Options& options, const Settings& settings, const Comparison& c,
                  std::string_view generated_at) {
  const Vote decision = decision_of(settings, c);
  if (decision == Vote::tie) return NoPair::tie;
  if (blank(c.prompt) || blank(c.text_a) || blank(c.text_b)) return NoPair::missing_text;
  if (*c.text_a == *c.text_b) return NoPair::identical_texts;
  const bool a_won = decision == Vote::a;
  const std::size_t va = c.counts[votes::index_of(Vote::a)];
  const std::size_t vb = c.counts[votes::index_of(Vote::b)];
  const std::size_t n = va + vb + c.counts[votes::index_of(Vote::tie)];
  namespace pair_schema = prefline::schema::pair;
  const auto scores = [&](std::size_t side_votes) {
    json.begin_object();
    json.key("votes").integer(static_cast<std::int64_t>(side_votes));
    json.key(prefline::schema::item::vote_count).integer(static_cast<std::int64_t>(n));
    json.end_object();
  };
  json.begin_object();
  json.key(pair_schema::prompt).string(*c.prompt);
  json.key(pair_schema::chosen).string(a_won ? *c.text_a : *c.text_b);
  json.key(pair_schema::rejected).string(a_won ? *c.text_b : *c.text_a);
  json.key(pair_schema::metadata).begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(c.key_json[i]);
  if (!options.criterion.empty()) json.key(options.criterion).raw(c.criterion_json);
  json.key(pair_candidate_field(pair_schema::chosen_prefix)).raw(a_won ? c.a_json : c.b_json);
  json.key(pair_candidate_field(pair_schema::rejected_prefix)).raw(a_won ? c.b_json : c.a_json);
  json.key(pair_schema::chosen_scores);
  scores(a_won ? va : vb);
  json.key(pair_schema::rejected_scores);
  scores(a_won ? vb : va);
  json.key(pair_schema::score_difference).integer(static_cast<std::int64_t>(va > vb ? va - vb : vb - va));
  json.key(pair_schema::dataset_version).string(options.dataset_version);
  json.key(pair_schema::generated_at).string(generated_at);
  json.end_object();
  json.end_object();
  json.end_record();
  return NoPair::none;
}

// A statistic that may be undefined (NaN) is written as null.
void number_or_null(prefline::JsonWriter& json, double value) {
  if (std::isfinite(value)) json.number(value);
  else json.null();
}

// The votes of a set of comparisons (all of them, or one criterion's), comparisons indexed densely.
struct VoteSet {
  std::vector<votes::RatedVote> rated;
  std::vector<votes::ShownVote> shown;
  std::size_t comparisons = 0;
  std::array<std::size_t, votes::vote_kinds> decisions{0, 0, 0};
};

void write_proportion(prefline::JsonWriter& json, const votes::PositionCounts& counts) {
  json.key("first").integer(static_cast<std::int64_t>(counts.first));
  json.key("second").integer(static_cast<std::int64_t>(counts.second));
  json.key("ties").integer(static_cast<std::int64_t>(counts.ties));
  json.key("share");
  number_or_null(json, counts.first_share.share);
  json.key("low");
  number_or_null(json, counts.first_share.low);
  json.key("high");
  number_or_null(json, counts.first_share.high);
}

// The agreement figures of one vote set, as keys of the object being written.
void write_agreement(prefline::JsonWriter& json, const Options& options, const Settings& settings,
                     const Tally& tally, const VoteSet& set) {
  const std::size_t raters = tally.rater_count();
  const auto per_rater = votes::rater_votes(set.rated, set.comparisons, raters);
  json.key("comparisons").integer(static_cast<std::int64_t>(set.comparisons));
  json.key("votes").integer(static_cast<std::int64_t>(set.rated.size()));
  json.key("raters");
  if (settings.named_raters)
    json.integer(static_cast<std::int64_t>(std::ranges::count_if(per_rater, [](const auto& v) { return v.votes > 0; })));
  else json.null();
  json.key("decisions").begin_object();
  for (Vote vote : {Vote::a, Vote::b, Vote::tie})
    json.key(vote_name(vote)).integer(static_cast<std::int64_t>(set.decisions[votes::index_of(vote)]));
  json.end_object();

  const auto nominal = votes::vote_alpha(set.rated, set.comparisons, prefline::agreement::Metric::nominal);
  const auto ordinal = votes::vote_alpha(set.rated, set.comparisons, prefline::agreement::Metric::ordinal);
  json.key("alpha").begin_object();
  json.key("nominal");
  number_or_null(json, nominal.alpha);
  json.key("ordinal");
  number_or_null(json, ordinal.alpha);
  json.key("comparisons").integer(static_cast<std::int64_t>(nominal.units));
  json.key("votes").integer(static_cast<std::int64_t>(nominal.pairable_values));
  json.end_object();

  const votes::FleissKappa fleiss = votes::vote_fleiss_kappa(set.rated, set.comparisons, raters);
  json.key("fleiss_kappa").begin_object();
  json.key("kappa");
  if (fleiss.kappa) number_or_null(json, *fleiss.kappa);
  else json.null();
  json.key("reason");
  if (fleiss.reason.empty()) json.null();
  else json.string(fleiss.reason);
  json.key("comparisons").integer(static_cast<std::int64_t>(fleiss.subjects));
  json.key("votes_per_comparison").integer(static_cast<std::int64_t>(fleiss.raters_per_subject));
  json.end_object();

  // Cohen's kappa and per-rater figures need to know who voted: only with named raters.
  json.key("min_overlap").integer(options.min_overlap);
  json.key("cohen_kappa").begin_array();
  if (settings.named_raters) {
    for (const votes::PairKappa& pair : votes::pairwise_cohen_kappa(set.rated, set.comparisons, raters,
                                                                    static_cast<std::size_t>(options.min_overlap))) {
      json.begin_object();
      json.key("raters").begin_array().raw(tally.rater_names()[pair.first]).raw(tally.rater_names()[pair.second]).end_array();
      json.key("shared").integer(static_cast<std::int64_t>(pair.shared));
      json.key("agreement").number(pair.agreement);
      json.key("kappa");
      number_or_null(json, pair.kappa);
      json.end_object();
    }
  }
  json.end_array();
  json.key("per_rater").begin_array();
  if (settings.named_raters) {
    for (std::size_t r = 0; r < raters; ++r) {
      const votes::RaterVotes& v = per_rater[r];
      if (v.votes == 0) continue;  // a rater of another criterion only
      json.begin_object();
      json.key("rater").raw(tally.rater_names()[r]);
      json.key("votes").integer(static_cast<std::int64_t>(v.votes));
      json.key("ties").integer(static_cast<std::int64_t>(v.ties));
      json.key("tie_rate");
      number_or_null(json, v.tie_rate);
      json.key("compared").integer(static_cast<std::int64_t>(v.compared));
      json.key("agreed").integer(static_cast<std::int64_t>(v.agreed));
      json.key("agreement");
      number_or_null(json, v.agreement);
      json.end_object();
    }
  }
  json.end_array();

  if (!options.shown.empty()) {
    // Without named raters only the overall share is written: every vote counts as one rater's.
    std::vector<votes::ShownVote> unnamed;
    if (!settings.named_raters) {
      unnamed = set.shown;
      for (votes::ShownVote& v : unnamed) v.rater = 0;
    }
    const votes::PositionBias bias = settings.named_raters ? votes::position_bias(set.shown, raters)
                                                           : votes::position_bias(unnamed, 1);
    json.key("position_bias").begin_object();
    json.key("votes").integer(static_cast<std::int64_t>(set.shown.size()));
    json.key("unknown").integer(static_cast<std::int64_t>(set.rated.size() - set.shown.size()));
    write_proportion(json, bias.overall);
    json.key("per_rater").begin_array();
    if (settings.named_raters) {
      for (std::size_t r = 0; r < raters; ++r) {
        const votes::PositionCounts& counts = bias.per_rater[r];
        if (counts.first + counts.second + counts.ties == 0) continue;
        json.begin_object();
        json.key("rater").raw(tally.rater_names()[r]);
        write_proportion(json, counts);
        json.end_object();
      }
    }
    json.end_array();
    json.end_object();
  }
}

void write_stats(prefline::Buffer& out, const Options& options, const Settings& settings, const Tally& tally) {
  const auto& comparisons = tally.comparisons();
  VoteSet all;
  all.rated = tally.rated();
  all.shown = tally.shown();
  all.comparisons = comparisons.size();
  for (const Comparison& c : comparisons) ++all.decisions[votes::index_of(decision_of(settings, c))];

  prefline::JsonWriter json(out);
  json.begin_object();
  write_agreement(json, options, settings, tally, all);
  if (!options.criterion.empty()) {
    // Each criterion's comparisons renumbered 0..n-1 (rated and shown votes keep their raters).
    const std::size_t criteria = tally.criterion_names().size();
    std::vector<VoteSet> sets(criteria);
    std::vector<std::size_t> local(comparisons.size());
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
      VoteSet& set = sets[comparisons[i].criterion];
      local[i] = set.comparisons++;
      ++set.decisions[votes::index_of(decision_of(settings, comparisons[i]))];
    }
    for (const votes::RatedVote& v : tally.rated()) {
      VoteSet& set = sets[comparisons[v.comparison].criterion];
      set.rated.push_back(votes::RatedVote{local[v.comparison], v.rater, v.vote});
    }
    for (std::size_t i = 0; i < tally.shown().size(); ++i)
      sets[comparisons[tally.shown_comparison(i)].criterion].shown.push_back(tally.shown()[i]);
    json.key("criteria").begin_array();
    for (std::size_t k = 0; k < criteria; ++k) {
      json.begin_object();
      json.key("criterion").raw(tally.criterion_names()[k]);
      write_agreement(json, options, settings, tally, sets[k]);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  json.end_record();
}

// A model id as --anchor names it: a string's text, a number's JSON text.
std::string model_text(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (!parser.parse(json.data(), json.size()).get(value) && value.is_string())
    return std::string(value.get_string().value_unsafe());
  return std::string(json);
}

std::string model_list(const Tally& tally, const std::vector<std::size_t>& models) {
  std::string text;
  for (std::size_t m : models) text += (text.empty() ? "" : ", ") + tally.model_names()[m];
  return text;
}

// Why the maximum likelihood ratings do not exist, naming the models.
std::string no_estimate_message(const Tally& tally, const votes::Existence& existence) {
  std::string text = "the Bradley-Terry ratings do not exist (some model's strength is unbounded):";
  if (!existence.never_lost.empty()) text += " never lost nor tied: " + model_list(tally, existence.never_lost) + ";";
  if (!existence.never_won.empty()) text += " never won nor tied: " + model_list(tally, existence.never_won) + ";";
  if (existence.components.size() > 1) {
    text += " models split into groups, one of which never loses to another:";
    for (const auto& component : existence.components) text += " [" + model_list(tally, component) + "]";
    text += ";";
  }
  return text + " --prior W (e.g. 1) makes them exist";
}

// The fitted ratings with what both the JSON and the Markdown leaderboard show.
struct Ratings {
  std::size_t battles = 0;
  votes::FitOptions fit_options;
  votes::Fit fit;
  votes::BootstrapResult boot;
  std::vector<std::size_t> order;  // leaderboard order: rating descending, equal ratings first-seen
  // wins[i][j]: wins of i over j; ties[i][j] = ties[j][i]: ties between them.
  std::vector<std::vector<double>> wins, ties;
  double won(std::size_t m) const { return std::accumulate(wins[m].begin(), wins[m].end(), 0.0); }
  double lost(std::size_t m) const {
    double total = 0;
    for (const auto& row : wins) total += row[m];
    return total;
  }
  double tied(std::size_t m) const { return std::accumulate(ties[m].begin(), ties[m].end(), 0.0); }
};

Ratings fit_ratings(const Options& options, const Settings& settings, const Tally& tally) {
  const std::size_t models = tally.model_names().size();
  Ratings r;
  std::vector<votes::Battle> battles;
  battles.reserve(tally.rated().size());
  for (const votes::RatedVote& v : tally.rated()) {
    const Comparison& c = tally.comparisons()[v.comparison];
    battles.push_back(votes::Battle{c.a_model, c.b_model, v.vote});
  }
  r.battles = battles.size();
  r.fit_options.prior = options.prior;
  if (!settings.anchor_model.empty()) {
    for (std::size_t m = 0; m < models; ++m)
      if (model_text(tally.model_names()[m]) == settings.anchor_model) r.fit_options.anchor = m;
    if (!r.fit_options.anchor) {
      std::vector<std::size_t> all(models);
      for (std::size_t m = 0; m < models; ++m) all[m] = m;
      throw prefline::DataError(fmt::format("--anchor: no model '{}' in the votes; models: {}", settings.anchor_model,
                                            model_list(tally, all)));
    }
    r.fit_options.anchor_rating = settings.anchor_rating;
  }
  const std::vector<votes::PairOutcomes> pairs = votes::aggregate_battles(battles, models);
  r.fit = votes::fit_bradley_terry(pairs, models, r.fit_options);
  if (!r.fit.fitted) throw prefline::DataError(no_estimate_message(tally, r.fit.existence));
  r.boot = votes::bootstrap_bradley_terry(battles, models, r.fit_options, static_cast<std::size_t>(options.bootstrap),
                                          options.seed);
  r.wins.assign(models, std::vector<double>(models, 0));
  r.ties = r.wins;
  for (const votes::PairOutcomes& p : pairs) {
    r.wins[p.first][p.second] = p.counts[votes::index_of(Vote::a)];
    r.wins[p.second][p.first] = p.counts[votes::index_of(Vote::b)];
    r.ties[p.first][p.second] = r.ties[p.second][p.first] = p.counts[votes::index_of(Vote::tie)];
  }
  r.order.resize(models);
  for (std::size_t m = 0; m < models; ++m) r.order[m] = m;
  std::ranges::stable_sort(r.order, [&](std::size_t x, std::size_t y) { return r.fit.ratings[x] > r.fit.ratings[y]; });
  return r;
}

void write_ratings(prefline::Buffer& out, const Options& options, const Tally& tally, const Ratings& r) {
  prefline::JsonWriter json(out);
  json.begin_object();
  json.key("battles").integer(static_cast<std::int64_t>(r.battles));
  json.key("prior").number(options.prior);
  json.key("anchor");
  if (r.fit_options.anchor) {
    json.begin_object();
    json.key("model").raw(tally.model_names()[*r.fit_options.anchor]);
    json.key("rating").number(r.fit_options.anchor_rating);
    json.end_object();
  } else {
    json.null();
  }
  json.key("iterations").integer(static_cast<std::int64_t>(r.fit.iterations));
  json.key("bootstrap").begin_object();
  json.key("rounds").integer(static_cast<std::int64_t>(r.boot.rounds));
  json.key("failed_rounds").integer(static_cast<std::int64_t>(r.boot.failed_rounds));
  json.key("seed").integer(static_cast<std::int64_t>(options.seed));
  json.end_object();
  json.key("models").begin_array();
  for (std::size_t m : r.order) {
    json.begin_object();
    json.key("model").raw(tally.model_names()[m]);
    json.key("rating").number(r.fit.ratings[m]);
    json.key("low");
    number_or_null(json, r.boot.intervals[m].low);
    json.key("high");
    number_or_null(json, r.boot.intervals[m].high);
    json.key("battles").number(r.won(m) + r.lost(m) + r.tied(m));
    json.key("wins").number(r.won(m));
    json.key("losses").number(r.lost(m));
    json.key("ties").number(r.tied(m));
    json.end_object();
  }
  json.end_array();
  json.key("win_rate").begin_array();
  for (std::size_t m : r.order) {
    json.begin_array();
    for (std::size_t o : r.order) {
      const double n = r.wins[m][o] + r.wins[o][m] + r.ties[m][o];
      if (n > 0) json.number((r.wins[m][o] + r.ties[m][o] / 2) / n);
      else json.null();
    }
    json.end_array();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

std::string one_decimal(double value) { return fmt::format("{:.1f}", value); }

// Counts are whole numbers of votes; they print without a decimal point.
std::string count_text(double value) { return fmt::format("{}", static_cast<std::int64_t>(std::llround(value))); }

void write_ratings_markdown(prefline::Buffer& out, const Options& options, const Tally& tally, const Ratings& r) {
  std::string text = fmt::format(
      "Bradley-Terry ratings from {} battles (a tie is half a win for each side), Elo scale, ", r.battles);
  if (r.fit_options.anchor)
    text += fmt::format("{} fixed at {}", prefline::doc::escape_markdown(model_text(tally.model_names()[*r.fit_options.anchor])),
                        number_text(r.fit_options.anchor_rating));
  else
    text += "mean 1000";
  if (options.prior > 0) text += fmt::format(", prior {}", number_text(options.prior));
  if (r.boot.rounds > 0)
    text += fmt::format("; 95 % intervals from {} bootstrap rounds (seed {}{})", r.boot.rounds, options.seed,
                        r.boot.failed_rounds > 0 ? fmt::format(", {} without an estimate", r.boot.failed_rounds)
                                                 : std::string());
  text += ".\n\n";
  prefline::doc::Table table;
  table.columns = {{"Rank", true},   {"Model", false}, {"Rating", true}, {"95 % interval", false},
                   {"Battles", true}, {"Wins", true},   {"Losses", true}, {"Ties", true}};
  std::size_t rank = 0;
  for (std::size_t m : r.order) {
    const auto& interval = r.boot.intervals[m];
    const bool known = std::isfinite(interval.low) && std::isfinite(interval.high);
    table.rows.push_back({std::to_string(++rank), model_text(tally.model_names()[m]), one_decimal(r.fit.ratings[m]),
                          known ? one_decimal(interval.low) + " to " + one_decimal(interval.high) : std::string("-"),
                          count_text(r.won(m) + r.lost(m) + r.tied(m)), count_text(r.won(m)), count_text(r.lost(m)),
                          count_text(r.tied(m))});
  }
  prefline::doc::render_markdown_table(table, text);
  out.append(text);
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --stats, --ratings, --ratings-md, --rejects: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  prefline::FieldCensus census;
  std::vector<std::pair<std::string, std::size_t>> watched;  // field, census id
  const auto watch = [&](const std::string& field, std::string what) {
    watched.emplace_back(field, census.watch(field, std::move(what)));
  };
  for (const auto& field : settings.item_fields)
    watch(field, fmt::format("item field '{}' (--item {})", field, options.item));
  if (!options.criterion.empty()) watch(options.criterion, fmt::format("criterion field '{}' (--criterion)", options.criterion));
  watch(options.a, fmt::format("side field '{}' (--a)", options.a));
  watch(options.b, fmt::format("side field '{}' (--b)", options.b));
  if (settings.wide_columns.empty()) watch(settings.winner, fmt::format("winner field '{}' (--winner)", settings.winner));
  for (const auto& column : settings.wide_columns)
    watch(column, fmt::format("rater column '{}' (--wide {})", column, options.wide));
  if (!options.rater.empty()) watch(options.rater, fmt::format("rater field '{}' (--rater)", options.rater));
  if (!options.shown.empty()) watch(options.shown, fmt::format("shown-side field '{}' (--shown)", options.shown));
  if (options.pairs) {
    watch(options.prompt, fmt::format("prompt field '{}' (--prompt)", options.prompt));
    watch(options.text_a, fmt::format("text field '{}' (--text-a)", options.text_a));
    watch(options.text_b, fmt::format("text field '{}' (--text-b)", options.text_b));
  }

  // A record without a field that no record has had yet may mean a misspelt option: its error
  // waits for the end of the input, where the census names what the records have instead.
  struct Deferred {
    std::string file;
    std::uint64_t line = 0;
    std::string reason, text;
  };
  std::optional<Deferred> deferred;

  Tally tally(options, settings);
  const bool ratings = !options.ratings.empty() || !options.ratings_md.empty();
  if (!options.stats.empty() || ratings) tally.keep_votes();
  std::size_t records = 0;
  {
    simdjson::dom::parser parser;
    for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      while (lines.next(line)) {
        simdjson::dom::element record;
        std::string reason;
        if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record)) {
          reason = prefline::json_error_reason(error);
        } else if (!record.is_object()) {
          reason = "expected a JSON object";
        } else {
          ++records;
          census.record();
          if (census.wants_sample()) census.sample(line.text);
          const simdjson::dom::object object = record.get_object().value_unsafe();
          bool missing_unseen = false;
          for (const auto& [field, id] : watched) {
            simdjson::dom::element value;
            if (!object[field].get(value)) census.found(id);
            else if (census.found_count(id) == 0) missing_unseen = true;
          }
          reason = tally.add(object);
          if (!reason.empty() && missing_unseen && !options.common.skip_invalid) {
            if (!deferred) deferred = Deferred{name, line.number, std::move(reason), std::string(line.text)};
            reason.clear();
          }
        }
        if (!reason.empty()) {
          if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);
          bad.handle(name, line.number, reason, line.text);
        }
        progress.tick();
      }
    }
  }
  progress.finish();
  census.check();
  if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);

  std::array<std::size_t, 4> no_pair{0, 0, 0, 0};  // by NoPair
  std::size_t written = 0;
  const std::string generated_at =
      options.pairs ? prefline::format_iso8601_milliseconds(prefline::record_time_milliseconds()) : std::string();
  for (const Comparison& c : tally.comparisons()) {
    prefline::JsonWriter json(out.buffer());
    if (options.pairs) {
      const NoPair why = write_pair(json, options, settings, c, generated_at);
      ++no_pair[static_cast<std::size_t>(why)];
      if (why == NoPair::none) ++written;
    } else {
      write_comparison(json, options, settings, tally.rater_names(), c);
      ++written;
    }
    out.maybe_flush();
  }
  if (!options.stats.empty()) write_stats(outputs.add(options.stats).buffer(), options, settings, tally);
  if (ratings) {
    const Ratings fitted = fit_ratings(options, settings, tally);
    if (!options.ratings.empty()) write_ratings(outputs.add(options.ratings).buffer(), options, tally, fitted);
    if (!options.ratings_md.empty())
      write_ratings_markdown(outputs.add(options.ratings_md).buffer(), options, tally, fitted);
  }
  outputs.commit();
  bad.finish(tool);

  if (options.pairs) {
    prefline::RunSummary summary(tool, "comparisons", "pairs");
    summary.set_read(tally.comparisons().size());
    summary.set_written(written);
    summary.left_out("tie", no_pair[static_cast<std::size_t>(NoPair::tie)],
                     fmt::format("no side won under --rule {}{}", options.rule,
                                 options.min_margin > 1 ? fmt::format(" --min-margin {}", options.min_margin) : ""));
    summary.left_out("missing_text", no_pair[static_cast<std::size_t>(NoPair::missing_text)],
                     "a --prompt, --text-a or --text-b text missing, empty or only white space");
    summary.left_out("identical_texts", no_pair[static_cast<std::size_t>(NoPair::identical_texts)],
                     "the same text on both sides");
    summary.set_empty_reason(tally.comparisons().empty() ? "every vote record was bad (skipped)" : "");
    summary.print(options.common.quiet);
    return;
  }
  // A wide record holds several votes: the summary counts what was read, records.
  prefline::RunSummary summary(tool, settings.wide_columns.empty() ? "votes" : "records", "comparisons");
  summary.set_read(records);
  summary.set_written(written);
  summary.set_empty_reason("every vote record was bad (skipped)");
  summary.print(options.common.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--item", options.item);
        app.add_option("--a", options.a);
        app.add_option("--b", options.b);
        app.add_option("--winner", options.winner);
        app.add_option("--codes", options.codes);
        app.add_option("--rater", options.rater);
        app.add_option("--wide", options.wide);
        app.add_option("--criterion", options.criterion);
        app.add_option("--shown", options.shown);
        app.add_option("--rule", options.rule);
        app.add_option("--min-margin", options.min_margin);
        app.add_option("--stats", options.stats);
        app.add_option("--min-overlap", options.min_overlap);
        app.add_option("--ratings", options.ratings);
        app.add_option("--ratings-md", options.ratings_md);
        app.add_option("--bootstrap", options.bootstrap);
        app.add_option("--seed", options.seed);
        app.add_option("--anchor", options.anchor);
        app.add_option("--prior", options.prior);
        app.add_flag("--pairs", options.pairs);
        app.add_option("--prompt", options.prompt);
        app.add_option("--text-a", options.text_a);
        app.add_option("--text-b", options.text_b);
        app.add_option("--dataset-version", options.dataset_version);
      },
      [&] { run(options); });
}
