// report: judged turns, pair records or item records -> a Markdown report for
// people to read before they train (and, with --html, the same report as one
// self-contained HTML page with SVG charts).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/report/document.hpp"
#include "prefline/report/html_page.hpp"
#include "prefline/report/item_report.hpp"
#include "prefline/report/judged_report.hpp"
#include "prefline/report/key_value_table.hpp"
#include "prefline/report/markdown.hpp"
#include "prefline/report/number_format.hpp"
#include "prefline/report/pair_report.hpp"
#include "prefline/report/record_kind.hpp"
#include "prefline/schema/records.hpp"

namespace {

namespace doc = prefline::doc;
namespace report = prefline::report;
using report::Kind;
using report::NumberFormat;

constexpr std::string_view tool = "report";

constexpr std::string_view help_head = R"(Usage: report [OPTIONS] [FILE...]

Write a Markdown report on judged turns (duel-judge output, routed by
bucket), pair records (pairup output) or item records (consensus output),
for people to read before they train. Reads JSON Lines from the FILEs or
standard input; writes Markdown to standard output (or -o FILE) and, with
--html, the same report as one HTML page with charts.

What the report shows, by kind of record:
  judged  records with a 'duel' object: totals (turns, parsed, not parsed,
          with and without a score); score and delta statistics; turns per
          bucket, with share and scores; a score histogram (with the
          bucket edges when --edges gives them); per-metric means
          (duel.by_metric) and per-judge mean scores (duel.by_judge) over
          the turns with a score (as duel-judge's stats); the --duel-stats
          file; the turns with the highest scores (score, id, bucket, each
          by_metric value, and FILE:LINE)
  pairs   records with 'metadata', 'chosen' and 'rejected': totals; pairs
          per group; score_difference statistics and histogram; how often
          each candidate is chosen and rejected; chosen and rejected mean
          scores per key of chosen_scores / rejected_scores
  items   records with 'scores' and 'vote_count': totals; items per
          vote_count; flags and the flagged items; statistics and a
          histogram of overall and of each dimension's 'mean'
  Without --kind, each record's kind is detected from its fields, in this
  order: 'duel' -> judged; 'metadata' + 'chosen' + 'rejected' -> pairs;
  'scores' + 'vote_count' -> items. One report covers one kind: a record of
  another kind than the first valid record, or of no kind, is a bad record.
  No records at all: a report that says so.

Options:
      --kind KIND         judged, pairs or items: report this kind; records
                          without its fields are bad records (default auto:
                          detected as above)
      --title TEXT        the report's title (default, also for an empty
                          TEXT: 'prefline report: ' and 'judged turns',
                          'pair records' or 'item records')
      --max-rows N        at most N rows in each table that lists records or
                          names (turns, flagged items, groups, candidates);
                          the report says how many more there are (default
                          20; 0 leaves those tables out)
      --decimals N        decimals of every number in a table that is not a
                          count (scores, means, minimums...), 0-9 (default 2)
      --html FILE         also write the report as one HTML page: the same
                          headings, text and tables, with SVG charts
                          (histograms, bars); inline CSS and SVG, no script,
                          no external URL, no web font. FILE appears only
                          when the tool succeeds
      --duel-stats FILE   a JSON object (duel-judge's --stats file) shown as
                          a key/value table in file order: nested objects as
                          dotted keys, a list of plain values as "a, b, c",
                          other arrays as compact JSON

Judged turns:
      --id FIELDS         the field, or comma list of fields, naming a turn
                          in the turns table (default: id when a turn has
                          it, else no id column; duel-judge's example
                          turns: instance_id,turn): strings or numbers
                          (other values are shown as compact JSON), joined
                          by ' / '
      --bucket-field FIELD  the field bucket added (default bucket; bucket
                          --bucket-field): a string; missing or null counts
                          as '(no bucket)'
      --edges E1,E2,...   the bucket edges (bucket --edges): marked in the
                          histogram and naming its bands; each edge belongs
                          to the band above it, as in bucket. Increasing
                          numbers, each > 0 and < 100. Default: none (the
                          records name their bucket, not its edges), so no
                          edge is drawn. A bucket whose scores straddle an
                          edge is named on stderr (unless --quiet)
      --bin-width N       the score histogram's bin width, a whole number
                          1-100 (default 10): bins start at 0, are split at
                          each edge, and the last one ends at 100
                          (inclusive)
  Given explicitly, --id and --bucket-field must name a field some judged
  turn has: else an error (exit 1) listing the fields seen.

Pair records:
      --group FIELD       the group field in metadata (default: the first
                          pair's one metadata key that is not chosen_*,
                          rejected_*, score_difference, dataset_version or
                          generated_at; if it has not exactly one, challenge)
      --candidate FIELD   the candidate field: metadata holds chosen_FIELD and
                          rejected_FIELD (default: the first pair's one X
                          with a chosen_X other than chosen_scores; if it has
                          not exactly one, model)

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .output = "write the Markdown to FILE instead of standard output; FILE appears only "
              "when the tool succeeds",
    .skip_invalid = "skip bad records instead of stopping at the first one; at the end "
                    "'report: skipped N invalid records' goes to stderr (the report "
                    "says it too), exit 0"};

constexpr std::string_view help_tail = R"(
Numbers: counts are whole numbers. Every other number in a table (a score,
a metric, a minimum, a maximum, a mean, a standard deviation, a median) is
rounded to --decimals places like printf's %.Nf (the binary value rounded to
nearest, ties to even; -0 is written 0), so a column has one number of
decimals. In text (bin labels, edges) values are printed in the shortest form
that reads back as the same number (83.3333, 5, 0.75). A mean is a compensated sum divided by n, sd the sample standard
deviation (n - 1; 0 for one value), a median the middle value or the mean of
the two middle ones. Shares are percentages with one decimal of the total the
table names. '—' marks a missing value. A bar of '█' is count / largest count
x 30 characters, rounded to nearest, at least one for a count above 0.
Histograms of pairs and items have bins of a width 1, 2 or 5 x 10^k, chosen to
give at most 10 bins from the lowest to the highest value; a bin holds
low <= value < high, the last one also its high.

