// bucket: route records by a score (edges) or by a hashed key (ratios),
// appending "bucket": NAME and passing the record's bytes through untouched.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/json/splice.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/text/split.hpp"

namespace {

constexpr std::string_view tool = "bucket";

constexpr std::string_view help_head = R"(Usage: bucket [OPTIONS] [FILE...]

Route records into named buckets: by a score and edges, or by a stable hash
of a key and ratios. Each record passes through byte for byte with
"bucket": NAME spliced in before its final '}'. Streams in constant memory.
Reads JSON Lines from the FILEs or standard input.

By score:
      --field PATH        the score: a field or a dotted path into objects
                          (e.g. duel.score)
      --edges E1,E2,...   increasing edges; a value v goes to the i-th name
                          where i = the number of edges <= v, so each edge
                          belongs to the bucket above it: with --edges 66,80
                          --names defeat,refined,final, 80 -> final, 79.99 ->
                          refined, 66 -> refined, 65.99 -> defeat
      --missing NAME      the bucket of a record whose field is missing, null
                          or not a number (default parse-fail)

By hashed key:
      --hash FIELDS       the key: one or more top-level fields (comma list),
                          each a string (hashed unescaped), number, boolean,
                          object or array (hashed as compact JSON); a record
                          without one of them is bad. The parts are joined
                          unambiguously (type and length before each)
      --ratios R1,R2,...  shares of the buckets (e.g. 80,10,10), numbers >= 0
                          with up to 6 decimals
      --seed N            seed of the hash (default 0)
  The bucket is picked by XXH3-64 of the key with the seed: the same key
  lands in the same bucket on any machine and in any run, and adding records
  never moves old ones (no prompt leaks across splits).

Both:
      --names N1,N2,...   bucket names: one more than --edges, or one per
                          --ratios (required)
      --as FIELD          the field added (default bucket); if a record has
                          it already, the record is bad unless --overwrite
      --overwrite         replace an existing --as field (the old member is
                          cut out of the bytes, the rest stays untouched)
      --only NAMES        pass only these buckets (comma list); the others are
                          dropped, counted in --summary
      --out-dir DIR       write DIR/NAME.jsonl for every bucket (empty files for
                          empty buckets; with --only, for those buckets) instead
                          of standard output; DIR is created if missing. All or
                          nothing: the files are written next to their targets
                          and renamed only when the whole input is done, with
                          SIGINT, SIGTERM and SIGHUP held off while renaming, so
                          an error or a signal leaves the old files as they were
      --tee               with --out-dir: also write every passed record to
                          standard output
      --summary FILE      write the counts per bucket as one JSON object:
                          {"total":N,"buckets":{NAME:N,...},"passed":N}

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
Every record is checked to be one valid JSON object (bad records: invalid
JSON or UTF-8, nesting deeper than 1023 levels, a number beyond the double
range such as 1e400, not an object, a missing --hash field, an existing --as
field without --overwrite, a key that is read (--field, --hash, --as) given
twice). -0 and 1.0e-400 are 0 for --edges. Output: the input line up to
its final '}', then ,"bucket":"NAME"} and a line end (whitespace after the
'}' is dropped).

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'bucket: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  bucket --field duel.score --edges 66,80 --names defeat,refined,final judged.jsonl > routed.jsonl
  bucket --hash prompt --ratios 80,10,10 --names train,validation,test --out-dir splits pairs.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::string field;
  std::string edges;
  std::string missing = "parse-fail";
  std::string hash;
  std::string ratios;
  std::uint64_t seed = 0;
  std::string names;
  std::string as = std::string(prefline::schema::routed::bucket);
  bool overwrite = false;
  std::string only;
  std::string out_dir;
  bool tee = false;
  std::string summary;
};

