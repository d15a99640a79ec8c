#pragma once
// The items consensus holds in memory, in first-seen order, each with one
// grade per rater: adding a grade resolves a rater's duplicates by the
// --duplicates rule, and canonicalize() makes the order of raters and grades
// independent of the input's order (so shards merge to the same bytes).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/consensus/settings.hpp"
#include "prefline/json/typed_key.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/string_map.hpp"

namespace prefline::consensus {

struct Grade {
  std::uint32_t rater;
  bool has_time;
  std::int64_t time;  // microseconds since the epoch
};

struct Item {
  std::vector<std::string> key_json;   // per --item field, as written
  std::vector<std::string> keep_json;  // per --keep field, raw JSON
  std::vector<Grade> grades;
  std::vector<double> values;         // grades.size() x dimensions; NaN = not graded (sums with --duplicates mean)
  std::vector<std::uint32_t> counts;  // same shape, only with --duplicates mean
  bool duplicate_grades = false;
};

// An item-key value as read: an unescaped string, or a number's JSON text.
struct KeyValue {
  bool is_string = false;
  std::string_view text;
};

// A grade as read from one record, before it is added. The views point into
// the parser's buffers and are valid until the next record is parsed.
struct IncomingGrade {
  std::vector<KeyValue> key_values;
  std::string key;  // hash key: the key values, unambiguously joined
  std::vector<std::string_view> keep_raw;  // raw JSON per --keep field, empty when missing
  std::string_view rater;
  bool has_time = false;
  std::int64_t time = 0;
  std::vector<double> values;
  std::vector<std::uint32_t> counts;
};

class ItemTable {
 public:
  explicit ItemTable(const Settings& settings) : settings_(settings), dims_(settings.dimensions.size()) {}

  // Adds a grade; returns a reason when it cannot be added (--duplicates error).
  std::string add(IncomingGrade& grade) {
    const std::uint32_t rater = rater_index(grade.rater);
    auto found = item_index_.find(std::string_view(grade.key));
    Item* item;
    if (found == item_index_.end()) {
      item_index_.emplace(grade.key, static_cast<std::uint32_t>(items_.size()));
      Item created;
      for (const auto& value : grade.key_values)
        created.key_json.push_back(value.is_string ? prefline::json_quoted(value.text) : std::string(value.text));
      for (const auto raw : grade.keep_raw) created.keep_json.emplace_back(raw.empty() ? std::string_view("null") : raw);
      items_.push_back(std::move(created));
      item = &items_.back();
    } else {
      item = &items_[found->second];
    }
    for (std::size_t g = 0; g < item->grades.size(); ++g) {
      if (item->grades[g].rater != rater) continue;
      return merge_duplicate(*item, g, grade);
    }
    item->grades.push_back({rater, grade.has_time, grade.time});
    item->values.insert(item->values.end(), grade.values.begin(), grade.values.end());
    if (settings_.duplicates == Duplicates::mean) item->counts.insert(item->counts.end(), grade.counts.begin(), grade.counts.end());
    return {};
  }

  bool has_duplicate(const IncomingGrade& grade) const {
    auto found = item_index_.find(std::string_view(grade.key));
    if (found == item_index_.end()) return false;
    auto rater = rater_index_.find(std::string_view(grade.rater));
    if (rater == rater_index_.end()) return false;
    for (const auto& existing : items_[found->second].grades)
      if (existing.rater == rater->second) return true;
    return false;
  }

  void mark_duplicates(std::string_view key) {
    auto found = item_index_.find(key);
    if (found != item_index_.end()) items_[found->second].duplicate_grades = true;
  }

  std::vector<Item>& items() { return items_; }
  const std::vector<std::string>& rater_names() const { return rater_names_; }