Fields read (all others, duel.judgements included, are not read):
  judged  duel.score (a number 0-100, or null: not parsed), duel.parsed
          (true or false); optional: duel.delta (a number or null),
          duel.by_metric and duel.by_judge (objects of numbers or null), the
          --id and --bucket-field fields
  pairs   metadata.GROUP, metadata.chosen_CANDIDATE and
          metadata.rejected_CANDIDATE (strings or numbers),
          metadata.score_difference (a number), metadata.chosen_scores and
          metadata.rejected_scores (objects of numbers or null; optional);
          'chosen' and 'rejected' must be there but are not read
  items   the fields before 'scores' (the item key, columns of the flagged
          items table, named after the first item), scores.DIM.mean (a
          number or null), overall (a number or null; optional), vote_count
          (a whole number >= 0), flags and raters (arrays of strings;
          optional)
Bad records: invalid JSON or UTF-8, not an object, a duplicate key among the
fields read, a field read of the wrong type, a score outside 0-100, a record
of another kind. Blank lines are skipped.

Memory: judged turns are reported in constant memory (counts, sums, and the
--max-rows turns shown); pair and item reports keep each record's numbers (8
bytes per number, for medians and histograms) and one entry per group,
candidate, rater and name.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'report: FILE:LINE: reason'), an unreadable
     --duel-stats file, an --id or --bucket-field no turn has, or a runtime
     error
  2  bad option or option value (nothing is read)

Example (the duel of examples/duel):
  duel-judge --stats duel.json turns.jsonl > judged.jsonl
  bucket --score duel.score --edges 66,80 --names defeat,refined,final judged.jsonl > routed.jsonl
  report --duel-stats duel.json --edges 66,80 --id instance_id,turn --html report.html routed.jsonl > report.md
)";

struct Options {
  prefline::CommonOptions common;
  std::string kind = "auto";
  std::string title;
  long long max_rows = 20;
  int decimals = 2;
  std::string html;
  std::string duel_stats;
  std::string id = std::string(prefline::schema::report::id);
  CLI::Option* id_option = nullptr;
  std::string bucket_field = std::string(prefline::schema::routed::bucket);
  CLI::Option* bucket_field_option = nullptr;
  std::string edges;
  int bin_width = 10;
  std::string group;
  std::string candidate;
};

