// export: pair records (pairup output) and SFT examples -> the files trainers
// read (TRL, Anthropic HH-RLHF, OpenAI DPO and SFT, Alpaca, ShareGPT), as one
// stream or as a folder ready to publish as a Hugging Face dataset.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_folder.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/shell_quote.hpp"
#include "prefline/trainer/dataset_card.hpp"
#include "prefline/trainer/dataset_folder.hpp"
#include "prefline/trainer/example.hpp"
#include "prefline/trainer/example_reader.hpp"
#include "prefline/trainer/example_writer.hpp"
#include "prefline/trainer/format.hpp"

namespace {

namespace pair_schema = prefline::schema::pair;
namespace sft_schema = prefline::schema::sft;
namespace trainer = prefline::trainer;

constexpr std::string_view tool = "export";

constexpr std::string_view help_head = R"(Usage: export --to FORMAT [OPTIONS] [FILE...]

Convert pair records (pairup output) and SFT examples into the files trainers
read: one JSON object per line per example. Reads JSON Lines from the FILEs or
standard input; writes to standard output, to -o FILE, or to a folder ready to
publish as a Hugging Face dataset (--dataset-dir).

Formats (--to), keys in this order (S = the --system message, if given):
  trl         {"prompt":PROMPT,"chosen":CHOSEN,"rejected":REJECTED} (+
              "margin" with --margin): TRL's standard preference format
              (DPOTrainer, RewardTrainer)
  trl-chat    TRL's conversational preference format: {"prompt":[S, the
              context...],"chosen":[{"role":"assistant","content":CHOSEN}],
              "rejected":[{"role":"assistant","content":REJECTED}]} (+
              "margin"); messages are {"role","content"}
  hh-rlhf     {"chosen","rejected"}: whole transcripts as in Anthropic's
              HH-RLHF, "\n\nHuman: PROMPT\n\nAssistant: CHOSEN" (one
              Human or Assistant turn per message of 'messages')
  openai-dpo  OpenAI fine-tuning, DPO method: {"input":{"messages":[S, the
              context...]},"preferred_output":[{"role":"assistant",
              "content":CHOSEN}],"non_preferred_output":[{"role":
              "assistant","content":REJECTED}]}
  openai-sft  OpenAI supervised fine-tuning (chat): {"messages":[S, the
              context..., {"role":"assistant","content":RESPONSE}]}
  alpaca      Stanford Alpaca: {"instruction":PROMPT,"input":"",
              "output":RESPONSE}
  sharegpt    {"conversations":[{"from","value"}...]}: S as from "system",
              user messages as "human", assistant messages and the
              response as "gpt"
  With 'prompt' in the input, the context is one user message, PROMPT.
  The schemas follow: TRL's "Dataset formats and types" (preference type,
  standard and conversational) and RewardTrainer's margin; the dataset card
  of Anthropic/hh-rlhf; OpenAI's fine-tuning guides (direct preference
  optimization; supervised fine-tuning, chat format); Stanford Alpaca's
  alpaca_data.json; ShareGPT as axolotl and FastChat read it.