// The buckets: their names, how records are assigned, which ones pass.
struct Settings {
  bool by_score = false;
  std::vector<std::string> path;        // --field, split at dots
  std::vector<double> edges;
  std::vector<std::string> hash_fields;
  std::vector<std::uint64_t> cumulative;  // ratio thresholds in millionths, for hashing
  std::vector<std::string> names;       // the buckets in order; by score, the missing bucket last if new
  std::size_t missing_bucket = 0;
  std::vector<char> passes;             // per bucket
  std::vector<std::string> spliced;     // per bucket: ,"bucket":"NAME"}
  std::vector<std::string> spliced_alone;  // for an empty object: "bucket":"NAME"}
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  const bool score = !options.field.empty(), hash = !options.hash.empty();
  if (score == hash) throw prefline::UsageError("give either --field (with --edges) or --hash (with --ratios)");
  if (options.names.empty()) throw prefline::UsageError("--names is required");
  settings.names = prefline::parse_name_list("--names", options.names);
  if (score) {
    if (!options.ratios.empty()) throw prefline::UsageError("--ratios goes with --hash, not --field");
    if (options.edges.empty()) throw prefline::UsageError("--field needs --edges");
    settings.by_score = true;
    settings.path = prefline::split_list(options.field, '.');
    for (const auto& part : settings.path)
      if (part.empty()) throw prefline::UsageError(fmt::format("--field: empty part in the path '{}'", options.field));
    settings.edges = prefline::parse_number_list("--edges", options.edges);
    for (std::size_t i = 1; i < settings.edges.size(); ++i)
      if (!(settings.edges[i - 1] < settings.edges[i]))
        throw prefline::UsageError(fmt::format("--edges must increase: '{}'", options.edges));
    if (settings.names.size() != settings.edges.size() + 1)
      throw prefline::UsageError(fmt::format("--names needs {} names for {} edges, got {}", settings.edges.size() + 1,
                                             settings.edges.size(), settings.names.size()));
    if (options.missing.empty()) throw prefline::UsageError("--missing needs a name");
    auto found = std::find(settings.names.begin(), settings.names.end(), options.missing);
    settings.missing_bucket = static_cast<std::size_t>(found - settings.names.begin());
    if (found == settings.names.end()) settings.names.push_back(options.missing);
  } else {
    if (!options.edges.empty()) throw prefline::UsageError("--edges goes with --field, not --hash");
    if (options.ratios.empty()) throw prefline::UsageError("--hash needs --ratios");
    settings.hash_fields = prefline::parse_name_list("--hash", options.hash);
    const std::vector<double> ratios = prefline::parse_number_list("--ratios", options.ratios);
    if (ratios.size() != settings.names.size())
      throw prefline::UsageError(fmt::format("--names needs one name per ratio: {} ratios, {} names", ratios.size(),
                                             settings.names.size()));
    std::uint64_t total = 0;
    for (double ratio : ratios) {
      if (ratio < 0 || ratio > 1e9) throw prefline::UsageError(fmt::format("--ratios: {} is out of range", ratio));
      total += static_cast<std::uint64_t>(std::llround(ratio * 1e6));
      settings.cumulative.push_back(total);
    }
    if (total == 0) throw prefline::UsageError("--ratios add up to 0");
  }
  if (options.as.empty()) throw prefline::UsageError("--as needs a field name");
  settings.passes.assign(settings.names.size(), options.only.empty() ? 1 : 0);
  if (!options.only.empty()) {
    for (const auto& name : prefline::parse_name_list("--only", options.only)) {
      auto found = std::find(settings.names.begin(), settings.names.end(), name);
      if (found == settings.names.end()) throw prefline::UsageError(fmt::format("--only: no bucket '{}'", name));
      settings.passes[static_cast<std::size_t>(found - settings.names.begin())] = 1;
    }
  }
  if (options.tee && options.out_dir.empty()) throw prefline::UsageError("--tee goes with --out-dir");
  if (!options.out_dir.empty()) {
    if (options.common.output != "-") throw prefline::UsageError("--out-dir and --output cannot be combined");
    for (const auto& name : settings.names)
      if (name == "." || name == ".." || name.find('/') != std::string::npos || name.find('\0') != std::string::npos)
        throw prefline::UsageError(fmt::format("--out-dir: '{}' cannot be a file name", name));
  }
  const std::string key = prefline::json_quoted(options.as);
  for (const auto& name : settings.names) {
    settings.spliced_alone.push_back(key + ":" + prefline::json_quoted(name) + "}\n");
    settings.spliced.push_back("," + settings.spliced_alone.back());
  }
  return settings;
}

// ---------------------------------------------------------------------------

class Router {
 public:
  Router(const Options& options, const Settings& settings) : options_(options), settings_(settings) {}

