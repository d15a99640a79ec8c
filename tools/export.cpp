// export: pair records (pairup output) and SFT examples -> the files trainers
// read (TRL, Anthropic HH-RLHF, OpenAI DPO and SFT, Alpaca, ShareGPT), as one
// stream or as a folder ready to publish as a Hugging Face dataset.
//
// The schemas, checked against each format's published documentation:
// - trl, trl-chat: TRL "Dataset formats and types", preference type, standard
//   and conversational formats (https://huggingface.co/docs/trl/dataset_formats);
//   "margin": TRL RewardTrainer, loss -logsigmoid(r_chosen - r_rejected -
//   margin) (huggingface/trl pull request #719, "Add margin to RM training").
// - hh-rlhf: the Anthropic/hh-rlhf dataset card (https://huggingface.co/
//   datasets/Anthropic/hh-rlhf): each line a "chosen" and a "rejected" text,
//   the whole transcript "\n\nHuman: …\n\nAssistant: …"; trainers split the
//   prompt off at the last "\n\nAssistant:" (TRL's extract_anthropic_prompt).
// - openai-dpo: OpenAI "Direct preference optimization", data format
//   (https://developers.openai.com/api/docs/guides/direct-preference-optimization):
//   {"input":{"messages":[…]},"preferred_output":[assistant message],
//   "non_preferred_output":[assistant message]}; optional "tools" and
//   "parallel_tool_calls" in "input" are not written.
// - openai-sft: OpenAI supervised fine-tuning, the chat format of its
//   training files (https://platform.openai.com/docs/guides/supervised-fine-tuning):
//   {"messages":[system?, user, assistant]}.
// - alpaca: Stanford Alpaca, alpaca_data.json (https://github.com/tatsu-lab/
//   stanford_alpaca#data-release): {"instruction","input","output"}, "input"
//   optional context (empty here).
// - sharegpt: the ShareGPT conversation layout as read by axolotl ("type:
//   sharegpt", docs/dataset-formats/conversation.qmd) and FastChat:
//   {"conversations":[{"from":"system"|"human"|"gpt","value":…}]}.
// - the dataset card: Hugging Face Hub "Dataset Cards" and "Manual
//   Configuration" (https://huggingface.co/docs/hub/datasets-manual-configuration):
//   YAML "configs" with data_files per split, "dataset_info" features/splits;
//   split names must match ^\w+(\.\w+)*$ (datasets/naming.py).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_folder.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"

