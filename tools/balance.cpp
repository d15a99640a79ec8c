// balance: candidate records -> a sample with an exact mix of strata (e.g.
// difficulty levels), keeping only records that pass --require, chosen by a
// stable hash, written byte for byte in input order.
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/mix/record_classifier.hpp"
#include "prefline/mix/strata.hpp"
#include "prefline/mix/summary_file.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/random/sampling.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/split.hpp"
#include "prefline/text/whitespace.hpp"

namespace {

namespace candidate_schema = prefline::schema::sft_candidate;
namespace mix = prefline::mix;

constexpr std::string_view tool = "balance";

constexpr std::string_view help_head = R"(Usage: balance [OPTIONS] [FILE...]

Draw a sample with an exact mix of strata (e.g. difficulty levels) from
candidate records: keep the records that pass --require, drop duplicates,
and take from each stratum its share of the sample, chosen by a stable hash.
Reads JSON Lines from the FILEs or standard input; writes the chosen records
byte for byte, in input order.

Filtering, in this order:
      --require FIELD     keep only records whose FIELD is true: JSON true, a
                          number other than 0, or the string "true", "pass"
                          or "passed" (any case). Anything else (false, 0,
                          null, "fail", a missing field...) is not true and
                          the record is counted as filtered. Repeat for
                          several fields; all must be true (default: none)
      --dedup FIELD       of the records that pass --require, keep the first
                          of each FIELD value (e.g. one solution per problem
                          id); the later ones are counted as duplicates.
                          Equal means same type and same value: the string
                          "1" is not the number 1 (default: no dedup)
      --stratum FIELD     the stratum of a record (default difficulty): a
                          string, or a number, named by its shortest form
                          (1.0 is "1"). Records whose stratum is not in the
                          mix are counted as outside_mix
  A field named by --require, --dedup, --stratum, --key or --length-field
  that no record has is an error (exit 1) listing the fields seen.

Mix:
      --mix MIX           the shares of the strata (default balanced):
                            balanced      easy=1,medium=1,hard=1
                            easy-heavy    easy=50,medium=30,hard=20
                            medium-heavy  easy=25,medium=50,hard=25
                            hard-heavy    easy=20,medium=30,hard=50
                          or explicit NAME=SHARE,... in the order the
                          summary lists them (shares: numbers >= 0 with up to
                          6 decimals, not all 0; each name once)
      --total N           the exact sample size (N >= 1). Each stratum gets
                          floor(N * share / sum of shares) records, and the
                          ones left over go one each to the largest
                          remainders; equal remainders: the stratum listed
                          first in the mix (balanced with N = 100: 34,33,33).
                          A stratum with fewer eligible records than its
                          count is an error (exit 1) naming the stratum and
                          the shortfall, unless --allow-short
      --allow-short       with --total: take all of a short stratum; the
                          others keep their counts (the shortfall is not
                          filled from them), so the sample is smaller than N.
                          The achieved mix goes to stderr
  Without --total: the largest sample with exactly this mix that repeats no
  record, i.e. the largest N whose counts (rounded as above) each fit in
  their stratum: balanced over 12 easy, 10 medium and 8 hard records gives
  N = 26 (9, 9, 8). A stratum with a share > 0 and no eligible record is
  then an error (exit 1). Both errors say how many records --require and
  --dedup left out.

Selection:
      --key FIELDS        what ranks a record: one or more top-level fields
                          (comma list; strings hashed unescaped, other values
                          as compact JSON, each part prefixed by its type and
                          length, as bucket --key does), or by default the
                          whole line (its bytes without the line end and
                          trailing white space)
      --seed N            the seed of the hash (default 0)
  In each stratum the records are ranked by XXH3-64 of the key with the seed,
  lowest first (equal hashes, e.g. equal keys: the earlier record first), and
  the first COUNT are taken. The same input and options give the same sample
  on any machine; another seed gives another sample.

Statistics:
      --stats FILE        write the run's figures as one JSON object to FILE
                          (published with the output, only when the tool
                          succeeds): {"dataset","mix","seed","total",
                          "strata":{S:{"count","share","available"},...},
                          "read","invalid","filtered","duplicates",
                          "outside_mix","eligible","not_sampled",
                          "avg_length"}; share and avg_length are rounded as
                          in the CSV row, null when the sample is empty
      --append-csv FILE   append one CSV row describing the run to FILE, after
                          a header line when FILE is new or empty; an existing
                          FILE must start with this run's header (the same
                          strata), else exit 1 before any input is read. The
                          row is appended by one write under an exclusive lock
                          (flock), so parallel runs can share FILE. Written
                          only when the tool succeeds, after the output
      --name NAME         the dataset name of the row and of --stats
                          (default: the --mix text)
      --length-field FIELD  the string field whose average length (in Unicode
                          characters, over the sample) is avg_length; every
                          record that passes --require must have it
  CSV columns: dataset, mix, seed, total; then for each stratum S in mix order
  S_count, S_share (S_count / total, 4 decimals), S_available (its eligible
  records); then read (records read), invalid (skipped by --skip-invalid),
  filtered, duplicates, outside_mix, eligible (read = invalid + filtered +
  duplicates + outside_mix + eligible), avg_length (1 decimal; empty without
  --length-field or when the sample is empty).
  On stderr, one line counts the records left out by a rule (filtered,
  duplicates, outside_mix, not_sampled: eligible records the mix has no room
  for); --quiet silences it unless nothing was written.