  // Picks the bucket of one record; returns the reason when the record is bad.
  std::string route(simdjson::dom::parser& parser, const prefline::JsonlLine& line, std::size_t& bucket,
                    bool& has_field, bool& empty_object) {
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      return prefline::json_error_reason(error);
    if (!record.is_object()) return "expected a JSON object";
    const simdjson::dom::object object = record.get_object().value_unsafe();
    empty_object = object.size() == 0;
    simdjson::dom::element element;
    const prefline::FieldLookup as = prefline::find_unique(object, options_.as, element);
    if (as == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", options_.as);
    has_field = as == prefline::FieldLookup::found;
    if (has_field && !options_.overwrite)
      return fmt::format("the record has a '{}' field already (use --overwrite or --as)", options_.as);

    if (settings_.by_score) {
      bucket = settings_.missing_bucket;
      element = record;
      for (std::size_t i = 0; i < settings_.path.size(); ++i) {
        if (!element.is_object()) return {};
        const auto found = prefline::find_unique(element.get_object().value_unsafe(), settings_.path[i], element);
        if (found == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", path_prefix(i));
        if (found == prefline::FieldLookup::missing) return {};
      }
      double value;
      if (!element.is_number() || element.get_double().get(value)) return {};
      bucket = static_cast<std::size_t>(std::upper_bound(settings_.edges.begin(), settings_.edges.end(), value) -
                                        settings_.edges.begin());
      return {};
    }
    key_.clear();
    for (const auto& field : settings_.hash_fields) {
      const auto found = prefline::find_unique(object, field, element);
      if (found == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", field);
      if (found == prefline::FieldLookup::missing) return fmt::format("missing --hash field '{}'", field);
      prefline::append_key_part(key_, element);  // the bytes hashed: see json/typed_key.hpp
    }
    const std::uint64_t point =
        prefline::scale_hash(prefline::stable_hash(key_, options_.seed), settings_.cumulative.back());
    bucket = static_cast<std::size_t>(std::upper_bound(settings_.cumulative.begin(), settings_.cumulative.end(), point) -
                                      settings_.cumulative.begin());
    return {};
  }

 private:
  // "duel.score" for the --field path up to and including part i.
  std::string path_prefix(std::size_t i) const {
    std::string text;
    for (std::size_t j = 0; j <= i; ++j) {
      if (j > 0) text.push_back('.');
      text += settings_.path[j];
    }
    return text;
  }

  const Options& options_;
  const Settings& settings_;
  std::string key_;
};

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  // -o, the --out-dir files, --rejects and --summary take their names
  // together, only when all of them are written (and no signal in between).
  prefline::OutputSet outputs;
  prefline::Output* out = nullptr;
  std::vector<prefline::Output*> files(settings.names.size(), nullptr);
  if (options.out_dir.empty() || options.tee) out = &outputs.add(options.common.output);
  if (!options.out_dir.empty()) {
    if (::mkdir(options.out_dir.c_str(), 0777) != 0 && errno != EEXIST)
      throw prefline::DataError(fmt::format("cannot create '{}': {}", options.out_dir, std::strerror(errno)));
    for (std::size_t b = 0; b < settings.names.size(); ++b) {
      if (!settings.passes[b]) continue;
      files[b] = &outputs.add(fmt::format("{}/{}.jsonl", options.out_dir, settings.names[b]));
    }
  }
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  Router router(options, settings);
  simdjson::dom::parser parser;
  simdjson::ondemand::parser overwrite_parser;
  std::vector<std::uint64_t> counts(settings.names.size(), 0);
  std::uint64_t total = 0, passed = 0;

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      std::size_t bucket = 0;
      bool has_field = false, empty_object = false;
      const std::string reason = router.route(parser, line, bucket, has_field, empty_object);
      if (!reason.empty()) {
        bad.handle(name, line.number, reason, line.text);
        continue;
      }
      ++total;
      ++counts[bucket];
      progress.tick();
      if (!settings.passes[bucket]) continue;
      ++passed;
      std::string trimmed;
      std::string_view text = line.text;
      if (has_field) {
        trimmed = prefline::without_member(overwrite_parser, line, options.as, empty_object);
        text = trimmed;
      }
      const std::string& splice = empty_object ? settings.spliced_alone[bucket] : settings.spliced[bucket];
      if (files[bucket]) {
        prefline::append_with_member(files[bucket]->buffer(), text, splice);
        files[bucket]->maybe_flush();
      }
      if (out != nullptr) {
        prefline::append_with_member(out->buffer(), text, splice);
        out->maybe_flush();
      }
    }
  }
  progress.finish();

  if (!options.summary.empty()) {
    prefline::Output& summary = outputs.add(options.summary);
    prefline::JsonWriter json(summary.buffer());
    json.begin_object();
    json.key(prefline::schema::bucket_summary::total).integer(static_cast<std::int64_t>(total));
    json.key(prefline::schema::bucket_summary::buckets).begin_object();
    for (std::size_t b = 0; b < settings.names.size(); ++b)
      json.key(settings.names[b]).integer(static_cast<std::int64_t>(counts[b]));
    json.end_object();
    json.key(prefline::schema::bucket_summary::passed).integer(static_cast<std::int64_t>(passed));
    json.end_object();
    json.end_record();
  }
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
        app.add_option("--field", options.field);
        app.add_option("--edges", options.edges);
        app.add_option("--missing", options.missing);
        app.add_option("--hash", options.hash);
        app.add_option("--ratios", options.ratios);
        app.add_option("--seed", options.seed);
        app.add_option("--names", options.names);
        app.add_option("--as", options.as);
        app.add_flag("--overwrite", options.overwrite);
        app.add_option("--only", options.only);
        app.add_option("--out-dir", options.out_dir);
        app.add_flag("--tee", options.tee);
        app.add_option("--summary", options.summary);
      },
      [&] { run(options); });
}