// The options checked and turned into what the report builders take.
struct Settings {
  std::optional<Kind> kind;  // empty: detected
  std::size_t max_rows = 0;
  report::JudgedReport::Settings judged;
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (options.kind == "judged") settings.kind = Kind::judged;
  else if (options.kind == "pairs") settings.kind = Kind::pairs;
  else if (options.kind == "items") settings.kind = Kind::items;
  else if (options.kind != "auto")
    throw prefline::UsageError(fmt::format("--kind: '{}' is not auto, judged, pairs or items", options.kind));
  if (options.max_rows < 0) throw prefline::UsageError("--max-rows must be 0 or more");
  settings.max_rows = static_cast<std::size_t>(options.max_rows);
  report::JudgedReport::Settings& judged = settings.judged;
  judged.max_rows = settings.max_rows;
  if (options.decimals < 0 || options.decimals > 9)
    throw prefline::UsageError(fmt::format("--decimals must be 0 to 9, not '{}'", options.decimals));
  if (options.html == "-") throw prefline::UsageError("--html needs a file name (standard output gets the Markdown)");
  if (!options.html.empty() && (options.html == options.common.output || options.html == options.common.rejects))
    throw prefline::UsageError(fmt::format("--html names the same file '{}' as --output or --rejects", options.html));
  if (!options.duel_stats.empty() && options.duel_stats == options.common.rejects)
    throw prefline::UsageError(fmt::format("--duel-stats and --rejects name the same file '{}'", options.duel_stats));
  judged.id_fields = prefline::split_list(options.id);
  judged.id_given = options.id_option->count() > 0;
  for (const std::string& field : judged.id_fields)
    if (field.empty()) throw prefline::UsageError(fmt::format("--id: empty field name in '{}'", options.id));
  if (options.bucket_field.empty()) throw prefline::UsageError("--bucket-field needs a field name");
  judged.bucket_field = options.bucket_field;
  const std::vector<std::string> edges =
      options.edges.empty() ? std::vector<std::string>{} : prefline::split_list(options.edges);
  for (const std::string& part : edges) {
    const double edge = prefline::parse_number("--edges", part);
    if (!(edge > report::score_low && edge < report::score_high))
      throw prefline::UsageError(fmt::format("--edges: '{}' is not between 0 and 100 (exclusive)", part));
    if (!judged.edges.empty() && !(edge > judged.edges.back()))
      throw prefline::UsageError(fmt::format("--edges must increase: '{}' follows {}", part, judged.edges.back()));
    judged.edges.push_back(edge == 0 ? 0.0 : edge);
  }
  if (options.bin_width < 1 || options.bin_width > 100)
    throw prefline::UsageError(fmt::format("--bin-width must be a whole number from 1 to 100, not '{}'", options.bin_width));
  judged.bin_width = options.bin_width;
  if (!options.group.empty() && options.group == options.candidate)
    throw prefline::UsageError("--group and --candidate must be different fields");
  return settings;
}

// The --duel-stats file: a JSON object, as a key/value table.
doc::Table read_duel_stats(const std::string& path) {
  prefline::InputFile input(path);
  std::string text;
  char chunk[1 << 16];
  for (std::size_t got; (got = input.read_some(chunk, sizeof chunk)) > 0;) text.append(chunk, got);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text).get(root))
    throw prefline::DataError(fmt::format("{}: {}", path, prefline::json_error_reason(error)));
  if (!root.is_object())
    throw prefline::DataError(fmt::format("{}: expected a JSON object, found {}", path, prefline::type_name(root)));
  return report::key_value_table(prefline::object_of(root));
}

// "a.jsonl, b.jsonl and standard input".
std::string file_list(const std::vector<std::string>& files) {
  std::string list;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i > 0) list += i + 1 == files.size() ? " and " : ", ";
    list += files[i] == prefline::stdin_name ? std::string("standard input") : files[i];
  }
  return list;
}

// One builder per kind; the kind of the report is that of the first valid
// record (or --kind).
struct Builders {
  Builders(const Options& options, const Settings& settings)
      : judged(settings.judged),
        pairs(options.group, options.candidate, settings.max_rows),
        items(settings.max_rows) {}

  std::string add(Kind kind, const report::Record& record, const report::Origin& origin) {
    switch (kind) {
      case Kind::judged: return judged.add(record, origin);
      case Kind::pairs: return pairs.add(record);
      case Kind::items: return items.add(record);
    }
    return {};
  }

  report::JudgedReport judged;
  report::PairReport pairs;
  report::ItemReport items;
};