Options:
      --to FORMAT          the output format, one of the above (required)
      --margin             trl, trl-chat: add "margin", the pair's
                           metadata.score_difference (a number >= 0; the
                           margin of TRL RewardTrainer's loss). Other formats
                           have no margin: a usage error
      --system TEXT        add TEXT as the first, system message: trl-chat,
                           openai-dpo, openai-sft, sharegpt. trl, hh-rlhf and
                           alpaca have no system message: a usage error
                           (rather than dropping it)
      --dataset-dir DIR    write a Hugging Face dataset folder (see below)
                           instead of one stream; not with -o
      --bucket-field FIELD  with --dataset-dir: the field naming each
                           record's split (default split; bucket
                           --bucket-field split writes it). Given, and no
                           record has it: an error (exit 1) listing the
                           fields seen
      --license ID         with --dataset-dir: the card's license, a Hugging
                           Face license id such as mit, apache-2.0 or
                           cc-by-4.0 (default other, and the card says the
                           license was not set)
      --force              with --dataset-dir: replace DIR when it exists and
                           holds only README.md and data/*.jsonl (what export
                           writes); anything else in it (a .git folder...)
                           and it is left alone. Without --force an existing
                           DIR (or a file named DIR) is a usage error (exit
                           2, nothing is read)
)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .column = 27,
    .heading = false};

constexpr std::string_view help_tail = R"(
Input: JSON Lines, one object per line; blank lines are skipped. Fields read:
  - the context: 'prompt', a string, or 'messages', a list of {"role",
    "content"} (role system, user or assistant; content a string; no other
    keys; a system message only first; the last message is a user's). trl
    and alpaca need 'prompt': they have no form for a conversation
  - trl, trl-chat, hh-rlhf, openai-dpo: 'chosen' and 'rejected', strings
  - openai-sft, alpaca, sharegpt: 'response', a string, or else a pair
    record's 'chosen' ('rejected' is not used)
  - --margin: 'metadata' {"score_difference": NUMBER}
  - --dataset-dir: the --bucket-field
  Every other field ('metadata' included) is not exported.

Bad records (exit 1, or skipped with --skip-invalid): invalid JSON or UTF-8;
not an object; a duplicate key; a field missing or of another type; both
'prompt' and 'messages', or both 'response' and 'chosen'; a text that is
empty or only white space (never an empty training example); with --system,
'messages' that start with a system message; hh-rlhf: a system message, or
a text holding "\n\nHuman:" or "\n\nAssistant:" (the transcript could not be
split back); --margin: a missing or negative score_difference; a bad split.

Dataset folder (--dataset-dir DIR):
  DIR/data/SPLIT.jsonl  each split's examples in the --to format, in input
                        order. SPLIT is the record's --bucket-field, a string
                        (missing or null: train) of letters, digits and '_'
                        in parts joined by '.' (the split names Hugging Face
                        datasets accept), at most 100 characters, not equal
                        to another split but for case; at most 32 splits.
                        No records at all: an empty train split
  DIR/README.md         the dataset card: a YAML header (license;
                        task_categories: text-generation; configs: the
                        default config's data_files, one per split;
                        dataset_info: the format's features and the splits
                        with num_examples), then the examples per split, the
                        format, and how it was built (the export command
                        line as typed, each path in it relative to DIR's
                        parent folder, or only its file name when it lies
                        elsewhere; skipped records). Splits are listed train
                        first, then in name order
  All or nothing: the folder is written as DIR.tmp.XXXXXX next to DIR and
  renamed to DIR at the end; after an error or a signal nothing is left.
  When every record goes to one split although records name their split
  (e.g. split by prompt with one prompt only), stderr says so.
  No record written although records were read (all skipped by
  --skip-invalid): stderr says so, even with --quiet.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'export: FILE:LINE: reason'), a --bucket-field no
     record has, or another runtime error
  2  bad option or option value, or DIR exists without --force (nothing is
     read)

Example ('export' is also a shell builtin: run the tool by its path, or
through env as here):
  env export --to trl --margin pairs.jsonl > dpo.jsonl
  env export --to openai-dpo --system 'Write D3.' --dataset-dir hf pairs.jsonl
)";

// ---------------------------------------------------------------------------
// Options.

struct Options {
  prefline::CommonOptions common;
  std::string to;
  bool margin = false;
  std::string system;
  CLI::Option* system_option = nullptr;
  std::string dataset_dir;
  CLI::Option* dataset_dir_option = nullptr;
  std::string bucket_field = std::string(sft_schema::split);
  CLI::Option* bucket_field_option = nullptr;
  std::string license;
  CLI::Option* license_option = nullptr;
  bool force = false;
  std::vector<std::string> args;  // as typed, for the dataset card
};

// Options checked, before any input is read.
struct Settings {
  trainer::Layout layout;
  std::string dataset_dir;  // empty: one stream
  std::optional<std::string> bucket_field;  // with a dataset folder
  bool bucket_field_given = false;          // named on the command line: checked by the field census
  std::optional<std::string> license;       // --license
  bool force = false;
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (options.to.empty())
    throw prefline::UsageError(fmt::format("--to FORMAT is required: {}", trainer::format_names()));
  settings.layout.format = trainer::find_format(options.to);
  if (settings.layout.format == nullptr)
    throw prefline::UsageError(fmt::format("--to: '{}' is not {}", options.to, trainer::format_names()));
  const trainer::FormatInfo& format = *settings.layout.format;
  const auto has_margin = [](const trainer::FormatInfo& f) { return f.margin; };
  const auto has_system = [](const trainer::FormatInfo& f) { return f.system; };

  settings.layout.margin = options.margin;
  if (options.margin && !format.margin)
    throw prefline::UsageError(fmt::format("--margin: format '{}' has no margin (only {} have)", format.name,
                                           trainer::format_names_where(has_margin, " and ")));
  if (options.system_option->count() > 0) {
    if (!format.system)
      throw prefline::UsageError(fmt::format("--system: format '{}' has no system message (use {})", format.name,
                                             trainer::format_names_where(has_system, " or ")));
    if (options.system.find_first_not_of(" \t\r\n") == std::string::npos)
      throw prefline::UsageError("--system needs a text that is not empty or only white space");
    settings.layout.system = options.system;
  }

  const bool folder = options.dataset_dir_option->count() > 0;
  if (!folder) {
    if (options.force) throw prefline::UsageError("--force needs --dataset-dir");
    if (options.bucket_field_option->count() > 0) throw prefline::UsageError("--bucket-field needs --dataset-dir");
    if (options.license_option->count() > 0) throw prefline::UsageError("--license needs --dataset-dir");
    return settings;
  }
  if (options.common.output != "-") throw prefline::UsageError("--dataset-dir and --output cannot be combined");
  if (options.dataset_dir.empty()) throw prefline::UsageError("--dataset-dir needs a folder name");
  settings.dataset_dir = prefline::OutputFolder::target_name(options.dataset_dir, "--dataset-dir");
  if (options.bucket_field.empty()) throw prefline::UsageError("--bucket-field needs a field name");
  for (std::string_view content : {pair_schema::prompt, pair_schema::chosen, pair_schema::rejected,
                                   pair_schema::metadata, sft_schema::messages, sft_schema::response})
    if (options.bucket_field == content)
      throw prefline::UsageError(fmt::format("--bucket-field: '{}' is a field export reads as content", content));
  settings.bucket_field = options.bucket_field;
  settings.bucket_field_given = options.bucket_field_option->count() > 0;
  if (options.license_option->count() > 0) {
    if (!trainer::is_license_id(options.license))
      throw prefline::UsageError(fmt::format(
          "--license: '{}' is not a license id (lower-case letters, digits, '-' and '.': mit, apache-2.0, cc-by-4.0, "
          "other)",
          options.license));
    settings.license = options.license;
  }
  settings.force = options.force;
  // Replacing a folder is always asked for: checked before anything is read.
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::symlink_status(settings.dataset_dir, error);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    throw prefline::UsageError(
        fmt::format("--dataset-dir: '{}' exists and is not a folder; not replacing it", settings.dataset_dir));
  if (std::filesystem::exists(status) && !settings.force)
    throw prefline::UsageError(
        fmt::format("--dataset-dir: '{}' already exists; add --force to replace it", settings.dataset_dir));
  return settings;
}

// ---------------------------------------------------------------------------

// The command line as typed, for the dataset card: every path (FILEs,
// --dataset-dir, --rejects) as path_for_card() shows it.
std::string card_command_line(const std::vector<std::string>& args, const std::string& dataset_dir) {
  static const std::vector<std::string_view> takes_value = {"--to", "--system", "--dataset-dir", "--bucket-field",
                                                            "--split-field", "--license", "--rejects", "-o",
                                                            "--output"};
  static const std::vector<std::string_view> takes_path = {"--dataset-dir", "--rejects", "-o", "--output"};
  auto among = [](std::string_view name, const std::vector<std::string_view>& names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  auto path = [&](std::string_view text) { return trainer::path_for_card(text, dataset_dir); };
  std::string line(tool);
  bool options_end = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string shown = arg;
    if (options_end || arg == "-" || arg.empty() || arg[0] != '-') {
      shown = path(arg);
    } else if (arg == "--") {
      options_end = true;
    } else if (const std::size_t equals = arg.find('='); arg.starts_with("--") && equals != std::string::npos) {
      const std::string name = arg.substr(0, equals);
      if (among(name, takes_path)) shown = name + "=" + path(arg.substr(equals + 1));
    } else if (among(arg, takes_value) && i + 1 < args.size()) {
      line += ' ' + prefline::shell_quoted(arg);
      ++i;
      shown = among(arg, takes_path) ? path(args[i]) : args[i];
    } else if (arg.starts_with("-o") && arg.size() > 2) {
      shown = "-o" + path(arg.substr(2));
    }
    line += ' ' + prefline::shell_quoted(shown);
  }
  return line;
}

// A split that got every record although the records name their split: the
// routing upstream put them all in one (a split by prompt with one prompt).
void one_split_note(const trainer::DatasetFolder& folder, const prefline::FieldCensus& census,
                    const std::string& bucket_field, std::uint64_t written, bool quiet) {
  const std::vector<trainer::SplitCount> splits = folder.splits();
  if (quiet || splits.size() != 1 || written < 2 || census.found_count(0) == 0) return;
  fmt::print(stderr,
             "{}: split '{}' got all {} records: no record names another split in '{}' (routed by a key with one "
             "value, such as bucket --key prompt with one prompt?)\n",
             tool, splits.front().name, written, bucket_field);
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  // -o (or the --dataset-dir folder) and --rejects: all or none.
  prefline::OutputSet outputs;
  std::unique_ptr<trainer::DatasetFolder> folder;
  prefline::Output* out = nullptr;
  if (settings.dataset_dir.empty()) out = &outputs.add(options.common.output);
  else folder = std::make_unique<trainer::DatasetFolder>(settings.dataset_dir, settings.force, settings.layout);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  simdjson::ondemand::parser parser;
  trainer::ExampleReader reader(settings.layout, settings.bucket_field);
  trainer::ExampleWriter writer(settings.layout);
  trainer::Example example;
  prefline::FieldCensus census;
  if (settings.bucket_field)
    census.watch(*settings.bucket_field, fmt::format("--bucket-field '{}'", *settings.bucket_field));
  std::uint64_t read = 0, written = 0;

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      progress.tick();
      ++read;
      std::string reason = reader.read(parser, line, example);
      if (reason.empty() && settings.bucket_field) {
        census.record();
        if (census.wants_sample()) census.sample(line.text);
        if (reader.has_split_field()) census.found(0);
      }
      prefline::Output* target = out;
      if (reason.empty() && folder) reason = folder->output_for(example.split, target);
      if (!reason.empty()) {
        bad.handle(name, line.number, reason, line.text);
        continue;
      }
      writer.write(target->buffer(), example);
      target->maybe_flush();
      ++written;
    }
  }
  progress.finish();
  if (settings.bucket_field_given) census.check();
  outputs.finish_writing();  // a full disk shows here, before the folder is published
  if (folder) {
    folder->commit(card_command_line(options.args, settings.dataset_dir), PREFLINE_VERSION, bad.skipped(),
                   settings.license);
    one_split_note(*folder, census, *settings.bucket_field, written, options.common.quiet);
  }
  outputs.commit();
  bad.finish(tool);
  prefline::RunSummary summary(tool, "records");
  summary.set_read(read);
  summary.set_written(written);
  summary.set_empty_reason("every record was invalid and skipped (--skip-invalid)");
  summary.print(options.common.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.args.assign(argv + 1, argv + argc);
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--to", options.to);
        app.add_flag("--margin", options.margin);
        options.system_option = app.add_option("--system", options.system);
        options.dataset_dir_option = app.add_option("--dataset-dir", options.dataset_dir);
        options.bucket_field_option = app.add_option("--bucket-field", options.bucket_field);
        options.license_option = app.add_option("--license", options.license);
        app.add_flag("--force", options.force);
      },
      [&] { run(options); }, {{"--split-field", "--bucket-field"}});
}
