// bucket: route records by a score (edges) or by a hashed key (ratios),
// appending "bucket": NAME and passing the record's bytes through untouched.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/uio.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/suggest.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_folder.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/concurrency/ordered_pool.hpp"
#include "prefline/io/line_blocks.hpp"
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
      --score PATH        the score: a field or a dotted path into objects
                          (e.g. duel.score)
      --edges E1,E2,...   increasing edges; a value v goes to the i-th name
                          where i = the number of edges <= v, so each edge
                          belongs to the bucket above it: with --edges 66,80
                          --names defeat,refined,final, 80 -> final, 79.99 ->
                          refined, 66 -> refined, 65.99 -> defeat
      --missing NAME      the bucket of a record whose score is missing, null
                          or not a number (default parse-fail); how many went
                          there is said in one line on stderr
  A --score path that no record has (a typo: duel.scor) is an error (exit 1)
  naming the fields seen there, not a run that sends every record to
  --missing.

By hashed key:
      --key FIELDS        the key: one or more top-level fields (comma list),
                          each a string (hashed unescaped), number, boolean,
                          object or array (hashed as compact JSON); a record
                          without one of them is bad (and a field that no
                          record has is an error naming the fields seen,
                          also with --skip-invalid). The parts are joined
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
      --bucket-field FIELD  the field added (default bucket); if a record has
                          it already, the record is bad unless --overwrite
      --overwrite         replace an existing --bucket-field field (the old
                          member is cut out of the bytes, the rest stays
                          untouched)
      --only NAMES        pass only these buckets (comma list); the others are
                          dropped, counted on stderr and in --stats
      --out-dir DIR       write DIR/NAME.jsonl for every bucket (empty files for
                          empty buckets; with --only, for those buckets) instead
                          of standard output. DIR is written as a new folder
                          beside its target and takes its name whole when the
                          input is done (with SIGINT, SIGTERM and SIGHUP held
                          off meanwhile), so an error or a signal leaves an
                          old DIR as it was, and no file of an earlier run
                          (a bucket since renamed) stays beside the new ones.
                          A --stats or --rejects file directly in DIR is
                          written with the folder
      --force             with --out-dir: replace DIR when it exists and holds
                          only files *.jsonl and *.json (what bucket writes);
                          anything else in it (a subfolder, a .git) and it is
                          left alone. Without --force an existing DIR is an
                          error (exit 2, nothing is read)
      --tee               with --out-dir: also write every passed record to
                          standard output
      --stats FILE        write the counts per bucket as one JSON object:
                          {"total":N,"buckets":{NAME:N,...},"passed":N}

)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{.tool = tool};

constexpr std::string_view help_tail = R"(
Every record is checked to be one valid JSON object (bad records: invalid
JSON or UTF-8, nesting deeper than 1023 levels, a number beyond the double
range such as 1e400, not an object, a missing --key field, an existing
--bucket-field field without --overwrite, a key that is read (--score,
--key, --bucket-field) given twice). -0 and 1.0e-400 are 0 for --edges.
Output: the input line up to its final '}', then ,"bucket":"NAME"} and a
line end (whitespace after the '}' is dropped).

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'bucket: FILE:LINE: reason'), a --score or --key
     field found in no record, or a runtime error
  2  bad option or option value, or an existing --out-dir without --force
     (nothing is read)

Example:
  bucket --score duel.score --edges 66,80 --names defeat,refined,final judged.jsonl > routed.jsonl
  bucket --key prompt --ratios 80,10,10 --names train,validation,test --out-dir splits pairs.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::string score;
  std::string edges;
  std::string missing = "parse-fail";
  std::string key;
  std::string ratios;
  std::uint64_t seed = 0;
  std::string names;
  std::string bucket_field = std::string(prefline::schema::routed::bucket);
  bool overwrite = false;
  std::string only;
  std::string out_dir;
  bool force = false;
  bool tee = false;
  std::string stats;
};