  // Renumbers raters in name order and sorts each item's grades by rater, so
  // everything computed afterwards is independent of the input's order
  // (a sharded run then gives the same bytes as a single one).
  void canonicalize() {
    std::vector<std::uint32_t> order(rater_names_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return rater_names_[a] < rater_names_[b]; });
    std::vector<std::uint32_t> new_index(order.size());
    std::vector<std::string> names(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      new_index[order[i]] = i;
      names[i] = rater_names_[order[i]];
    }
    rater_names_ = std::move(names);
    for (auto& item : items_) {
      std::vector<std::size_t> by_rater(item.grades.size());
      for (std::size_t g = 0; g < by_rater.size(); ++g) {
        item.grades[g].rater = new_index[item.grades[g].rater];
        by_rater[g] = g;
      }
      std::sort(by_rater.begin(), by_rater.end(),
                [&](auto a, auto b) { return item.grades[a].rater < item.grades[b].rater; });
      Item sorted{std::move(item.key_json), std::move(item.keep_json), {}, {}, {}, item.duplicate_grades};
      for (std::size_t g : by_rater) {
        sorted.grades.push_back(item.grades[g]);
        sorted.values.insert(sorted.values.end(), item.values.begin() + static_cast<std::ptrdiff_t>(g * dims_),
                             item.values.begin() + static_cast<std::ptrdiff_t>((g + 1) * dims_));
        if (!item.counts.empty())
          sorted.counts.insert(sorted.counts.end(), item.counts.begin() + static_cast<std::ptrdiff_t>(g * dims_),
                               item.counts.begin() + static_cast<std::ptrdiff_t>((g + 1) * dims_));
      }
      item = std::move(sorted);
    }
    rater_index_.clear();
    for (std::uint32_t i = 0; i < rater_names_.size(); ++i) rater_index_.emplace(rater_names_[i], i);
  }

 private:
  std::uint32_t rater_index(std::string_view name) {
    auto found = rater_index_.find(std::string_view(name));
    if (found != rater_index_.end()) return found->second;
    const auto index = static_cast<std::uint32_t>(rater_names_.size());
    rater_names_.emplace_back(name);
    rater_index_.emplace(std::string(name), index);
    return index;
  }

  std::string merge_duplicate(Item& item, std::size_t g, const IncomingGrade& grade) {
    Grade& existing = item.grades[g];
    double* values = item.values.data() + g * dims_;
    switch (settings_.duplicates) {
      case Duplicates::error:
        return fmt::format("duplicate grade: rater '{}' already graded this item (see --duplicates)", grade.rater);
      case Duplicates::first:
        break;
      case Duplicates::latest: {
        // Total order (has_time, time); the newer record wins ties, so the
        // rule is associative and shards merge to the same winner.
        const bool newer = grade.has_time != existing.has_time ? grade.has_time
                                                               : (!grade.has_time || grade.time >= existing.time);
        if (newer) {
          existing.has_time = grade.has_time;
          existing.time = grade.time;
          std::copy(grade.values.begin(), grade.values.end(), values);
        }
        break;
      }
      case Duplicates::mean: {
        std::uint32_t* counts = item.counts.data() + g * dims_;
        for (std::size_t d = 0; d < dims_; ++d) {
          if (grade.counts[d] == 0) continue;
          values[d] = counts[d] == 0 ? grade.values[d] : values[d] + grade.values[d];
          counts[d] += grade.counts[d];
        }
        break;
      }
    }
    item.duplicate_grades = true;
    return {};
  }

  const Settings& settings_;
  std::size_t dims_;
  std::vector<Item> items_;
  prefline::StringMap<std::uint32_t> item_index_;
  std::vector<std::string> rater_names_;
  prefline::StringMap<std::uint32_t> rater_index_;
};

// Appends one item-key value to the item's map key (json/typed_key.hpp): a
// number keeps its JSON text, so 1 and 1.0 are different items.
inline void append_key_part(std::string& key, const KeyValue& value) {
  prefline::append_key_part(key, value.is_string ? prefline::key_tag::string : prefline::key_tag::number, value.text);
}

}  // namespace prefline::consensus