Memory:
  With --total: the chosen records only (a heap of COUNT records per stratum),
  whatever the input size. Without --total the counts are known only at the
  end: when every FILE is a regular file, balance reads them twice (counting,
  then choosing; they must not change in between) and needs the same memory
  as with --total; from standard input or a pipe it keeps every eligible
  record until the end (its bytes and about 80 more each). --dedup keeps
  every distinct value it has seen (about 100 bytes each, plus the value's
  length when over 15 bytes).

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
Input: JSON Lines, one object per line; blank lines are skipped. Fields read:
the --require fields of every record; the --stratum, --dedup, --key and
--length-field fields of the records that pass --require. Bad records (exit
1, or skipped with --skip-invalid): not exactly one valid JSON object
(invalid JSON or UTF-8, content after it), a field read twice in a record
(duplicate key); after --require: a --stratum field that is missing or not a
string or number, a missing or null --dedup field, a missing --key field, a
--length-field that is missing or not a string.
Output: the chosen records' lines byte for byte (white space after the
record dropped), each ending with '\n', in input order.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'balance: FILE:LINE: reason'), a field no record
     has, a short stratum, an --append-csv FILE with another header, or a
     runtime error
  2  bad option or option value (nothing is read)

Example:
  balance --require passed --dedup problem_id --mix easy-heavy --total 20 \
    --stats easy-heavy.json candidates.jsonl > easy-heavy.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::vector<std::string> require;
  std::string dedup;
  std::string stratum = std::string(candidate_schema::difficulty);
  std::string mix = "balanced";
  std::string total;
  bool allow_short = false;
  std::string key;
  std::uint64_t seed = 0;
  std::string append_csv;
  std::string stats;
  std::string name;
  std::string length_field;
};

// Options checked and parsed, before any input is read.
struct Settings {
  std::vector<mix::Stratum> strata;
  std::optional<std::uint64_t> total;
  mix::RecordFields fields;
  std::string dataset_name;
  std::string summary_header;  // the --append-csv header line, without its line end
};

