// The trainer file formats export writes (TRL, Anthropic HH-RLHF, OpenAI DPO
// and SFT, Alpaca, ShareGPT): what each one reads and carries, its top-level
// keys in order (the dataset card's features), and a format chosen with its
// --margin and --system variants.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/schema/records.hpp"

namespace prefline::trainer {

namespace pair_schema = prefline::schema::pair;
namespace trainer_schema = prefline::schema::trainer;

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
inline constexpr FormatInfo formats[] = {
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

// The format named `name`, or nullptr.
inline const FormatInfo* find_format(std::string_view name) {
  for (const auto& info : formats)
    if (info.name == name) return &info;
  return nullptr;
}

// "a, b or c": the names of the formats for which `predicate` holds.
template <class Predicate>
std::string format_names_where(Predicate predicate, std::string_view last_separator) {
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

inline std::string format_names() {
  return format_names_where([](const FormatInfo&) { return true; }, " or ");
}

// A format as a run writes it: with or without the margin column, with or
// without a system message first.
struct Layout {
  const FormatInfo* format = nullptr;
  bool margin = false;
  std::optional<std::string> system;
};

// The shape of one top-level key, in Hugging Face datasets' feature syntax
// (dtype, list of fields, struct).
enum class Feature { string, float64, messages, turns, input_messages };

struct FeatureSpec {
  std::string_view name;
  Feature kind;
};

// The top-level keys of an example, in the order they are written.
inline std::vector<FeatureSpec> layout_features(const Layout& layout) {
  switch (layout.format->format) {
    case Format::trl:
    case Format::trl_chat: {
      const Feature text = layout.format->format == Format::trl ? Feature::string : Feature::messages;
      std::vector<FeatureSpec> features{
          {pair_schema::prompt, text}, {pair_schema::chosen, text}, {pair_schema::rejected, text}};
      if (layout.margin) features.push_back({trainer_schema::margin, Feature::float64});
      return features;
    }
    case Format::hh_rlhf: return {{pair_schema::chosen, Feature::string}, {pair_schema::rejected, Feature::string}};
    case Format::openai_dpo:
      return {{trainer_schema::input, Feature::input_messages},
              {trainer_schema::preferred_output, Feature::messages},
              {trainer_schema::non_preferred_output, Feature::messages}};
    case Format::openai_sft: return {{trainer_schema::messages, Feature::messages}};
    case Format::alpaca:
      return {{trainer_schema::instruction, Feature::string},
              {trainer_schema::alpaca_input, Feature::string},
              {trainer_schema::output, Feature::string}};
    case Format::sharegpt: return {{trainer_schema::conversations, Feature::turns}};
  }
  return {};
}

}  // namespace prefline::trainer