// The buckets: their names, how records are assigned, which ones pass.
struct Settings {
  bool by_score = false;
  std::vector<std::string> path;        // --score, split at dots
  std::vector<double> edges;
  std::vector<std::string> key_fields;
  std::vector<std::uint64_t> cumulative;  // ratio thresholds in millionths, for hashing
  std::vector<std::string> names;       // the buckets in order; by score, the missing bucket last if new
  std::size_t missing_bucket = 0;
  std::vector<char> passes;             // per bucket
  std::vector<std::string> spliced;     // per bucket: ,"bucket":"NAME"}
  std::vector<std::string> spliced_alone;  // for an empty object: "bucket":"NAME"}
  std::string out_dir;                  // --out-dir without trailing slashes
};

// Where a side file (--stats, --rejects) lies relative to the --out-dir
// folder: its name when directly in it (it is then written with the folder,
// or the swap would drop it), "" when outside.
std::string name_in_folder(const std::string& file, const std::string& folder, std::string_view option) {
  namespace fs = std::filesystem;
  if (file.empty() || file == "-") return {};
  std::error_code error;
  const fs::path base = fs::weakly_canonical(fs::absolute(folder), error);
  if (error) return {};
  const fs::path full = fs::weakly_canonical(fs::absolute(file), error);
  if (error) return {};
  const fs::path relative = full.lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") return {};
  if (relative == ".")
    throw prefline::UsageError(fmt::format("{}: '{}' is the --out-dir folder", option, file));
  if (std::distance(relative.begin(), relative.end()) != 1)
    throw prefline::UsageError(fmt::format(
        "{}: '{}' is in a subfolder of --out-dir '{}', which is replaced whole; put it in '{}' itself or outside",
        option, file, folder, folder));
  return relative.string();
}