void check_field_name(std::string_view option, std::string_view field) {
  if (field.empty()) throw prefline::UsageError(fmt::format("{} needs a field name", option));
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  settings.strata = mix::parse_mix(options.mix);
  if (!options.total.empty()) {
    std::uint64_t total = 0;
    const auto [end, error] = std::from_chars(options.total.data(), options.total.data() + options.total.size(), total);
    if (error != std::errc() || end != options.total.data() + options.total.size() || total == 0)
      throw prefline::UsageError(fmt::format("--total: '{}' is not a positive integer", options.total));
    settings.total = total;
  }
  if (options.allow_short && !settings.total)
    throw prefline::UsageError("--allow-short goes with --total (without it the size is one no stratum is short of)");
  for (const auto& field : options.require) {
    check_field_name("--require", field);
    settings.fields.require_slots.push_back(settings.fields.slot_of(field));
  }
  check_field_name("--stratum", options.stratum);
  settings.fields.stratum_slot = settings.fields.slot_of(options.stratum);
  if (!options.dedup.empty()) settings.fields.dedup_slot = settings.fields.slot_of(options.dedup);
  if (!options.key.empty()) {
    const std::vector<std::string> keys = prefline::split_list(options.key);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].empty()) throw prefline::UsageError(fmt::format("--key: empty field name in '{}'", options.key));
      for (std::size_t j = 0; j < i; ++j)
        if (keys[i] == keys[j]) throw prefline::UsageError(fmt::format("--key: '{}' given twice", keys[i]));
      settings.fields.key_slots.push_back(settings.fields.slot_of(keys[i]));
    }
  }
  for (const auto& [option, file] : {std::pair<std::string_view, const std::string*>{"--append-csv", &options.append_csv},
                                    std::pair<std::string_view, const std::string*>{"--stats", &options.stats}}) {
    if (file->empty()) continue;
    if (*file == options.common.output)
      throw prefline::UsageError(fmt::format("{} and --output name the same file '{}'", option, *file));
    if (*file == options.common.rejects)
      throw prefline::UsageError(fmt::format("{} and --rejects name the same file '{}'", option, *file));
  }
  if (!options.stats.empty() && options.stats == options.append_csv)
    throw prefline::UsageError(fmt::format("--stats and --append-csv name the same file '{}'", options.stats));
  if (options.append_csv.empty() && options.stats.empty()) {
    if (!options.name.empty()) throw prefline::UsageError("--name goes with --stats or --append-csv");
    if (!options.length_field.empty()) throw prefline::UsageError("--length-field goes with --stats or --append-csv");
  } else {
    if (!options.length_field.empty()) settings.fields.length_slot = settings.fields.slot_of(options.length_field);
    settings.dataset_name = options.name.empty() ? options.mix : options.name;
    settings.summary_header = mix::summary_header(settings.strata);
  }
  return settings;
}

// ---------------------------------------------------------------------------

// A record as the selection keeps it.
struct Kept {
  std::string text;
  std::uint64_t length = 0;
};

using Heap = prefline::BestK<Kept>;

