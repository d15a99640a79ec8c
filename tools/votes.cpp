// votes: pairwise votes ("a is better", "b is better", "tie") from several raters
// -> one decided comparison per (key, unordered pair of sides). The tool is its
// story: the help, then run (read the votes, write the comparisons or pairs, the
// --stats and the ratings), then main; the stages live in lib/prefline/votes/.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/timestamp.hpp"
#include "prefline/votes/agreement_report.hpp"
#include "prefline/votes/comparison_record.hpp"
#include "prefline/votes/pair_writer.hpp"
#include "prefline/votes/ratings.hpp"
#include "prefline/votes/ratings_markdown.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"
#include "prefline/votes/vote_reader.hpp"

namespace {

namespace votes = prefline::votes;
using votes::Options;
using votes::Settings;

constexpr std::string_view tool = votes::tool_name;

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

void run(const Options& options) {
  const Settings settings = votes::make_settings(options);
  prefline::OutputSet outputs;  // -o, --stats, --ratings, --ratings-md, --rejects: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  votes::VoteFieldCensus census(options, settings);

  // A record without a field that no record has had yet may mean a misspelt option: its error
  // waits for the end of the input, where the census names what the records have instead.
  struct Deferred {
    std::string file;
    std::uint64_t line = 0;
    std::string reason, text;
  };
  std::optional<Deferred> deferred;

  votes::Tally tally(options, settings);
  const bool ratings = !options.ratings.empty() || !options.ratings_md.empty();
  if (!options.stats.empty() || ratings) tally.keep_votes();
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
          const simdjson::dom::object object = record.get_object().value_unsafe();
          const bool missing_unseen = census.record(object, line.text);
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

  std::optional<votes::PairWriter> pairs;
  if (options.pairs)
    pairs.emplace(options, settings, prefline::format_iso8601_milliseconds(prefline::record_time_milliseconds()));
  for (const votes::Comparison& c : tally.comparisons()) {
    prefline::JsonWriter json(out.buffer());
    if (pairs) pairs->write(json, c);
    else votes::write_comparison(json, options, settings, tally.rater_names(), c);
    out.maybe_flush();
  }
  if (!options.stats.empty())
    votes::write_agreement_report(outputs.add(options.stats).buffer(), options, settings, tally);
  if (ratings) {
    const votes::Ratings fitted = votes::fit_ratings(options, settings, tally);
    if (!options.ratings.empty()) votes::write_ratings(outputs.add(options.ratings).buffer(), options, tally, fitted);
    if (!options.ratings_md.empty())
      votes::write_ratings_markdown(outputs.add(options.ratings_md).buffer(), options, tally, fitted);
  }
  outputs.commit();
  bad.finish(tool);

  if (pairs) {
    pairs->summary(tally.comparisons().size()).print(options.common.quiet);
    return;
  }
  // A wide record holds several votes: the summary counts what was read, records.
  prefline::RunSummary summary(tool, settings.wide_columns.empty() ? "votes" : "records", "comparisons");
  summary.set_read(census.records());
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
