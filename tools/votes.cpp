// votes: pairwise votes ("a is better", "b is better", "tie") from several raters
// -> one decided comparison per (key, unordered pair of sides).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
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
#include "prefline/votes/bradley_terry.hpp"
#include "prefline/votes/pairwise_agreement.hpp"

namespace {

namespace votes = prefline::votes;
using votes::Vote;

constexpr std::string_view tool = "votes";

constexpr std::string_view help_head = R"HELP(Usage: votes [OPTIONS] [FILE...]

Combine pairwise votes ("a is better", "b is better", "tie") from several
raters into one decision per comparison. Reads JSON Lines from the FILEs or
standard input, one vote per record (the long layout: a record names the
comparison, its two sides, the winner and optionally the rater); writes one
record per comparison, in the order comparisons are first seen.

A comparison is the --item key together with the unordered pair of sides:
{"id":1,"model_a":"x","model_b":"y"} and {"id":1,"model_a":"y","model_b":"x"}
are votes on the same comparison, the second with its sides swapped back to
the order first seen.

Input fields:
      --item FIELDS       fields forming the comparison key, comma-separated
                          (default id); any JSON value
      --a FIELD           the first side's id (default model_a)
      --b FIELD           the second side's id (default model_b); a side id
                          is a string or a number, and the two differ
      --winner FIELD      the vote (default winner), a string or a number
                          read through --codes
      --codes MAP         CODE=VOTE pairs, comma-separated, VOTE one of a, b,
                          tie (default a=a,b=b,tie=tie). A CODE with a comma
                          or '=' is written in double quotes, e.g.
                          model_a=a,model_b=b,tie=tie,"tie (bothbad)"=tie.
                          A number's code is its JSON text (1, not 1.0)
      --rater FIELD       the rater, a string or a number (default: none,
                          every record is a different rater). A rater votes
                          at most once per comparison

Agreement:
      --stats FILE        write the raters' agreement as one JSON object (FILE
                          appears with the output, only when the whole run
                          succeeds): comparisons, votes, raters (null without
                          --rater), decisions {a, b, tie}; alpha {nominal,
                          ordinal, comparisons, votes}: Krippendorff's alpha
                          over the comparisons with >= 2 votes, votes coded
                          a < tie < b for ordinal; fleiss_kappa {kappa,
                          reason, comparisons, votes_per_comparison}: kappa
                          is null, with the reason, unless every comparison
                          has the same number (>= 2) of votes; cohen_kappa:
                          [{raters, shared, agreement, kappa}] for every pair
                          of raters sharing >= --min-overlap comparisons;
                          per_rater: [{rater, votes, ties, tie_rate,
                          compared, agreed, agreement}], agreement with the
                          majority of the other raters' votes on the same
                          comparison (comparisons voted on alone are not
                          compared). cohen_kappa and per_rater need --rater
                          (empty without it). An undefined value is null
      --min-overlap N     shared comparisons a pair of raters needs for
                          Cohen's kappa (default 5)

Ratings:
      --ratings FILE      write model ratings as one JSON object (FILE appears
                          with the output): Bradley-Terry fitted by maximum
                          likelihood to every vote, a tie half a win for each
                          side, on the Elo scale (400 / ln 10 points per
                          logit), mean rating 1000 unless --anchor; Newton
                          steps until every log-strength moves < 1e-10.
                          {battles, prior, anchor, iterations, bootstrap
                          {rounds, failed_rounds, seed}, models: [{model,
                          rating, low, high, battles, wins, losses, ties}]
                          by rating (equal ratings in first-seen order),
                          win_rate: rows and columns in the models' order,
                          (wins + ties / 2) / battles, null if none}. When
                          the estimate does not exist (a model never lost
                          or never won, or models split into groups that
                          never lose to one another) exit 1 naming them
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

Decision (majority): the side with strictly more votes than the other side
wins; equal votes for a and b give a tie. Tie votes never decide and never
block: {a: 1, b: 0, tie: 5} is a win for a.

)HELP";

constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .skip_invalid = "skip bad vote records instead of stopping at the first one; at the end "
                    "'votes: skipped N invalid records' goes to stderr, exit 0"};

constexpr std::string_view help_tail = R"HELP(
Output record: {<--item fields>, "a", "b", "votes": {"a", "b", "tie", "n"},
"winner", "margin", "agreement", "raters"}: "a" and "b" are the side ids in
the order first seen; "winner" is "a", "b" or "tie"; "margin" is |votes for
a - votes for b|; "agreement" the share of the n votes that equal the
decision (a tie decision counts the tie votes); "raters" the --rater values
in input order (left out without --rater).

