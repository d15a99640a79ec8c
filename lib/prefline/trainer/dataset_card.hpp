// The dataset card (README.md) of a dataset folder export writes: the YAML
// header the Hugging Face Hub reads (license, task_categories, configs with
// one data file per split, dataset_info with the layout's features and the
// split sizes), then the examples per split, the format and the command line
// that built it, with no local path but those relative to the folder's parent
// (a card is published; /home/someone/... tells its readers nothing).
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/schema/records.hpp"
#include "prefline/trainer/format.hpp"
#include "prefline/trainer/split_name.hpp"

namespace prefline::trainer {

struct SplitCount {
  std::string name;
  std::uint64_t examples = 0;
};

// The license of a card whose --license was not given: the Hub's "other",
// with a line in the card saying it was not set.
inline constexpr std::string_view unset_license = "other";

// The every-format task of the Hub's task_categories: the trainers that read
// these files train text generators (SFT, and DPO or reward models on pairs).
inline constexpr std::string_view task_category = "text-generation";

// A Hub license id: lower-case letters, digits, '-' and '.' (mit, apache-2.0,
// cc-by-4.0, other), starting with a letter.
inline bool is_license_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return true;
}

// A path from the command line as the card shows it: relative to the parent
// of the dataset folder when it lies under it (the folder itself is its own
// name), else only its file name; "-" (standard input) as it is.
inline std::string path_for_card(std::string_view path, std::string_view dataset_dir) {
  namespace fs = std::filesystem;
  if (path == "-" || path.empty()) return std::string(path);
  std::error_code error;
  const fs::path parent = fs::absolute(fs::path(dataset_dir), error).lexically_normal().parent_path();
  fs::path full = fs::absolute(fs::path(path), error).lexically_normal();
  if (!full.has_filename()) full = full.parent_path();  // "dir/" names dir
  const fs::path relative = full.lexically_relative(parent);
  if (!relative.empty() && *relative.begin() != ".." && relative != ".") return relative.generic_string();
  return full.filename().generic_string();
}

namespace detail {

inline void yaml_feature(std::string& out, std::size_t indent, std::string_view name, Feature kind) {
  namespace chat = prefline::schema::chat;
  namespace trainer_schema = prefline::schema::trainer;
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
      yaml_feature(out, indent + 2, trainer_schema::from, Feature::string);
      yaml_feature(out, indent + 2, trainer_schema::value, Feature::string);
      break;
    case Feature::input_messages:
      fmt::format_to(std::back_inserter(out), "{}  struct:\n", pad);
      yaml_feature(out, indent + 2, trainer_schema::messages, Feature::messages);
      break;
  }
}

// A Markdown code fence longer than any run of backticks in `text`.
inline std::string code_fence(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

}  // namespace detail

// The card of the folder `dataset_dir` (its last part names the dataset).
// `command_line` is shown as the way it was built, by prefline `version`
// (with paths already as path_for_card() shows them); `skipped` counts the
// records --skip-invalid left out; `license` is --license (none: "other",
// and a line saying it was not set).
inline std::string dataset_card(const Layout& layout, std::string_view dataset_dir,
                                const std::vector<SplitCount>& splits, std::string_view command_line,
                                std::string_view version, std::uint64_t skipped,
                                std::optional<std::string_view> license = std::nullopt) {
  namespace pair_schema = prefline::schema::pair;
  namespace sft_schema = prefline::schema::sft;
  namespace trainer_schema = prefline::schema::trainer;
  // Train first (what loaders and the Hub viewer show first), then by name.
  std::vector<const SplitCount*> order;
  for (const auto& split : splits) order.push_back(&split);
  std::sort(order.begin(), order.end(), [](const SplitCount* a, const SplitCount* b) {
    const bool a_train = a->name == sft_schema::default_split, b_train = b->name == sft_schema::default_split;
    return a_train != b_train ? a_train : a->name < b->name;
  });
  std::uint64_t total = 0;
  for (const SplitCount* split : order) total += split->examples;

  std::string card;
  auto out = std::back_inserter(card);
  // Split names and paths are quoted: a plain "1", "null" or "on" would not
  // be read back as a string.
  fmt::format_to(out, "---\nlicense: {}\ntask_categories:\n- {}\n", license ? *license : unset_license, task_category);
  fmt::format_to(out, "configs:\n- config_name: default\n  data_files:\n");
  for (const SplitCount* split : order)
    fmt::format_to(out, "  - split: \"{}\"\n    path: \"{}\"\n", split->name, split_path(split->name));
  fmt::format_to(out, "dataset_info:\n  features:\n");
  const std::vector<FeatureSpec> features = layout_features(layout);
  for (const auto& feature : features) detail::yaml_feature(card, 2, feature.name, feature.kind);
  fmt::format_to(out, "  splits:\n");
  for (const SplitCount* split : order)
    fmt::format_to(out, "  - name: \"{}\"\n    num_examples: {}\n", split->name, split->examples);
  fmt::format_to(out, "---\n\n");

  const std::size_t slash = dataset_dir.find_last_of('/');
  const FormatInfo& format = *layout.format;
  fmt::format_to(out, "# Dataset Card for {}\n\n",
                 slash == std::string_view::npos ? dataset_dir : dataset_dir.substr(slash + 1));
  fmt::format_to(out, "{} {}: {}.\n\n", total, total == 1 ? "example" : "examples", format.description);
  fmt::format_to(out, "| split | examples | file |\n|---|---:|---|\n");
  for (const SplitCount* split : order)
    fmt::format_to(out, "| {} | {} | `{}` |\n", split->name, split->examples, split_path(split->name));

  fmt::format_to(out, "\n## Format\n\n`{}`, one JSON object per line (JSON Lines), keys in this order: ", format.name);
  for (std::size_t i = 0; i < features.size(); ++i)
    fmt::format_to(out, "{}`{}`", i == 0 ? "" : ", ", features[i].name);
  fmt::format_to(out, ".\n");
  if (layout.system) fmt::format_to(out, "Every example starts with the same system message (`--system`).\n");
  if (layout.margin)
    fmt::format_to(out, "`{}` is the pair's `{}.{}`: the chosen answer's score minus the rejected one's.\n",
                   trainer_schema::margin, pair_schema::metadata, pair_schema::score_difference);

  const std::string fence = detail::code_fence(command_line);
  fmt::format_to(out, "\n## How it was built\n\nWritten by `export` (prefline {}) from JSON Lines records:\n\n",
                 version);
  fmt::format_to(out, "{}sh\n{}\n{}\n", fence, command_line, fence);
  if (skipped > 0)
    fmt::format_to(out, "\n{} invalid input {} left out (`--skip-invalid`).\n", skipped,
                   skipped == 1 ? "record was" : "records were");
  if (!license)
    fmt::format_to(out, "\nThe license was not set: the header says `license: {}`. Set it with `export --license ID` "
                        "(a Hugging Face license id such as `mit`, `apache-2.0` or `cc-by-4.0`) or by editing the "
                        "header.\n",
                   unset_license);
  fmt::format_to(out, "\nLoad it with `datasets.load_dataset(\"PATH\")`, PATH being this folder or its Hub "
                      "repository.\n");
  return card;
}

}  // namespace prefline::trainer
