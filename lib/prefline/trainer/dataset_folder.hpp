// A Hugging Face dataset folder written all or nothing: one JSONL file per
// split under data/, opened as records name their split, and the dataset
// card; the folder takes its name only at commit. --force replaces an old
// folder only when it holds nothing but what export writes.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/io/output.hpp"
#include "prefline/io/output_folder.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/trainer/dataset_card.hpp"
#include "prefline/trainer/format.hpp"
#include "prefline/trainer/split_name.hpp"

namespace prefline::trainer {

inline constexpr std::size_t max_splits = 32;

// What export writes into a dataset folder, and so what --force may replace.
inline bool owned_by_export(std::string_view relative, bool is_folder) {
  if (is_folder) return relative == data_folder;
  if (relative == "README.md") return true;
  constexpr std::string_view suffix = ".jsonl";
  const std::size_t prefix = data_folder.size() + 1;
  return relative.size() > prefix + suffix.size() && relative.starts_with(data_folder) &&
         relative[data_folder.size()] == '/' && relative.ends_with(suffix) &&
         relative.find('/', prefix) == std::string_view::npos;
}

namespace detail {

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace detail

class DatasetFolder {
 public:
  // Throws DataError when `path` exists (and, with `force`, holds anything
  // export did not write).
  DatasetFolder(const std::string& path, bool force, const Layout& layout) : path_(path), layout_(layout) {
    prefline::OutputFolder::check_target(path, force, owned_by_export);
    folder_.open(path, force, owned_by_export);
    folder_.make_folder(data_folder);
  }

  // The output of the split `name` (opened on first use; "" is train), or
  // the reason the split cannot be written.
  std::string output_for(std::string_view name, prefline::Output*& output) {
    if (name.empty()) name = prefline::schema::sft::default_split;
    for (auto& split : splits_)
      if (split.count.name == name) {
        ++split.count.examples;
        output = split.output.get();
        return {};
      }
    for (const auto& split : splits_)
      if (detail::equal_ignoring_case(split.count.name, name))
        return fmt::format("split '{}' differs from split '{}' only in case (file names could clash)", name,
                           split.count.name);
    if (splits_.size() == max_splits)
      return fmt::format("split '{}' would be split number {}: at most {} splits (is --bucket-field right?)", name,
                         max_splits + 1, max_splits);
    open_split(name);
    ++splits_.back().count.examples;
    output = splits_.back().output.get();
    return {};
  }

  // The splits so far, in the order records first named them.
  std::vector<SplitCount> splits() const {
    std::vector<SplitCount> counts;
    for (const auto& split : splits_) counts.push_back(split.count);
    return counts;
  }

  // Commits the split files (an empty train split when there were no
  // records), writes the card and gives the folder its name.
  void commit(std::string_view command_line, std::string_view version, std::uint64_t skipped,
              std::optional<std::string_view> license = std::nullopt) {
    if (splits_.empty()) open_split(prefline::schema::sft::default_split);
    std::vector<SplitCount> counts;
    for (auto& split : splits_) {
      split.output->commit();
      counts.push_back(split.count);
    }
    prefline::Output card;
    card.open(folder_.file("README.md"));
    card.buffer().append(dataset_card(layout_, path_, counts, command_line, version, skipped, license));
    card.commit();
    folder_.commit();
  }

 private:
  struct Split {
    SplitCount count;
    std::unique_ptr<prefline::Output> output;
  };

  void open_split(std::string_view name) {
    Split split;
    split.count.name = name;
    split.output = std::make_unique<prefline::Output>();
    split.output->open(folder_.file(split_path(name)));
    splits_.push_back(std::move(split));
  }

  std::string path_;
  const Layout& layout_;
  prefline::OutputFolder folder_;  // declared before the splits: destroyed after them
  std::vector<Split> splits_;
};

}  // namespace prefline::trainer