Bad records: not a JSON object, invalid JSON, an --item field missing, a side
or rater missing or not a string or number, the same id on both sides, a
winner missing or not in --codes, a rater voting twice on one comparison.
A field that no record has is an error (exit 1) naming what records have.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'votes: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

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
  std::string winner = "winner";
  std::string codes = "a=a,b=b,tie=tie";
  std::string rater;
  std::string stats;
  long long min_overlap = 5;
  std::string ratings;
  long long bootstrap = 0;
  std::uint64_t seed = 0;
  std::string anchor;
  double prior = 0;
};

struct Settings {
  std::vector<std::string> item_fields;
  std::unordered_map<std::string, Vote> codes;  // by the winner's text
  std::string anchor_model;                     // empty: the mean rating is 1000
  double anchor_rating = 1000;
};

// Splits CODE=VOTE pairs; a double-quoted CODE may hold commas and '='.
std::unordered_map<std::string, Vote> parse_codes(std::string_view text) {
  std::unordered_map<std::string, Vote> codes;
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
  if (options.winner.empty()) throw prefline::UsageError("--winner needs a field name");
  if (options.a == options.b) throw prefline::UsageError("--a and --b must be different fields");
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
  settings.codes = parse_codes(options.codes);
  return settings;
}

struct Comparison {
  std::vector<std::string> key_json;  // the --item values, compact JSON, from the first vote
  std::string a_json, b_json;
  std::string a_key;                  // typed key of side a, to recognise swapped votes
  std::size_t a_model = 0, b_model = 0;  // indexes into Tally::model_names()
  std::array<std::size_t, votes::vote_kinds> counts{0, 0, 0};
  std::vector<std::string> raters_json;
};

std::string side_key(simdjson::dom::element value) {
  std::string key;
  prefline::append_key_part(key, value);
  return key;
}

bool is_id(simdjson::dom::element value) { return value.is_string() || value.is_number(); }

class Tally {
 public:
  Tally(const Options& options, const Settings& settings) : options_(options), settings_(settings) {}

  // Adds one vote record; returns why it is bad, or "" when it counted.
  std::string add(simdjson::dom::object record) {
    std::string key;
    std::vector<std::string> key_json;
    key_json.reserve(settings_.item_fields.size());
    for (const auto& field : settings_.item_fields) {
      simdjson::dom::element value;
      if (record[field].get(value)) return fmt::format("the --item field '{}' is missing", field);
      prefline::append_key_part(key, value);
      key_json.emplace_back(simdjson::minify(value));
    }
    simdjson::dom::element a, b, winner, rater;
    if (record[options_.a].get(a)) return fmt::format("the side field '{}' (--a) is missing", options_.a);
    if (record[options_.b].get(b)) return fmt::format("the side field '{}' (--b) is missing", options_.b);
    if (!is_id(a)) return fmt::format("'{}' is {}, not a string or number", options_.a, prefline::type_name(a));
    if (!is_id(b)) return fmt::format("'{}' is {}, not a string or number", options_.b, prefline::type_name(b));
    if (record[options_.winner].get(winner)) return fmt::format("the winner field '{}' is missing", options_.winner);
    const bool has_rater = !options_.rater.empty();
    if (has_rater) {
      if (record[options_.rater].get(rater)) return fmt::format("the rater field '{}' is missing", options_.rater);
      if (!is_id(rater))
        return fmt::format("'{}' is {}, not a string or number", options_.rater, prefline::type_name(rater));
    }
    std::string code;
    if (winner.is_string()) code = std::string(winner.get_string().value_unsafe());
    else if (winner.is_number()) code = std::string(simdjson::minify(winner));
    else return fmt::format("'{}' is {}, not a string or number", options_.winner, prefline::type_name(winner));
    const auto found = settings_.codes.find(code);
    if (found == settings_.codes.end())
      return fmt::format("'{}' is {}, which --codes {} does not name", options_.winner, simdjson::minify(winner),
                         options_.codes);
    Vote vote = found->second;

    std::string a_key = side_key(a);
    std::string b_key = side_key(b);
    if (a_key == b_key) return fmt::format("the same side {} on both sides", simdjson::minify(a));
    // The unordered pair: the smaller typed key first.
    const bool swapped_key = b_key < a_key;
    prefline::append_key_part(key, prefline::key_tag::json, swapped_key ? b_key : a_key);
    prefline::append_key_part(key, prefline::key_tag::json, swapped_key ? a_key : b_key);

    auto [it, inserted] = index_.try_emplace(std::move(key), comparisons_.size());
    if (inserted) {
      Comparison& c = comparisons_.emplace_back();
      c.key_json = std::move(key_json);
      c.a_json = std::string(simdjson::minify(a));
      c.b_json = std::string(simdjson::minify(b));
      c.a_key = a_key;
      c.a_model = model_index(a_key, a);
      c.b_model = model_index(b_key, b);
    }
    Comparison& c = comparisons_[it->second];
    std::size_t rater_index = votes_;  // without --rater every vote is its own rater
    if (has_rater) {
      std::string seen = std::to_string(it->second);
      prefline::append_key_part(seen, rater);
      if (!rater_votes_.insert(std::move(seen)).second)
        return fmt::format("the rater {} voted twice on this comparison", simdjson::minify(rater));
      c.raters_json.emplace_back(simdjson::minify(rater));
      auto [r, new_rater] = rater_index_.try_emplace(side_key(rater), rater_names_.size());
      if (new_rater) rater_names_.emplace_back(simdjson::minify(rater));
      rater_index = r->second;
    }
    // A vote given with the sides in the other order counts for the same side by id.
    if (a_key != c.a_key) {
      if (vote == Vote::a) vote = Vote::b;
      else if (vote == Vote::b) vote = Vote::a;
    }
    ++c.counts[votes::index_of(vote)];
    if (keep_votes_) rated_.push_back(votes::RatedVote{it->second, rater_index, vote});
    ++votes_;
    return {};
  }