void run(const Options& options) {
  // Options, then every file this run writes, before any input is read.
  const Settings settings = make_settings(options);
  const NumberFormat numbers(options.decimals);
  std::optional<doc::Table> duel_stats;
  if (!options.duel_stats.empty()) duel_stats = read_duel_stats(options.duel_stats);
  prefline::OutputSet outputs;  // -o, --rejects, --html: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::Output* html = options.html.empty() ? nullptr : &outputs.add(options.html);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  // Read: every valid record goes to the builder of its kind.
  const std::vector<std::string> files = prefline::inputs_or_stdin(options.common.files);
  const report::RecordScanner scanner(options.bucket_field, settings.judged.id_fields);
  Builders builders(options, settings);
  std::optional<Kind> kind = settings.kind;
  std::string first_record;  // FILE:LINE of the record that fixed the kind
  std::uint64_t order = 0;
  simdjson::dom::parser parser;
  report::Record record;
  // The fields --id and --bucket-field name, when given: some judged turn must have them.
  prefline::FieldCensus census;
  const bool bucket_given = options.bucket_field_option->count() > 0;
  if (bucket_given) census.watch(options.bucket_field, fmt::format("--bucket-field '{}'", options.bucket_field));
  if (settings.judged.id_given)
    for (const std::string& field : settings.judged.id_fields) census.watch(field, fmt::format("--id field '{}'", field));
  for (const auto& name : files) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      progress.tick();
      auto reason = [&]() -> std::string {
        simdjson::dom::element root;
        if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(root))
          return prefline::json_error_reason(error);
        if (!root.is_object()) return fmt::format("expected a JSON object, found {}", prefline::type_name(root));
        if (auto reason = scanner.scan(prefline::object_of(root), record); !reason.empty()) return reason;
        Kind this_kind = Kind::judged;  // set by record_kind when it returns no reason
        if (auto reason = report::record_kind(record, settings.kind, kind, first_record, this_kind); !reason.empty())
          return reason;
        if (auto reason = builders.add(this_kind, record, {name, line.number, order}); !reason.empty()) return reason;
        if (!kind) {
          kind = this_kind;
          first_record = fmt::format("{}:{}", name, line.number);
        }
        if (this_kind == Kind::judged) {
          census.record();
          if (census.wants_sample()) census.sample(line.text);
          std::size_t id = 0;
          if (bucket_given && record.bucket) census.found(id);
          if (bucket_given) ++id;
          if (settings.judged.id_given)
            for (const auto& field : record.ids) {
              if (field) census.found(id);
              ++id;
            }
        }
        return {};
      }();
      if (!reason.empty()) bad.handle(name, line.number, reason, line.text);
      else ++order;
    }
  }
  progress.finish();
  census.check();
  if (kind == Kind::judged && !options.common.quiet)
    for (const std::string& conflict : builders.judged.edge_conflicts())
      fmt::print(stderr, "{}: --edges {} disagree with the buckets: {}\n", tool, options.edges, conflict);

  // Build the document.
  doc::Document document;
  document.title = options.title.empty()
                       ? fmt::format("prefline report: {}", kind ? report::kind_name(*kind) : "no records")
                       : options.title;
  document.heading(1, document.title);
  std::string intro =
      kind ? fmt::format("{} read from {}.", report::counted(order, report::kind_name(*kind, false), report::kind_name(*kind)),
                         file_list(files))
           : fmt::format("No records in {}.", file_list(files));
  if (bad.skipped() > 0)
    intro += fmt::format(" {} skipped (--skip-invalid).",
                         report::counted(bad.skipped(), "invalid record", "invalid records"));
  if (kind)
    intro += fmt::format(" Numbers in tables other than counts are rounded to {} decimals; \u2014 marks a "
                         "missing value.",
                         options.decimals);
  document.paragraph(intro);
  if (kind == Kind::judged) builders.judged.write(document, numbers);
  if (kind == Kind::pairs) builders.pairs.write(document, numbers);
  if (kind == Kind::items) builders.items.write(document, numbers);
  if (duel_stats) {
    document.heading(2, "Duel stats");
    document.paragraph(fmt::format("From {}.", options.duel_stats));
    if (duel_stats->rows.empty()) document.paragraph("The object is empty.");
    else document.blocks.emplace_back(std::move(*duel_stats));
  }
  if (kind == Kind::judged) builders.judged.write_turns(document, numbers);

  // Write: the Markdown, and the HTML page.
  out.buffer().append(doc::render_markdown(document));
  if (html) html->buffer().append(doc::render_html(document));
  outputs.commit();
  bad.finish(tool);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--kind", options.kind);
        app.add_option("--title", options.title);
        app.add_option("--max-rows", options.max_rows);
        app.add_option("--decimals", options.decimals);
        app.add_option("--html", options.html);
        app.add_option("--duel-stats", options.duel_stats);
        options.id_option = app.add_option("--id", options.id);
        options.bucket_field_option = app.add_option("--bucket-field", options.bucket_field);
        app.add_option("--edges", options.edges);
        app.add_option("--bin-width", options.bin_width);
        app.add_option("--group", options.group);
        app.add_option("--candidate", options.candidate);
      },
      [&] { run(options); }, {{"--summary", "--duel-stats"}});
}