namespace {

namespace pair_schema = prefline::schema::pair;
namespace sft_schema = prefline::schema::sft;
namespace chat = prefline::schema::chat;
namespace trainer = prefline::schema::trainer;
using json_type = simdjson::ondemand::json_type;

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
      --split-field FIELD  with --dataset-dir: the field naming each
                           record's split (default split; bucket --as split
                           writes it)
      --force              with --dataset-dir: replace DIR when it exists and
                           holds only README.md and data/*.jsonl (what export
                           writes); anything else in it (a .git folder...)
                           and it is left alone. Without --force an existing
                           DIR is an error (exit 1, nothing is read)
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
  - --dataset-dir: the --split-field
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
                        order. SPLIT is the record's --split-field, a string
                        (missing or null: train) of letters, digits and '_'
                        in parts joined by '.' (the split names Hugging Face
                        datasets accept), at most 100 characters, not equal
                        to another split but for case; at most 32 splits.
                        No records at all: an empty train split
  DIR/README.md         the dataset card: a YAML header (configs: the
                        default config's data_files, one per split;
                        dataset_info: the format's features and the splits
                        with num_examples), then the examples per split, the
                        format, and how it was built (the export command
                        line, skipped records). Splits are listed train
                        first, then in name order
  All or nothing: the folder is written as DIR.tmp.XXXXXX next to DIR and
  renamed to DIR at the end; after an error or a signal nothing is left.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'export: FILE:LINE: reason'), DIR exists, or another
     runtime error
  2  bad option or option value (nothing is read)

Example ('export' is also a shell builtin: run the tool by its path, or
through env as here):
  env export --to trl --margin pairs.jsonl > dpo.jsonl
  env export --to openai-dpo --system 'Write D3.' --dataset-dir hf pairs.jsonl
)";

// ---------------------------------------------------------------------------
// Formats.

enum class Format { trl, trl_chat, hh_rlhf, openai_dpo, openai_sft, alpaca, sharegpt };

struct FormatInfo {
  Format format;
  std::string_view name;
  bool preference;     // reads chosen and rejected (else one response)
  bool conversation;   // can carry a 'messages' context
  bool system;         // has a system message
  bool margin;         // has a margin column
  std::string_view description;  // for the dataset card
};

constexpr FormatInfo formats[] = {
    {Format::trl, "trl", true, false, false, true,
     "preference pairs in TRL's standard format: `prompt`, `chosen` and `rejected` are strings "
     "(for DPOTrainer and the other TRL preference trainers)"},
    {Format::trl_chat, "trl-chat", true, true, true, true,
     "preference pairs in TRL's conversational format: `prompt` is a list of `{role, content}` messages, "
     "`chosen` and `rejected` each a list holding one assistant message"},
    {Format::hh_rlhf, "hh-rlhf", true, true, false, false,
     "preference pairs as whole transcripts in the layout of Anthropic's HH-RLHF: `chosen` and `rejected` are "
     "`\"\\n\\nHuman: …\\n\\nAssistant: …\"` texts that differ only in the last Assistant turn"},
    {Format::openai_dpo, "openai-dpo", true, true, true, false,
     "preference pairs in OpenAI's fine-tuning format for the DPO method: `input.messages` is the prompt, "
     "`preferred_output` and `non_preferred_output` each a list holding one assistant message"},
    {Format::openai_sft, "openai-sft", false, true, true, false,
     "chat examples in OpenAI's supervised fine-tuning format: `messages`, a list of `{role, content}` ending "
     "with the assistant's response"},
    {Format::alpaca, "alpaca", false, false, false, false,
     "instruction examples in the Stanford Alpaca layout: `instruction` (the prompt), `input` (empty) and "
     "`output` (the response)"},
    {Format::sharegpt, "sharegpt", false, true, true, false,
     "conversations in the ShareGPT layout: `conversations`, a list of `{from, value}` with `from` one of "
     "`system`, `human`, `gpt`"},
};

// "a, b or c": the names of the formats for which `predicate` holds.
template <class Predicate>
std::string names_where(Predicate predicate, std::string_view last_separator) {
  std::vector<std::string_view> names;
  for (const auto& info : formats)
    if (predicate(info)) names.push_back(info.name);
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? last_separator : std::string_view(", ");
    text += names[i];
  }
  return text;
}

std::string format_names() {
  return names_where([](const FormatInfo&) { return true; }, " or ");
}

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
  std::string split_field = std::string(sft_schema::split);
  CLI::Option* split_field_option = nullptr;
  bool force = false;
  std::string command_line;  // for the dataset card
};

struct Settings {
  const FormatInfo* format = nullptr;
  bool margin = false;
  std::optional<std::string> system;
  std::string dataset_dir;  // empty: one stream
  std::string split_field;
  bool force = false;
};

constexpr std::size_t max_split_name = 100;
constexpr std::size_t max_splits = 32;

// What export writes into a dataset folder, and so what --force may replace.
bool owned_by_export(std::string_view relative, bool is_folder) {
  if (is_folder) return relative == "data";
  if (relative == "README.md") return true;
  constexpr std::string_view prefix = "data/", suffix = ".jsonl";
  return relative.size() > prefix.size() + suffix.size() && relative.starts_with(prefix) &&
         relative.ends_with(suffix) && relative.find('/', prefix.size()) == std::string_view::npos;
}

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  if (options.to.empty())
    throw prefline::UsageError(fmt::format("--to FORMAT is required: {}", format_names()));
  for (const auto& info : formats)
    if (info.name == options.to) settings.format = &info;
  if (settings.format == nullptr)
    throw prefline::UsageError(fmt::format("--to: '{}' is not {}", options.to, format_names()));
  const FormatInfo& format = *settings.format;

  settings.margin = options.margin;
  if (options.margin && !format.margin)
    throw prefline::UsageError(fmt::format("--margin: format '{}' has no margin (only {} have)", format.name,
                                           names_where([](const FormatInfo& f) { return f.margin; }, " and ")));
  if (options.system_option->count() > 0) {
    if (!format.system)
      throw prefline::UsageError(fmt::format("--system: format '{}' has no system message (use {})", format.name,
                                             names_where([](const FormatInfo& f) { return f.system; }, " or ")));
    if (options.system.find_first_not_of(" \t\r\n") == std::string::npos)
      throw prefline::UsageError("--system needs a text that is not empty or only white space");
    settings.system = options.system;
  }

  const bool folder = options.dataset_dir_option->count() > 0;
  if (!folder) {
    if (options.force) throw prefline::UsageError("--force needs --dataset-dir");
    if (options.split_field_option->count() > 0) throw prefline::UsageError("--split-field needs --dataset-dir");
    return settings;
  }
  if (options.common.output != "-") throw prefline::UsageError("--dataset-dir and --output cannot be combined");
  if (options.dataset_dir.empty()) throw prefline::UsageError("--dataset-dir needs a folder name");
  settings.dataset_dir = prefline::OutputFolder::target_name(options.dataset_dir, "--dataset-dir");
  if (options.split_field.empty()) throw prefline::UsageError("--split-field needs a field name");
  for (std::string_view content : {pair_schema::prompt, pair_schema::chosen, pair_schema::rejected,
                                   pair_schema::metadata, sft_schema::messages, sft_schema::response})
    if (options.split_field == content)
      throw prefline::UsageError(fmt::format("--split-field: '{}' is a field export reads as content", content));
  settings.split_field = options.split_field;
  settings.force = options.force;
  return settings;
}

// ---------------------------------------------------------------------------
// Reading one example.

enum class Role { system, user, assistant };

struct Message {
  Role role;
  std::string_view content;
};

// One record's content. Texts point into the parser's buffers: valid until
// the next record is parsed.
struct Example {
  std::vector<Message> context;
  bool from_messages = false;
  std::string_view chosen;  // the response of SFT formats
  std::string_view rejected;
  double margin = 0;
  std::string_view split;
};

// Field names in messages are built only when a record is bad: `Name` is a
// callable giving the name ("chosen", "messages[2].content").
template <class Name>
std::string read_text(simdjson::ondemand::value value, std::string_view& text, const Name& name) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::string) return fmt::format("'{}' must be a string, not {}", name(), prefline::json_type_name(type));
  if (auto error = value.get_string().get(text)) return prefline::json_error_reason(error);
  if (text.empty()) return fmt::format("'{}' is empty", name());
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return fmt::format("'{}' is only white space", name());
  return {};
}

auto named(std::string_view name) {
  return [name] { return name; };
}

std::string read_messages(simdjson::ondemand::value value, std::vector<Message>& messages) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::array)
    return fmt::format("'{}' must be an array, not {}", sft_schema::messages, prefline::json_type_name(type));
  simdjson::ondemand::array array;
  if (auto error = value.get_array().get(array)) return prefline::json_error_reason(error);
  std::size_t index = 0;
  for (auto element : array) {
    const std::size_t at = index++;
    auto path = [at] { return fmt::format("{}[{}]", sft_schema::messages, at); };
    simdjson::ondemand::value item;
    if (auto error = element.get(item)) return prefline::json_error_reason(error);
    if (auto error = item.type().get(type)) return prefline::json_error_reason(error);
    if (type != json_type::object) return fmt::format("'{}' must be an object, not {}", path(), prefline::json_type_name(type));
    simdjson::ondemand::object object;
    if (auto error = item.get_object().get(object)) return prefline::json_error_reason(error);
    Message message{Role::user, {}};
    bool have_role = false, have_content = false;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return prefline::json_error_reason(error);
      simdjson::ondemand::value part;
      if (auto error = field.value().get(part)) return prefline::json_error_reason(error);
      if (key == chat::role) {
        if (have_role) return fmt::format("'{}' has a duplicate key '{}'", path(), key);
        have_role = true;
        std::string_view role;
        if (auto error = part.type().get(type)) return prefline::json_error_reason(error);
        if (type != json_type::string || part.get_string().get(role))
          return fmt::format("'{}.{}' must be a string, not {}", path(), chat::role, prefline::json_type_name(type));
        if (role == chat::system) message.role = Role::system;
        else if (role == chat::user) message.role = Role::user;
        else if (role == chat::assistant) message.role = Role::assistant;
        else return fmt::format("'{}.{}' is '{}', not system, user or assistant", path(), chat::role, role);
      } else if (key == chat::content) {
        if (have_content) return fmt::format("'{}' has a duplicate key '{}'", path(), key);
        have_content = true;
        std::string reason =
            read_text(part, message.content, [&] { return fmt::format("{}.{}", path(), chat::content); });
        if (!reason.empty()) return reason;
      } else {
        return fmt::format("'{}' has key '{}': only '{}' and '{}' are exported", path(), key, chat::role, chat::content);
      }
    }
    if (!have_role) return fmt::format("missing '{}.{}'", path(), chat::role);
    if (!have_content) return fmt::format("missing '{}.{}'", path(), chat::content);
    if (message.role == Role::system && at > 0)
      return fmt::format("'{}' is a system message: only the first message may be one", path());
    messages.push_back(message);
  }
  if (messages.empty()) return fmt::format("'{}' is empty", sft_schema::messages);
  if (messages.back().role != Role::user)
    return fmt::format("'{}' must end with a user message (the one the response answers)", sft_schema::messages);
  return {};
}

std::string read_margin(simdjson::ondemand::value value, double& margin, bool& found) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::object)
    return fmt::format("'{}' must be an object, not {}", pair_schema::metadata, prefline::json_type_name(type));
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) return prefline::json_error_reason(error);
  auto what = [] { return fmt::format("{}.{}", pair_schema::metadata, pair_schema::score_difference); };
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return prefline::json_error_reason(error);
    simdjson::ondemand::value part;
    if (auto error = field.value().get(part)) return prefline::json_error_reason(error);
    if (key != pair_schema::score_difference) {
      // not wanted: only make sure it is well-formed JSON
      if (auto error = prefline::check_value(part)) return prefline::json_error_reason(error);
      continue;
    }
    if (found) return fmt::format("'{}' has a duplicate key '{}'", pair_schema::metadata, key);
    found = true;
    if (auto error = part.type().get(type)) return prefline::json_error_reason(error);
    if (type != json_type::number)
      return fmt::format("'{}' must be a number, not {}", what(), prefline::json_type_name(type));
    if (part.get_double().get(margin) || !std::isfinite(margin)) return fmt::format("'{}' is not a valid number", what());
    if (margin < 0)
      return fmt::format("'{}' is {}: a margin must be 0 or more (the chosen side scores higher)", what(), margin);
    if (margin == 0) margin = 0;  // -0 is 0
  }
  return {};
}

// Letters, digits and '_' in parts joined by '.': Hugging Face datasets'
// split name pattern ^\w+(\.\w+)*$ in ASCII, which is also a safe file name.
bool is_split_name(std::string_view name) {
  if (name.empty() || name.size() > max_split_name || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word && !(c == '.' && previous != '.')) return false;
    previous = c;
  }
  return true;
}

class ExampleReader {
 public:
  explicit ExampleReader(const Settings& settings) : settings_(settings), picker_(wanted_fields(settings)) {}

  // Parses one line into `example`; returns the reason when the record is bad.
  std::string read(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, Example& example) {
    simdjson::ondemand::document document;
    std::string reason = prefline::start_object(parser, line, document);
    if (!reason.empty()) return reason;
    simdjson::ondemand::object object;
    if (auto error = document.get_object().get(object)) return prefline::json_error_reason(error);

    example.context.clear();
    example.chosen = example.rejected = example.split = {};
    example.margin = 0;
    std::string_view prompt, response;
    bool have_metadata = false, have_margin = false;
    reason = picker_.pick(object, [&](std::size_t index, simdjson::ondemand::value value) -> std::string {
      switch (roles_[index]) {
        case Field::prompt: return read_text(value, prompt, named(pair_schema::prompt));
        case Field::messages: return read_messages(value, example.context);
        case Field::chosen: return read_text(value, example.chosen, named(pair_schema::chosen));
        case Field::rejected: return read_text(value, example.rejected, named(pair_schema::rejected));
        case Field::response: return read_text(value, response, named(sft_schema::response));
        case Field::metadata:
          have_metadata = true;
          return read_margin(value, example.margin, have_margin);
        case Field::split: return read_split(value, example.split);
      }
      return {};
    });
    if (!reason.empty()) return reason;
    if (!document.current_location().error()) return prefline::json_error_reason(simdjson::TRAILING_CONTENT);
    return check(example, prompt, response, have_metadata, have_margin);
  }

 private:
  enum class Field { prompt, messages, chosen, rejected, response, metadata, split };

  std::vector<std::string> wanted_fields(const Settings& settings) {
    std::vector<std::string> names;
    auto want = [&](std::string_view name, Field field) {
      names.emplace_back(name);
      roles_.push_back(field);
    };
    want(pair_schema::prompt, Field::prompt);
    want(sft_schema::messages, Field::messages);
    want(pair_schema::chosen, Field::chosen);
    if (settings.format->preference) want(pair_schema::rejected, Field::rejected);
    else want(sft_schema::response, Field::response);
    if (settings.margin) want(pair_schema::metadata, Field::metadata);
    if (!settings.dataset_dir.empty()) want(settings.split_field, Field::split);
    return names;
  }

  std::string read_split(simdjson::ondemand::value value, std::string_view& split) {
    json_type type;
    if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
    if (type == json_type::null) return {};
    if (type != json_type::string)
      return fmt::format("split field '{}' must be a string, not {}", settings_.split_field, prefline::json_type_name(type));
    if (auto error = value.get_string().get(split)) return prefline::json_error_reason(error);
    if (!is_split_name(split))
      return fmt::format("split '{}' is not a split name (letters, digits and '_' in parts joined by '.', at most {} "
                         "characters)", split, max_split_name);
    return {};
  }

  std::string check(Example& example, std::string_view prompt, std::string_view response, bool have_metadata,
                    bool have_margin) const {
    const FormatInfo& format = *settings_.format;
    const bool have_prompt = picker_.seen(index_of(Field::prompt));
    example.from_messages = picker_.seen(index_of(Field::messages));
    if (have_prompt && example.from_messages)
      return fmt::format("has both '{}' and '{}': which one is the context?", pair_schema::prompt, sft_schema::messages);
    if (!have_prompt && !example.from_messages)
      return fmt::format("missing '{}' (or '{}')", pair_schema::prompt, sft_schema::messages);
    if (example.from_messages && !format.conversation)
      return fmt::format("format '{}' needs '{}' as a string: it has no form for a '{}' conversation", format.name,
                         pair_schema::prompt, sft_schema::messages);
    if (have_prompt) example.context.push_back({Role::user, prompt});

    const bool have_chosen = picker_.seen(index_of(Field::chosen));
    if (format.preference) {
      if (!have_chosen) return fmt::format("missing '{}'", pair_schema::chosen);
      if (!picker_.seen(index_of(Field::rejected))) return fmt::format("missing '{}'", pair_schema::rejected);
    } else {
      const bool have_response = picker_.seen(index_of(Field::response));
      if (have_response && have_chosen)
        return fmt::format("has both '{}' and '{}': which one is the response?", sft_schema::response,
                           pair_schema::chosen);
      if (!have_response && !have_chosen)
        return fmt::format("missing '{}' (or a pair record's '{}')", sft_schema::response, pair_schema::chosen);
      if (have_response) example.chosen = response;
    }
    if (settings_.margin) {
      if (!have_metadata)
        return fmt::format("missing '{}' (--margin reads {}.{})", pair_schema::metadata, pair_schema::metadata,
                           pair_schema::score_difference);
      if (!have_margin) return fmt::format("missing '{}.{}' (--margin)", pair_schema::metadata, pair_schema::score_difference);
    }
    if (settings_.system && example.context.front().role == Role::system)
      return fmt::format("'{}' already starts with a system message: --system would add a second",
                         sft_schema::messages);
    if (format.format == Format::hh_rlhf) {
      if (example.context.front().role == Role::system)
        return fmt::format("format 'hh-rlhf' has no system turn, and '{}[0]' is a system message", sft_schema::messages);
      std::string reason = check_transcript_text(example.chosen, named(pair_schema::chosen));
      if (reason.empty()) reason = check_transcript_text(example.rejected, named(pair_schema::rejected));
      for (std::size_t i = 0; i < example.context.size() && reason.empty(); ++i)
        reason = check_transcript_text(example.context[i].content, [&] {
          return example.from_messages ? fmt::format("{}[{}].{}", sft_schema::messages, i, chat::content)
                                       : std::string(pair_schema::prompt);
        });
      if (!reason.empty()) return reason;
    }
    return {};
  }

  // A turn marker inside a text would make the transcript split wrongly.
  template <class Name>
  static std::string check_transcript_text(std::string_view text, const Name& name) {
    for (std::string_view marker : {trainer::hh_human, trainer::hh_assistant}) {
      marker.remove_suffix(1);  // "\n\nHuman:" with or without the space
      if (text.find(marker) != std::string_view::npos)
        return fmt::format("'{}' holds '\\n\\n{}', which would break the hh-rlhf transcript", name(),
                           marker.substr(2));
    }
    return {};
  }

  std::size_t index_of(Field field) const {
    return static_cast<std::size_t>(std::find(roles_.begin(), roles_.end(), field) - roles_.begin());
  }

  const Settings& settings_;
  std::vector<Field> roles_;
  prefline::FieldPicker picker_;
};

// ---------------------------------------------------------------------------
// Writing one example.

std::string_view role_name(Role role) {
  switch (role) {
    case Role::system: return chat::system;
    case Role::user: return chat::user;
    case Role::assistant: return chat::assistant;
  }
  return chat::user;
}

std::string_view sharegpt_from(Role role) {
  switch (role) {
    case Role::system: return trainer::sharegpt_system;
    case Role::user: return trainer::sharegpt_human;
    case Role::assistant: return trainer::sharegpt_gpt;
  }
  return trainer::sharegpt_human;
}

class ExampleWriter {
 public:
  explicit ExampleWriter(const Settings& settings) : settings_(settings) {}

  void write(prefline::Buffer& out, const Example& example) {
    prefline::JsonWriter json(out);
    json.begin_object();
    switch (settings_.format->format) {
      case Format::trl:
        json.key(pair_schema::prompt).string(example.context.front().content);
        json.key(pair_schema::chosen).string(example.chosen);
        json.key(pair_schema::rejected).string(example.rejected);
        if (settings_.margin) json.key(trainer::margin).number(example.margin);
        break;
      case Format::trl_chat:
        json.key(pair_schema::prompt).begin_array();
        write_context(json, example);
        json.end_array();
        json.key(pair_schema::chosen).begin_array();
        message(json, chat::assistant, example.chosen);
        json.end_array();
        json.key(pair_schema::rejected).begin_array();
        message(json, chat::assistant, example.rejected);
        json.end_array();
        if (settings_.margin) json.key(trainer::margin).number(example.margin);
        break;
      case Format::hh_rlhf: {
        transcript_.clear();
        for (const Message& turn : example.context) {
          transcript_ += turn.role == Role::user ? trainer::hh_human : trainer::hh_assistant;
          transcript_ += turn.content;
        }
        transcript_ += trainer::hh_assistant;
        const std::size_t shared = transcript_.size();
        transcript_ += example.chosen;
        json.key(pair_schema::chosen).string(transcript_);
        transcript_.resize(shared);
        transcript_ += example.rejected;
        json.key(pair_schema::rejected).string(transcript_);
        break;
      }
      case Format::openai_dpo:
        json.key(trainer::input).begin_object();
        json.key(trainer::messages).begin_array();
        write_context(json, example);
        json.end_array();
        json.end_object();
        json.key(trainer::preferred_output).begin_array();
        message(json, chat::assistant, example.chosen);
        json.end_array();
        json.key(trainer::non_preferred_output).begin_array();
        message(json, chat::assistant, example.rejected);
        json.end_array();
        break;
      case Format::openai_sft:
        json.key(trainer::messages).begin_array();
        write_context(json, example);
        message(json, chat::assistant, example.chosen);
        json.end_array();
        break;
      case Format::alpaca:
        json.key(trainer::instruction).string(example.context.front().content);
        json.key(trainer::alpaca_input).string("");
        json.key(trainer::output).string(example.chosen);
        break;
      case Format::sharegpt:
        json.key(trainer::conversations).begin_array();
        if (settings_.system) turn(json, trainer::sharegpt_system, *settings_.system);
        for (const Message& message : example.context) turn(json, sharegpt_from(message.role), message.content);
        turn(json, trainer::sharegpt_gpt, example.chosen);
        json.end_array();
        break;
    }
    json.end_object();
    json.end_record();
  }

 private:
  static void message(prefline::JsonWriter& json, std::string_view role, std::string_view content) {
    json.begin_object().key(chat::role).string(role).key(chat::content).string(content).end_object();
  }
  static void turn(prefline::JsonWriter& json, std::string_view from, std::string_view value) {
    json.begin_object().key(trainer::from).string(from).key(trainer::value).string(value).end_object();
  }
  void write_context(prefline::JsonWriter& json, const Example& example) const {
    if (settings_.system) message(json, chat::system, *settings_.system);
    for (const Message& turn : example.context) message(json, role_name(turn.role), turn.content);
  }

  const Settings& settings_;
  std::string transcript_;  // hh-rlhf, reused
};

// ---------------------------------------------------------------------------
// The dataset folder: one file per split and the dataset card.

// The card's YAML "dataset_info.features" of each format (Hugging Face
// datasets' feature syntax: dtype, list of fields, struct).
enum class Feature { string, float64, messages, turns, input_messages };

struct FeatureSpec {
  std::string_view name;
  Feature kind;
};

std::vector<FeatureSpec> format_features(const Settings& settings) {
  switch (settings.format->format) {
    case Format::trl:
    case Format::trl_chat: {
      const Feature text = settings.format->format == Format::trl ? Feature::string : Feature::messages;
      std::vector<FeatureSpec> features{{pair_schema::prompt, text}, {pair_schema::chosen, text}, {pair_schema::rejected, text}};
      if (settings.margin) features.push_back({trainer::margin, Feature::float64});
      return features;
    }
    case Format::hh_rlhf: return {{pair_schema::chosen, Feature::string}, {pair_schema::rejected, Feature::string}};
    case Format::openai_dpo:
      return {{trainer::input, Feature::input_messages},
              {trainer::preferred_output, Feature::messages},
              {trainer::non_preferred_output, Feature::messages}};
    case Format::openai_sft: return {{trainer::messages, Feature::messages}};
    case Format::alpaca:
      return {{trainer::instruction, Feature::string}, {trainer::alpaca_input, Feature::string}, {trainer::output, Feature::string}};
    case Format::sharegpt: return {{trainer::conversations, Feature::turns}};
  }
  return {};
}

void yaml_feature(std::string& out, std::size_t indent, std::string_view name, Feature kind) {
  const std::string pad(indent, ' ');
  fmt::format_to(std::back_inserter(out), "{}- name: {}\n", pad, name);
  switch (kind) {
    case Feature::string: fmt::format_to(std::back_inserter(out), "{}  dtype: string\n", pad); break;
    case Feature::float64: fmt::format_to(std::back_inserter(out), "{}  dtype: float64\n", pad); break;
    case Feature::messages:
      fmt::format_to(std::back_inserter(out), "{}  list:\n", pad);
      yaml_feature(out, indent + 2, chat::role, Feature::string);
      yaml_feature(out, indent + 2, chat::content, Feature::string);
      break;
    case Feature::turns:
      fmt::format_to(std::back_inserter(out), "{}  list:\n", pad);
      yaml_feature(out, indent + 2, trainer::from, Feature::string);
      yaml_feature(out, indent + 2, trainer::value, Feature::string);
      break;
    case Feature::input_messages:
      fmt::format_to(std::back_inserter(out), "{}  struct:\n", pad);
      yaml_feature(out, indent + 2, trainer::messages, Feature::messages);
      break;
  }
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A Markdown code fence longer than any run of backticks in `text`.
std::string code_fence(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

class DatasetFolder {
 public:
  explicit DatasetFolder(const Settings& settings) : settings_(settings) {
    prefline::OutputFolder::check_target(settings.dataset_dir, settings.force, owned_by_export);
    folder_.open(settings.dataset_dir, settings.force, owned_by_export);
    folder_.make_folder(data_folder);
  }

  // The output of the record's split (opened on first use), or the reason
  // the split cannot be written.
  std::string output_for(std::string_view name, prefline::Output*& output) {
    if (name.empty()) name = sft_schema::default_split;
    for (auto& split : splits_)
      if (split.name == name) {
        ++split.examples;
        output = split.output.get();
        return {};
      }
    for (const auto& split : splits_)
      if (equal_ignoring_case(split.name, name))
        return fmt::format("split '{}' differs from split '{}' only in case (file names could clash)", name, split.name);
    if (splits_.size() == max_splits)
      return fmt::format("split '{}' would be split number {}: at most {} splits (is --split-field right?)", name,
                         max_splits + 1, max_splits);
    open_split(name);
    ++splits_.back().examples;
    output = splits_.back().output.get();
    return {};
  }

  // Commits the split files, writes the card and gives the folder its name.
  void commit(const std::string& command_line, std::uint64_t skipped) {
    if (splits_.empty()) open_split(sft_schema::default_split);
    for (auto& split : splits_) split.output->commit();
    prefline::Output card;
    card.open(folder_.file("README.md"));
    card.buffer().append(dataset_card(command_line, skipped));
    card.commit();
    folder_.commit();
  }

 private:
  static constexpr std::string_view data_folder = "data";

  struct Split {
    std::string name;
    std::uint64_t examples = 0;
    std::unique_ptr<prefline::Output> output;
  };

  static std::string split_path(std::string_view name) { return fmt::format("{}/{}.jsonl", data_folder, name); }

  void open_split(std::string_view name) {
    Split split{std::string(name), 0, std::make_unique<prefline::Output>()};
    split.output->open(folder_.file(split_path(name)));
    splits_.push_back(std::move(split));
  }

  std::string dataset_card(const std::string& command_line, std::uint64_t skipped) const {
    // Train first (what loaders and the Hub viewer show first), then by name.
    std::vector<const Split*> order;
    for (const auto& split : splits_) order.push_back(&split);
    std::sort(order.begin(), order.end(), [](const Split* a, const Split* b) {
      const bool a_train = a->name == sft_schema::default_split, b_train = b->name == sft_schema::default_split;
      return a_train != b_train ? a_train : a->name < b->name;
    });
    std::uint64_t total = 0;
    for (const Split* split : order) total += split->examples;

    std::string card;
    auto out = std::back_inserter(card);
    // Split names and paths are quoted: a plain "1", "null" or "on" would not
    // be read back as a string.
    fmt::format_to(out, "---\nconfigs:\n- config_name: default\n  data_files:\n");
    for (const Split* split : order)
      fmt::format_to(out, "  - split: \"{}\"\n    path: \"{}\"\n", split->name, split_path(split->name));
    fmt::format_to(out, "dataset_info:\n  features:\n");
    for (const auto& feature : format_features(settings_)) yaml_feature(card, 2, feature.name, feature.kind);
    fmt::format_to(out, "  splits:\n");
    for (const Split* split : order)
      fmt::format_to(out, "  - name: \"{}\"\n    num_examples: {}\n", split->name, split->examples);
    fmt::format_to(out, "---\n\n");

    const std::string& dir = settings_.dataset_dir;
    const std::size_t slash = dir.find_last_of('/');
    const FormatInfo& format = *settings_.format;
    fmt::format_to(out, "# Dataset Card for {}\n\n", slash == std::string::npos ? dir : dir.substr(slash + 1));
    fmt::format_to(out, "{} {}: {}.\n\n", total, total == 1 ? "example" : "examples", format.description);
    fmt::format_to(out, "| split | examples | file |\n|---|---:|---|\n");
    for (const Split* split : order)
      fmt::format_to(out, "| {} | {} | `{}` |\n", split->name, split->examples, split_path(split->name));

    fmt::format_to(out, "\n## Format\n\n`{}`, one JSON object per line (JSON Lines), keys in this order: ", format.name);
    const auto features = format_features(settings_);
    for (std::size_t i = 0; i < features.size(); ++i)
      fmt::format_to(out, "{}`{}`", i == 0 ? "" : ", ", features[i].name);
    fmt::format_to(out, ".\n");
    if (settings_.system) fmt::format_to(out, "Every example starts with the same system message (`--system`).\n");
    if (settings_.margin)
      fmt::format_to(out, "`{}` is the pair's `{}.{}`: the chosen answer's score minus the rejected one's.\n",
                     trainer::margin, pair_schema::metadata, pair_schema::score_difference);

    const std::string fence = code_fence(command_line);
    fmt::format_to(out, "\n## How it was built\n\nWritten by `export` (prefline {}) from JSON Lines records:\n\n",
                   PREFLINE_VERSION);
    fmt::format_to(out, "{}sh\n{}\n{}\n", fence, command_line, fence);
    if (skipped > 0)
      fmt::format_to(out, "\n{} invalid input {} left out (`--skip-invalid`).\n", skipped,
                     skipped == 1 ? "record was" : "records were");
    fmt::format_to(out, "\nLoad it with `datasets.load_dataset(\"PATH\")`, PATH being this folder or its Hub "
                        "repository.\n");
    return card;
  }

  const Settings& settings_;
  prefline::OutputFolder folder_;  // declared before the splits: destroyed after them
  std::vector<Split> splits_;
};

// The command line for the dataset card, each argument quoted for a POSIX
// shell when it needs it, the program named 'export' (not its path).
std::string quoted_command_line(int argc, char** argv) {
  std::string line(tool);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    line += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789_-./=:,+@%") == std::string_view::npos;
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) {
      if (c == '\'') line += "'\\''";
      else line += c;
    }
    line += '\'';
  }
  return line;
}

// ---------------------------------------------------------------------------

void run(const Options& options) {
  const Settings settings = make_settings(options);
  // -o (or the --dataset-dir folder) and --rejects: all or none.
  prefline::OutputSet outputs;
  std::unique_ptr<DatasetFolder> folder;
  prefline::Output* out = nullptr;
  if (settings.dataset_dir.empty()) out = &outputs.add(options.common.output);
  else folder = std::make_unique<DatasetFolder>(settings);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  simdjson::ondemand::parser parser;
  ExampleReader reader(settings);
  ExampleWriter writer(settings);
  Example example;

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      progress.tick();
      std::string reason = reader.read(parser, line, example);
      prefline::Output* target = out;
      if (reason.empty() && folder) reason = folder->output_for(example.split, target);
      if (!reason.empty()) {
        bad.handle(name, line.number, reason, line.text);
        continue;
      }
      writer.write(target->buffer(), example);
      target->maybe_flush();
    }
  }
  progress.finish();
  outputs.finish_writing();  // a full disk shows here, before the folder is published
  if (folder) folder->commit(options.command_line, bad.skipped());
  outputs.commit();
  bad.finish(tool);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.command_line = quoted_command_line(argc, argv);
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--to", options.to);
        app.add_flag("--margin", options.margin);
        options.system_option = app.add_option("--system", options.system);
        options.dataset_dir_option = app.add_option("--dataset-dir", options.dataset_dir);
        options.split_field_option = app.add_option("--split-field", options.split_field);
        app.add_flag("--force", options.force);
      },
      [&] { run(options); });
}