  const std::vector<Comparison>& comparisons() const { return comparisons_; }
  std::size_t vote_count() const { return votes_; }
  // The votes one by one (comparison, rater, vote), kept only when asked: the tallies alone need
  // memory per comparison, not per vote.
  void keep_votes() { keep_votes_ = true; }
  const std::vector<votes::RatedVote>& rated() const { return rated_; }
  const std::vector<std::string>& rater_names() const { return rater_names_; }
  const std::vector<std::string>& model_names() const { return model_names_; }
  std::size_t rater_count() const { return options_.rater.empty() ? votes_ : rater_names_.size(); }

 private:
  std::size_t model_index(const std::string& key, simdjson::dom::element value) {
    auto [it, inserted] = model_index_.try_emplace(key, model_names_.size());
    if (inserted) model_names_.emplace_back(simdjson::minify(value));
    return it->second;
  }

  const Options& options_;
  const Settings& settings_;
  std::vector<Comparison> comparisons_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_set<std::string> rater_votes_;
  std::unordered_map<std::string, std::size_t> rater_index_;
  std::vector<std::string> rater_names_;  // compact JSON, first-seen order
  std::unordered_map<std::string, std::size_t> model_index_;
  std::vector<std::string> model_names_;  // compact JSON, first-seen order
  std::vector<votes::RatedVote> rated_;
  bool keep_votes_ = false;
  std::size_t votes_ = 0;
};

void write_comparison(prefline::JsonWriter& json, const Settings& settings, const Comparison& c, bool with_raters) {
  const std::size_t va = c.counts[votes::index_of(Vote::a)];
  const std::size_t vb = c.counts[votes::index_of(Vote::b)];
  const std::size_t vt = c.counts[votes::index_of(Vote::tie)];
  const std::size_t n = va + vb + vt;
  const Vote decision = votes::majority(va, vb);
  json.begin_object();
  for (std::size_t i = 0; i < settings.item_fields.size(); ++i) json.key(settings.item_fields[i]).raw(c.key_json[i]);
  json.key("a").raw(c.a_json);
  json.key("b").raw(c.b_json);
  json.key("votes").begin_object();
  json.key("a").integer(static_cast<std::int64_t>(va));
  json.key("b").integer(static_cast<std::int64_t>(vb));
  json.key("tie").integer(static_cast<std::int64_t>(vt));
  json.key("n").integer(static_cast<std::int64_t>(n));
  json.end_object();
  json.key("winner").string(decision == Vote::a ? "a" : decision == Vote::b ? "b" : "tie");
  json.key("margin").integer(static_cast<std::int64_t>(va > vb ? va - vb : vb - va));
  json.key("agreement").number(static_cast<double>(c.counts[votes::index_of(decision)]) / static_cast<double>(n));
  if (with_raters) {
    json.key("raters").begin_array();
    for (const auto& rater : c.raters_json) json.raw(rater);
    json.end_array();
  }
  json.end_object();
  json.end_record();
}