// What bucket writes into an --out-dir folder, and so what --force may replace.
bool owned_by_bucket(std::string_view relative, bool is_folder) {
  return !is_folder && relative.find('/') == std::string_view::npos &&
         (relative.ends_with(".jsonl") || relative.ends_with(".json"));
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  const bool score = !options.score.empty(), key = !options.key.empty();
  if (score == key) throw prefline::UsageError("give either --score (with --edges) or --key (with --ratios)");
  if (options.names.empty()) throw prefline::UsageError("--names is required");
  settings.names = prefline::parse_name_list("--names", options.names);
  if (score) {
    if (!options.ratios.empty()) throw prefline::UsageError("--ratios goes with --key, not --score");
    if (options.edges.empty()) throw prefline::UsageError("--score needs --edges");
    settings.by_score = true;
    settings.path = prefline::split_list(options.score, '.');
    for (const auto& part : settings.path)
      if (part.empty()) throw prefline::UsageError(fmt::format("--score: empty part in the path '{}'", options.score));
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
    if (!options.edges.empty()) throw prefline::UsageError("--edges goes with --score, not --key");
    if (options.ratios.empty()) throw prefline::UsageError("--key needs --ratios");
    settings.key_fields = prefline::parse_name_list("--key", options.key);
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
  if (options.bucket_field.empty()) throw prefline::UsageError("--bucket-field needs a field name");
  settings.passes.assign(settings.names.size(), options.only.empty() ? 1 : 0);
  if (!options.only.empty()) {
    for (const auto& name : prefline::parse_name_list("--only", options.only)) {
      auto found = std::find(settings.names.begin(), settings.names.end(), name);
      if (found == settings.names.end()) throw prefline::UsageError(fmt::format("--only: no bucket '{}'", name));
      settings.passes[static_cast<std::size_t>(found - settings.names.begin())] = 1;
    }
  }
  if (options.tee && options.out_dir.empty()) throw prefline::UsageError("--tee goes with --out-dir");
  if (options.force && options.out_dir.empty()) throw prefline::UsageError("--force goes with --out-dir");
  if (!options.out_dir.empty()) {
    if (options.common.output != "-") throw prefline::UsageError("--out-dir and --output cannot be combined");
    for (const auto& name : settings.names)
      if (name == "." || name == ".." || name.find('/') != std::string::npos || name.find('\0') != std::string::npos)
        throw prefline::UsageError(fmt::format("--out-dir: '{}' cannot be a file name", name));
    settings.out_dir = prefline::OutputFolder::target_name(options.out_dir, "--out-dir");
    std::error_code error;
    if (!options.force && std::filesystem::exists(std::filesystem::symlink_status(settings.out_dir, error)))
      throw prefline::UsageError(fmt::format("--out-dir: '{}' already exists (--force replaces it)", settings.out_dir));
    for (const auto& [file, option] :
         {std::pair{&options.stats, "--stats"}, std::pair{&options.common.rejects, "--rejects"}}) {
      const std::string name = name_in_folder(*file, settings.out_dir, option);
      for (const auto& bucket : settings.names)
        if (!name.empty() && name == bucket + ".jsonl")
          throw prefline::UsageError(fmt::format("{}: '{}' is the file of bucket '{}'", option, *file, bucket));
    }
  }
  const std::string field = prefline::json_quoted(options.bucket_field);
  for (const auto& name : settings.names) {
    settings.spliced_alone.push_back(field + ":" + prefline::json_quoted(name) + "}\n");
    settings.spliced.push_back("," + settings.spliced_alone.back());
  }
  return settings;
}

// ---------------------------------------------------------------------------

class Router {
 public:
  // One per parse worker. It counts, per field the census watches (the --score
  // path, id 0, or each --key field, ids in order), the records that have it.
  Router(const Options& options, const Settings& settings)
      : options_(options), settings_(settings), found_(settings.by_score ? 1 : settings.key_fields.size(), 0) {}

  // Picks the bucket of one record; returns the reason when the record is bad.
  // `scored`: the score was a number (else the record went to --missing).
  std::string route(simdjson::dom::parser& parser, const prefline::JsonlLine& line, std::size_t& bucket,
                    bool& has_field, bool& empty_object, bool& scored) {
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      return prefline::json_error_reason(error);
    if (!record.is_object()) return "expected a JSON object";
    const simdjson::dom::object object = record.get_object().value_unsafe();
    ++objects_;
    empty_object = object.size() == 0;
    simdjson::dom::element element;
    const prefline::FieldLookup as = prefline::find_unique(object, options_.bucket_field, element);
    if (as == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", options_.bucket_field);
    has_field = as == prefline::FieldLookup::found;
    if (has_field && !options_.overwrite)
      return fmt::format("the record has a '{}' field already (use --overwrite or --bucket-field)",
                         options_.bucket_field);

    if (settings_.by_score) {
      bucket = settings_.missing_bucket;
      scored = false;
      element = record;
      for (std::size_t i = 0; i < settings_.path.size(); ++i) {
        if (!element.is_object()) return {};
        const auto found = prefline::find_unique(element.get_object().value_unsafe(), settings_.path[i], element);
        if (found == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", path_prefix(i));
        if (found == prefline::FieldLookup::missing) return {};
      }
      ++found_[0];  // there, whatever its value: null scores are parse failures, not typos
      double value;
      if (!element.is_number() || element.get_double().get(value)) return {};
      scored = true;
      bucket = static_cast<std::size_t>(std::upper_bound(settings_.edges.begin(), settings_.edges.end(), value) -
                                        settings_.edges.begin());
      return {};
    }
    key_.clear();
    const std::string* missing = nullptr;  // the first key field the record lacks
    for (std::size_t i = 0; i < settings_.key_fields.size(); ++i) {
      const std::string& field = settings_.key_fields[i];
      const auto found = prefline::find_unique(object, field, element);
      if (found == prefline::FieldLookup::duplicate) return fmt::format("duplicate key '{}'", field);
      if (found == prefline::FieldLookup::missing) {
        if (missing == nullptr) missing = &field;
        continue;  // the others are still counted: the census names only fields found nowhere
      }
      ++found_[i];
      prefline::append_key_part(key_, element);  // the bytes hashed: see json/typed_key.hpp
    }
    if (missing != nullptr) return missing_key(object, *missing);
    const std::uint64_t point =
        prefline::scale_hash(prefline::stable_hash(key_, options_.seed), settings_.cumulative.back());
    bucket = static_cast<std::size_t>(std::upper_bound(settings_.cumulative.begin(), settings_.cumulative.end(), point) -
                                      settings_.cumulative.begin());
    return {};
  }

  // Hands over (and resets) the counts since the last call: per watched
  // field, the records that have it; and the records that were JSON objects,
  // routed or bad (--skip-invalid): what the census says a field is missing from.
  void take_counts(std::vector<std::uint64_t>& found, std::uint64_t& objects) {
    found.resize(found_.size());
    for (std::size_t i = 0; i < found_.size(); ++i) found[i] = std::exchange(found_[i], 0);
    objects = std::exchange(objects_, 0);
  }

 private:
  // "duel.score" for the --score path up to and including part i.
  std::string path_prefix(std::size_t i) const {
    std::string text;
    for (std::size_t j = 0; j <= i; ++j) {
      if (j > 0) text.push_back('.');
      text += settings_.path[j];
    }
    return text;
  }

  // The reason for a record without a --key field, with the record's
  // nearest field when the name looks mistyped.
  static std::string missing_key(simdjson::dom::object object, const std::string& field) {
    std::vector<std::string> names;
    for (auto member : object) names.emplace_back(member.key);
    const std::string near = prefline::nearest_name(field, names);
    if (near.empty()) return fmt::format("missing --key field '{}'", field);
    return fmt::format("missing --key field '{}'; did you mean '{}'?", field, near);
  }

  const Options& options_;
  const Settings& settings_;
  std::vector<std::uint64_t> found_;
  std::string key_;
  std::uint64_t objects_ = 0;
};

// A block of whole lines, routed by a parse worker and written in input
// order by the writing thread. Standard output gets pieces: each passed
// record up to its final '}' where it lies in the block (not copied), then
// its bucket's member from the settings; a record whose old bucket member
// was cut out (--overwrite) is a copy, in `copies`. Each bucket file (with
// --out-dir) gets its records copied into a buffer. Bad records are noted
// with their place.
struct RoutedBlock {
  struct Bad {
    std::size_t piece;   // the standard-output pieces before the record
    std::uint64_t line;  // in the block, from 1
    std::string_view text;
    std::string reason;
  };
  struct Piece {
    const char* bytes;         // null: in `copies`, from `offset` (the buffer may still move)
    std::size_t offset, size;
  };
  prefline::LineBlock lines;
  std::uint64_t line_count = 0;  // physical lines, blank ones included
  std::uint64_t records = 0;     // the non-blank ones, bad ones included
  std::uint64_t passed = 0, unscored = 0, objects = 0;
  std::vector<std::uint64_t> counts;  // routed records per bucket
  std::vector<std::uint64_t> found;   // per watched field: the records that have it
  std::vector<Piece> pieces;          // standard output (or -o)
  prefline::Buffer copies;
  std::vector<std::unique_ptr<prefline::Buffer>> files;  // per bucket, with --out-dir
  std::vector<Bad> bad;

  // On a worker thread. `to_out`: passed records go to standard output;
  // `to_files`: to their bucket's file too.
  void route(Router& router, const Options& options, const Settings& settings, bool to_out, bool to_files) {
    thread_local simdjson::dom::parser parser;
    thread_local simdjson::ondemand::parser overwrite_parser;
    thread_local std::string trimmed;
    counts.assign(settings.names.size(), 0);
    if (to_files)
      while (files.size() < settings.names.size()) files.push_back(std::make_unique<prefline::Buffer>());
    line_count = lines.for_each_line([&](const prefline::JsonlLine& line) {
      if (prefline::is_blank_line(line.text)) return;
      ++records;
      std::size_t bucket = 0;
      bool has_field = false, empty_object = false, scored = true;
      std::string reason = router.route(parser, line, bucket, has_field, empty_object, scored);
      if (!reason.empty()) {
        bad.push_back({pieces.size(), line.number, line.text, std::move(reason)});
        return;
      }
      ++counts[bucket];
      unscored += scored ? 0 : 1;
      if (!settings.passes[bucket]) return;
      ++passed;
      std::string_view text = line.text;
      if (has_field) {
        trimmed = prefline::without_member(overwrite_parser, line, options.bucket_field, empty_object);
        text = trimmed;
      }
      const std::string& splice = empty_object ? settings.spliced_alone[bucket] : settings.spliced[bucket];
      if (to_files) prefline::append_with_member(*files[bucket], text, splice);
      if (to_out) {
        const std::string_view head = prefline::before_final_brace(text);
        if (has_field) {
          pieces.push_back({nullptr, copies.size(), head.size()});
          copies.append(head);
        } else {
          pieces.push_back({head.data(), 0, head.size()});
        }
        pieces.push_back({splice.data(), 0, splice.size()});
      }
    });
    router.take_counts(found, objects);
  }

  // Pieces [from, to) as iovecs, for a vectored write.
  void as_iovecs(std::size_t from, std::size_t to, std::vector<iovec>& out) const {
    out.clear();
    for (std::size_t i = from; i < to; ++i) {
      const Piece& piece = pieces[i];
      out.push_back({const_cast<char*>(piece.bytes != nullptr ? piece.bytes : copies.data() + piece.offset), piece.size});
    }
  }

  void clear() {
    lines.clear();
    line_count = records = passed = unscored = objects = 0;
    pieces.clear();
    copies.clear();
    for (auto& file : files) file->clear();
    bad.clear();
  }
};

// The one stderr line of a run: records dropped by --only, and records whose
// score was no number (routed to --missing, which is easy to miss).
std::string run_line(const Options& options, const Settings& settings, const std::vector<std::uint64_t>& counts,
                     std::uint64_t total, std::uint64_t passed, std::uint64_t unscored) {
  prefline::RunSummary summary(tool, "records");
  summary.set_read(total);
  summary.set_written(passed);
  std::string dropped;
  for (std::size_t b = 0; b < settings.names.size(); ++b)
    if (!settings.passes[b] && counts[b] > 0)
      dropped += fmt::format("{}{} {}", dropped.empty() ? "" : ", ", settings.names[b], counts[b]);
  summary.left_out("not in --only", total - passed, dropped);
  std::string line = summary.line();
  if (settings.by_score && unscored > 0) {
    if (line.empty()) line = fmt::format("{}: {} records, {} written", tool, total, passed);
    line += fmt::format("; {} without a number at '{}' (--score) went to '{}' (--missing)", unscored, options.score,
                        settings.names[settings.missing_bucket]);
  }
  return line;
}

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  // Two sets of files, all written to the end before any is published: the
  // --out-dir folder's (its bucket files, and a --stats or --rejects file
  // inside it), renamed inside the new folder before it takes its name; and
  // the others (standard output or -o, side files elsewhere), published last.
  prefline::OutputSet outside, inside;
  prefline::OutputFolder folder;
  prefline::CommonOptions common = options.common;
  std::string stats = options.stats;
  prefline::OutputSet* stats_set = &outside;
  prefline::OutputSet* rejects_set = &outside;
  prefline::Output* out = nullptr;
  std::vector<prefline::Output*> files(settings.names.size(), nullptr);
  if (options.out_dir.empty() || options.tee) out = &outside.add(options.common.output);
  if (!settings.out_dir.empty()) {
    const std::string stats_name = name_in_folder(options.stats, settings.out_dir, "--stats");
    const std::string rejects_name = name_in_folder(options.common.rejects, settings.out_dir, "--rejects");
    prefline::OutputFolder::check_target(settings.out_dir, options.force, owned_by_bucket);
    folder.open(settings.out_dir, options.force, owned_by_bucket);
    if (!stats_name.empty()) {
      stats = folder.file(stats_name);
      stats_set = &inside;
    }
    if (!rejects_name.empty()) {
      common.rejects = folder.file(rejects_name);
      rejects_set = &inside;
    }
    for (std::size_t b = 0; b < settings.names.size(); ++b) {
      if (!settings.passes[b]) continue;
      files[b] = &inside.add(folder.file(settings.names[b] + ".jsonl"));
    }
  }
  prefline::BadRecords bad(common, *rejects_set);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  prefline::FieldCensus census;
  if (settings.by_score) {
    census.watch(options.score, fmt::format("score field '{}' (--score)", options.score), true);
  } else {
    for (const auto& field : settings.key_fields) census.watch(field, fmt::format("key field '{}' (--key)", field));
  }
  std::vector<std::uint64_t> counts(settings.names.size(), 0);
  std::uint64_t total = 0, passed = 0, unscored = 0, objects = 0;

  // This thread reads blocks of whole lines; parse workers route them; the
  // writing thread takes them in input order. A block is handed over as soon
  // as a read completes a line, so records arriving slowly on a pipe (tail -f)
  // go through at once; a fast producer fills whole pipe buffers.
  const std::vector<std::string> inputs = prefline::inputs_or_stdin(options.common.files);
  std::vector<std::unique_ptr<Router>> routers;
  for (std::size_t w = 0; w < prefline::parse_workers(); ++w)
    routers.push_back(std::make_unique<Router>(options, settings));
  const bool to_files = !settings.out_dir.empty();
  std::vector<iovec> iovecs;
  std::size_t file_index = SIZE_MAX;  // the input of the last block written,
  std::uint64_t line_base = 0;        // and its lines before the next block
  prefline::OrderedPool<RoutedBlock> blocks(
      routers.size(),
      [&](RoutedBlock& block, std::size_t worker) {
        block.route(*routers[worker], options, settings, out != nullptr, to_files);
      },
      [&](RoutedBlock& block) {
        if (block.lines.file_index != file_index) {
          file_index = block.lines.file_index;
          line_base = 0;
        }
        if (census.wants_sample())
          for (std::size_t begin = 0, number = 0; begin < block.lines.size && census.wants_sample();) {
            const prefline::JsonlLine line = block.lines.line_at(begin, ++number);
            if (!prefline::is_blank_line(line.text)) census.sample(line.text);
          }
        std::size_t written = 0;  // pieces
        const auto write_pieces = [&](std::size_t to) {
          if (out == nullptr || to == written) return;
          block.as_iovecs(written, to, iovecs);
          out->write(iovecs.data(), iovecs.size());
          written = to;
        };
        for (const auto& record : block.bad) {
          write_pieces(record.piece);
          bad.handle(block.lines.file, line_base + record.line, record.reason, record.text);
        }
        write_pieces(block.pieces.size());
        if (to_files)
          for (std::size_t b = 0; b < files.size(); ++b)
            if (files[b] != nullptr && block.files[b]->size() > 0)
              files[b]->write(std::string_view(block.files[b]->data(), block.files[b]->size()));
        for (std::size_t b = 0; b < counts.size(); ++b) counts[b] += block.counts[b];
        for (std::size_t i = 0; i < block.found.size(); ++i) census.found(i, block.found[i]);
        const std::uint64_t routed = block.records - block.bad.size();
        total += routed;
        passed += block.passed;
        unscored += block.unscored;
        objects += block.objects;
        line_base += block.line_count;
        progress.tick(routed);
      });
  for (std::size_t index = 0; index < inputs.size(); ++index) {
    prefline::InputFile input(inputs[index]);
    input.widen_pipe();
    prefline::LineBlockReader reader(input, prefline::LineBlock::target_bytes,
                                     prefline::LineBlockReader::Handover::as_read);
    for (;;) {
      prefline::LineBlock& block = blocks.current().lines;
      block.file = inputs[index];
      block.file_index = index;
      if (!reader.fill(block)) break;
      blocks.submit();
    }
  }
  blocks.finish();
  progress.finish();
  census.add_records(objects);
  census.check();  // before anything is published: a field found nowhere writes no file

  if (!stats.empty()) {
    prefline::JsonWriter json(stats_set->add(stats).buffer());
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
  inside.finish_writing();
  outside.finish_writing();  // a full disk shows here, before anything is published
  {
    prefline::detail::CleanupSignalsBlocked blocked;  // a signal then finds every file published
    inside.commit();
    folder.commit();
    outside.commit();
  }
  bad.finish(tool);
  const std::string line = run_line(options, settings, counts, total, passed, unscored);
  if (!line.empty() && (!options.common.quiet || (total > 0 && passed == 0))) fmt::print(stderr, "{}\n", line);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--score", options.score);
        app.add_option("--edges", options.edges);
        app.add_option("--missing", options.missing);
        app.add_option("--key", options.key);
        app.add_option("--ratios", options.ratios);
        app.add_option("--seed", options.seed);
        app.add_option("--names", options.names);
        app.add_option("--bucket-field", options.bucket_field);
        app.add_flag("--overwrite", options.overwrite);
        app.add_option("--only", options.only);
        app.add_option("--out-dir", options.out_dir);
        app.add_flag("--force", options.force);
        app.add_flag("--tee", options.tee);
        app.add_option("--stats", options.stats);
      },
      [&] { run(options); },
      {{"--field", "--score"}, {"--hash", "--key"}, {"--as", "--bucket-field"}, {"--summary", "--stats"}});
}