// Every FILE a regular file (and so readable twice)?
bool all_regular_files(const std::vector<std::string>& inputs) {
  for (const auto& name : inputs) {
    struct stat status {};
    if (name == prefline::stdin_name || ::stat(name.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return false;
  }
  return true;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

class Balancer {
 public:
  Balancer(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), classifier_(settings.fields, settings.strata),
        bad_(options.common, outputs_), progress_(std::string(tool), options.common.quiet) {}

  void run() {
    const std::vector<std::string> inputs = prefline::inputs_or_stdin(options_.common.files);
    const std::size_t strata = settings_.strata.size();
    // Opened before the input is read: a bad output path fails first.
    prefline::Output& out = outputs_.add(options_.common.output);
    prefline::Output* stats = options_.stats.empty() ? nullptr : &outputs_.add(options_.stats);
    watch_fields();
    const std::vector<std::uint64_t> weights = mix::weights_of(settings_.strata);

    // How many to keep per stratum while reading: known up front with
    // --total; else counted in a first pass over regular files; else all.
    std::vector<std::uint64_t> targets;
    bool counted_first = false;
    if (settings_.total) {
      targets = prefline::apportion(*settings_.total, weights);
    } else if (all_regular_files(inputs)) {
      read_all(inputs, Pass::count);
      check_census();
      targets = targets_without_total(weights);
      counted_first = true;
    }
    std::vector<Heap> heaps;
    for (std::size_t s = 0; s < strata; ++s)
      heaps.emplace_back(targets.empty() ? Heap::unlimited : static_cast<std::size_t>(targets[s]));
    classifier_.reset();
    read_all(inputs, counted_first ? Pass::choose_again : Pass::choose, &heaps);
    progress_.finish();
    if (!counted_first) check_census();
    if (targets.empty()) targets = targets_without_total(weights);

    // Shortfalls (only possible with --total).
    std::vector<std::uint64_t> taken(strata);
    std::string shortfalls;
    for (std::size_t s = 0; s < strata; ++s) {
      taken[s] = std::min(targets[s], counts_.eligible[s]);
      if (taken[s] == targets[s]) continue;
      if (!shortfalls.empty()) shortfalls += fmt::format("\n{}: ", tool);
      shortfalls += fmt::format("stratum '{}' is short by {}: the mix needs {}, there {} {} eligible record{}{}",
                                settings_.strata[s].name, targets[s] - taken[s], targets[s],
                                counts_.eligible[s] == 1 ? "is" : "are", counts_.eligible[s],
                                counts_.eligible[s] == 1 ? "" : "s", filter_note());
    }
    if (!shortfalls.empty() && !options_.allow_short) {
      // One parenthesis at the end: the filter note's, or the hint's own.
      if (shortfalls.back() == ')') {
        shortfalls.pop_back();
        shortfalls += "; ";
      } else {
        shortfalls += " (";
      }
      throw prefline::DataError(shortfalls + "--allow-short takes what there is)");
    }

    // The chosen records, back in input order.
    struct Chosen {
      std::uint64_t index;
      Kept* kept;
    };
    std::vector<std::vector<Heap::Entry>> best(strata);
    std::vector<Chosen> chosen;
    std::uint64_t total = 0, length_sum_of_sample = 0;
    for (std::size_t s = 0; s < strata; ++s) {
      best[s] = heaps[s].take_sorted();
      best[s].resize(static_cast<std::size_t>(taken[s]));
      for (auto& entry : best[s]) {
        chosen.push_back({entry.rank.index, &entry.payload});
        length_sum_of_sample += entry.payload.length;
      }
      total += taken[s];
    }
    std::sort(chosen.begin(), chosen.end(), [](const Chosen& a, const Chosen& b) { return a.index < b.index; });

    for (const Chosen& record : chosen) {
      out.buffer().append(record.kept->text);
      out.buffer().push_back('\n');
      out.maybe_flush();
    }
    std::optional<std::uint64_t> length_sum;
    if (settings_.fields.length_slot) length_sum.emplace(length_sum_of_sample);
    if (stats)
      stats->buffer().append(mix::stats_json(settings_.dataset_name, options_.mix, options_.seed, settings_.strata,
                                             taken, counts_, length_sum));
    std::optional<mix::SummaryFile> summary;
    if (!options_.append_csv.empty()) summary.emplace(options_.append_csv);
    outputs_.commit();  // -o, --stats and --rejects: all or none

    if (!shortfalls.empty()) {
      fmt::print(stderr, "{}: {}\n", tool, shortfalls);
      std::string achieved;
      for (std::size_t s = 0; s < strata; ++s)
        achieved += fmt::format("{}{} {} ({})", s == 0 ? "" : ", ", settings_.strata[s].name, taken[s],
                           percent(taken[s], total));
      fmt::print(stderr, "{}: achieved mix: {}; {} of --total {} records\n", tool, achieved, total, *settings_.total);
    }
    if (summary)
      summary->append(settings_.summary_header,
                      mix::summary_row(settings_.dataset_name, options_.mix, options_.seed, taken, counts_, length_sum));
    report_left_out(total);
    bad_.finish(tool);
  }

 private:
  enum class Pass {
    count,         // first of two passes: count, report bad records
    choose,        // the only pass: count, choose, report bad records
    choose_again,  // second of two passes: choose; bad records were reported in the first
  };

  // Every field an option names, for the census of the first pass.
  void watch_fields() {
    const mix::RecordFields& fields = settings_.fields;
    auto watch = [&](std::size_t slot, std::string what) {
      watched_.push_back({slot, census_.watch(fields.names[slot], std::move(what))});
    };
    for (std::size_t slot : fields.require_slots) watch(slot, fmt::format("--require field '{}'", fields.names[slot]));
    watch(fields.stratum_slot, fmt::format("--stratum field '{}'", fields.names[fields.stratum_slot]));
    if (fields.dedup_slot) watch(*fields.dedup_slot, fmt::format("--dedup field '{}'", fields.names[*fields.dedup_slot]));
    for (std::size_t slot : fields.key_slots) watch(slot, fmt::format("--key field '{}'", fields.names[slot]));
    if (fields.length_slot) watch(*fields.length_slot, fmt::format("--length-field '{}'", fields.names[*fields.length_slot]));
  }

  // Every watched field seen in some record: no census error can come.
  bool census_complete() const {
    for (const auto& entry : watched_)
      if (census_.found_count(entry.second) == 0) return false;
    return true;
  }

  // After the first pass: a field no record has, else the first bad record.
  void check_census() const {
    census_.check();
    if (first_error_) throw prefline::DataError(*first_error_);
  }

  void count_fields(std::string_view text) {
    if (!classifier_.is_object()) return;
    census_.record();
    if (census_.wants_sample()) census_.sample(text);
    for (const auto& [slot, id] : watched_)
      if (classifier_.has(slot)) census_.found(id);
  }

  // " (of the 30 records read, --require left out 12 and --dedup 3)": why a
  // stratum may have fewer eligible records than expected; "" when no rule
  // left anything out.
  std::string filter_note() const {
    std::vector<std::string> parts;
    if (counts_.filtered > 0) parts.push_back(fmt::format("--require left out {}", counts_.filtered));
    if (counts_.duplicates > 0) parts.push_back(fmt::format("--dedup {}", counts_.duplicates));
    if (counts_.outside_mix > 0) parts.push_back(fmt::format("{} had a stratum not in --mix", counts_.outside_mix));
    if (parts.empty()) return {};
    std::string note = fmt::format(" (of the {} record{} read, ", counts_.read, counts_.read == 1 ? "" : "s");
    for (std::size_t i = 0; i < parts.size(); ++i)
      note += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return note + ")";
  }

  // The stderr line counting the records left out by a rule.
  void report_left_out(std::uint64_t written) const {
    const mix::RecordFields& fields = settings_.fields;
    prefline::RunSummary summary(tool, "records");
    summary.set_read(counts_.read - counts_.invalid);
    summary.set_written(written);
    std::string require;
    for (std::size_t slot : fields.require_slots) require += (require.empty() ? "--require " : ", ") + fields.names[slot];
    summary.left_out("filtered", counts_.filtered,
                     require + (fields.require_slots.size() == 1 ? " not true" : " not all true"));
    if (fields.dedup_slot)
      summary.left_out("duplicates", counts_.duplicates,
                       fmt::format("--dedup {} seen before", fields.names[*fields.dedup_slot]));
    summary.left_out("outside_mix", counts_.outside_mix,
                     fmt::format("--stratum {} not in --mix", fields.names[fields.stratum_slot]));
    summary.left_out("not_sampled", counts_.eligible_total() - written, "eligible, beyond the mix's count of their stratum");
    summary.set_empty_reason("no stratum of the mix has an eligible record");
    summary.print(options_.common.quiet);
  }

  void read_all(const std::vector<std::string>& inputs, Pass pass, std::vector<Heap>* heaps = nullptr) {
    counts_ = mix::Counts{};
    counts_.eligible.assign(settings_.strata.size(), 0);
    std::uint64_t index = 0;
    std::string reason;
    for (const auto& name : inputs) {
      prefline::InputFile input(name);
      prefline::JsonlReader lines(input);
      prefline::JsonlLine line;
      while (lines.next(line)) {
        ++index;
        ++counts_.read;
        progress_.tick();
        const mix::Verdict verdict = classifier_.classify(line, reason);
        if (pass != Pass::choose_again) count_fields(line.text);
        switch (verdict) {
          case mix::Verdict::bad:
            ++counts_.invalid;
            if (pass != Pass::choose_again && !first_error_) {
              try {
                bad_.handle(name, line.number, reason, line.text);
              } catch (const prefline::DataError& error) {
                // A field no record has is the better message ("missing
                // --stratum field" on line 1 may be a typo): read on until
                // the census can tell, then report this record.
                first_error_ = error.what();
              }
            }
            if (first_error_ && census_complete()) return;
            continue;
          case mix::Verdict::filtered: ++counts_.filtered; continue;
          case mix::Verdict::duplicate: ++counts_.duplicates; continue;
          case mix::Verdict::outside_mix: ++counts_.outside_mix; continue;
          case mix::Verdict::eligible: break;
        }
        const std::size_t stratum = classifier_.stratum();
        ++counts_.eligible[stratum];
        if (pass == Pass::count) continue;
        Heap& heap = (*heaps)[stratum];
        const prefline::Rank rank{prefline::stable_hash(classifier_.key(), options_.seed), index};
        if (!heap.wants(rank)) continue;
        heap.offer(rank, [&](Kept& kept) {
          kept.text.assign(prefline::trim_json_whitespace(line.text));
          kept.length = classifier_.length();
        });
      }
    }
  }

  // Without --total: the counts of the largest exact mix that fits.
  std::vector<std::uint64_t> targets_without_total(const std::vector<std::uint64_t>& weights) {
    for (std::size_t s = 0; s < weights.size(); ++s)
      if (weights[s] > 0 && counts_.eligible[s] == 0)
        throw prefline::DataError(fmt::format(
            "stratum '{}' has no eligible records{}, so no sample has this mix (--total N --allow-short takes what "
            "there is)",
            settings_.strata[s].name, filter_note()));
    return prefline::apportion(prefline::largest_exact_total(weights, counts_.eligible), weights);
  }

  const Options& options_;
  const Settings& settings_;
  mix::RecordClassifier classifier_;
  prefline::OutputSet outputs_;  // before bad_, which adds --rejects to it
  prefline::BadRecords bad_;
  prefline::Progress progress_;
  mix::Counts counts_;
  prefline::FieldCensus census_;
  std::optional<std::string> first_error_;  // the first bad record (without --skip-invalid)
  std::vector<std::pair<std::size_t, std::size_t>> watched_;  // (field slot, census id)
};

void run(const Options& options) {
  const Settings settings = make_settings(options);
  if (!options.append_csv.empty()) mix::check_summary_header(options.append_csv, settings.summary_header);
  Balancer balancer(options, settings);
  balancer.run();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--require", options.require)->allow_extra_args(false);
        app.add_option("--dedup", options.dedup);
        app.add_option("--stratum", options.stratum);
        app.add_option("--mix", options.mix);
        app.add_option("--total", options.total);
        app.add_flag("--allow-short", options.allow_short);
        app.add_option("--key", options.key);
        app.add_option("--seed", options.seed);
        app.add_option("--stats", options.stats);
        app.add_option("--append-csv", options.append_csv);
        app.add_option("--name", options.name);
        app.add_option("--length-field", options.length_field);
      },
      [&] { run(options); }, {{"--by", "--stratum"}, {"--summary", "--append-csv"}});
}