// A statistic that may be undefined (NaN) is written as null.
void number_or_null(prefline::JsonWriter& json, double value) {
  if (std::isfinite(value)) json.number(value);
  else json.null();
}

void write_stats(prefline::Buffer& out, const Options& options, const Tally& tally) {
  const auto& rated = tally.rated();
  const std::size_t comparisons = tally.comparisons().size();
  const std::size_t raters = tally.rater_count();
  const bool named_raters = !options.rater.empty();
  prefline::JsonWriter json(out);
  json.begin_object();
  json.key("comparisons").integer(static_cast<std::int64_t>(comparisons));
  json.key("votes").integer(static_cast<std::int64_t>(tally.vote_count()));
  json.key("raters");
  if (named_raters) json.integer(static_cast<std::int64_t>(raters));
  else json.null();
  std::array<std::size_t, votes::vote_kinds> decisions{0, 0, 0};
  for (const Comparison& c : tally.comparisons())
    ++decisions[votes::index_of(votes::majority(c.counts[votes::index_of(Vote::a)], c.counts[votes::index_of(Vote::b)]))];
  json.key("decisions").begin_object();
  json.key("a").integer(static_cast<std::int64_t>(decisions[votes::index_of(Vote::a)]));
  json.key("b").integer(static_cast<std::int64_t>(decisions[votes::index_of(Vote::b)]));
  json.key("tie").integer(static_cast<std::int64_t>(decisions[votes::index_of(Vote::tie)]));
  json.end_object();

  const auto nominal = votes::vote_alpha(rated, comparisons, prefline::agreement::Metric::nominal);
  const auto ordinal = votes::vote_alpha(rated, comparisons, prefline::agreement::Metric::ordinal);
  json.key("alpha").begin_object();
  json.key("nominal");
  number_or_null(json, nominal.alpha);
  json.key("ordinal");
  number_or_null(json, ordinal.alpha);
  json.key("comparisons").integer(static_cast<std::int64_t>(nominal.units));
  json.key("votes").integer(static_cast<std::int64_t>(nominal.pairable_values));
  json.end_object();

  const votes::FleissKappa fleiss = votes::vote_fleiss_kappa(rated, comparisons, raters);
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

  // Cohen's kappa and per-rater figures need to know who voted: only with --rater.
  json.key("min_overlap").integer(options.min_overlap);
  json.key("cohen_kappa").begin_array();
  if (named_raters) {
    for (const votes::PairKappa& pair :
         votes::pairwise_cohen_kappa(rated, comparisons, raters, static_cast<std::size_t>(options.min_overlap))) {
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
  if (named_raters) {
    const auto per_rater = votes::rater_votes(rated, comparisons, raters);
    for (std::size_t r = 0; r < raters; ++r) {
      const votes::RaterVotes& v = per_rater[r];
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

void write_ratings(prefline::Buffer& out, const Options& options, const Settings& settings, const Tally& tally) {
  const std::size_t models = tally.model_names().size();
  std::vector<votes::Battle> battles;
  battles.reserve(tally.rated().size());
  for (const votes::RatedVote& v : tally.rated()) {
    const Comparison& c = tally.comparisons()[v.comparison];
    battles.push_back(votes::Battle{c.a_model, c.b_model, v.vote});
  }
  votes::FitOptions fit_options;
  fit_options.prior = options.prior;
  if (!settings.anchor_model.empty()) {
    for (std::size_t m = 0; m < models; ++m)
      if (model_text(tally.model_names()[m]) == settings.anchor_model) fit_options.anchor = m;
    if (!fit_options.anchor) {
      std::vector<std::size_t> all(models);
      for (std::size_t m = 0; m < models; ++m) all[m] = m;
      throw prefline::DataError(fmt::format("--anchor: no model '{}' in the votes; models: {}", settings.anchor_model,
                                            model_list(tally, all)));
    }
    fit_options.anchor_rating = settings.anchor_rating;
  }
  const std::vector<votes::PairOutcomes> pairs = votes::aggregate_battles(battles, models);
  const votes::Fit fit = votes::fit_bradley_terry(pairs, models, fit_options);
  if (!fit.fitted) throw prefline::DataError(no_estimate_message(tally, fit.existence));
  const votes::BootstrapResult boot = votes::bootstrap_bradley_terry(
      battles, models, fit_options, static_cast<std::size_t>(options.bootstrap), options.seed);

  // wins[i][j]: wins of i over j, ties counted apart.
  std::vector<std::vector<double>> wins(models, std::vector<double>(models, 0)), ties = wins;
  for (const votes::PairOutcomes& p : pairs) {
    wins[p.first][p.second] = p.counts[votes::index_of(Vote::a)];
    wins[p.second][p.first] = p.counts[votes::index_of(Vote::b)];
    ties[p.first][p.second] = ties[p.second][p.first] = p.counts[votes::index_of(Vote::tie)];
  }
  // Leaderboard order: rating descending, equal ratings in first-seen order.
  std::vector<std::size_t> order(models);
  for (std::size_t m = 0; m < models; ++m) order[m] = m;
  std::ranges::stable_sort(order, [&](std::size_t x, std::size_t y) { return fit.ratings[x] > fit.ratings[y]; });

  prefline::JsonWriter json(out);
  json.begin_object();
  json.key("battles").integer(static_cast<std::int64_t>(battles.size()));
  json.key("prior").number(options.prior);
  json.key("anchor");
  if (fit_options.anchor) {
    json.begin_object();
    json.key("model").raw(tally.model_names()[*fit_options.anchor]);
    json.key("rating").number(fit_options.anchor_rating);
    json.end_object();
  } else {
    json.null();
  }
  json.key("iterations").integer(static_cast<std::int64_t>(fit.iterations));
  json.key("bootstrap").begin_object();
  json.key("rounds").integer(static_cast<std::int64_t>(boot.rounds));
  json.key("failed_rounds").integer(static_cast<std::int64_t>(boot.failed_rounds));
  json.key("seed").integer(static_cast<std::int64_t>(options.seed));
  json.end_object();
  json.key("models").begin_array();
  for (std::size_t m : order) {
    double won = 0, lost = 0, tied = 0;
    for (std::size_t o = 0; o < models; ++o) {
      won += wins[m][o];
      lost += wins[o][m];
      tied += ties[m][o];
    }
    json.begin_object();
    json.key("model").raw(tally.model_names()[m]);
    json.key("rating").number(fit.ratings[m]);
    json.key("low");
    number_or_null(json, boot.intervals[m].low);
    json.key("high");
    number_or_null(json, boot.intervals[m].high);
    json.key("battles").number(won + lost + tied);
    json.key("wins").number(won);
    json.key("losses").number(lost);
    json.key("ties").number(tied);
    json.end_object();
  }
  json.end_array();
  json.key("win_rate").begin_array();
  for (std::size_t m : order) {
    json.begin_array();
    for (std::size_t o : order) {
      const double n = wins[m][o] + wins[o][m] + ties[m][o];
      if (n > 0) json.number((wins[m][o] + ties[m][o] / 2) / n);
      else json.null();
    }
    json.end_array();
  }
  json.end_array();
  json.end_object();
  json.end_record();
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --rejects: all or none
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
  watch(options.a, fmt::format("side field '{}' (--a)", options.a));
  watch(options.b, fmt::format("side field '{}' (--b)", options.b));
  watch(options.winner, fmt::format("winner field '{}' (--winner)", options.winner));
  if (!options.rater.empty()) watch(options.rater, fmt::format("rater field '{}' (--rater)", options.rater));

  // A record without a field that no record has had yet may mean a misspelt option: its error
  // waits for the end of the input, where the census names what the records have instead.
  struct Deferred {
    std::string file;
    std::uint64_t line = 0;
    std::string reason, text;
  };
  std::optional<Deferred> deferred;

  Tally tally(options, settings);
  if (!options.stats.empty() || !options.ratings.empty()) tally.keep_votes();
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

  for (const Comparison& c : tally.comparisons()) {
    prefline::JsonWriter json(out.buffer());
    write_comparison(json, settings, c, !options.rater.empty());
    out.maybe_flush();
  }
  if (!options.stats.empty()) write_stats(outputs.add(options.stats).buffer(), options, tally);
  if (!options.ratings.empty()) write_ratings(outputs.add(options.ratings).buffer(), options, settings, tally);
  outputs.commit();
  bad.finish(tool);

  prefline::RunSummary summary(tool, "votes", "comparisons");
  summary.set_read(records);
  summary.set_written(tally.comparisons().size());
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
        app.add_option("--stats", options.stats);
        app.add_option("--min-overlap", options.min_overlap);
        app.add_option("--ratings", options.ratings);
        app.add_option("--bootstrap", options.bootstrap);
        app.add_option("--seed", options.seed);
        app.add_option("--anchor", options.anchor);
        app.add_option("--prior", options.prior);
      },
      [&] { run(options); });
}
