// A field named by an option that no record has is a typo or a different
// layout, never a reason to write an empty result with exit 0. FieldCensus
// counts, per watched field, the records that have it, keeps the fields seen
// in the first records (top-level, and under the deepest part of a dotted
// path that exists), and at the end turns a field found nowhere into an error
// that names the option and lists what was there, with a "did you mean".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/cli/suggest.hpp"
#include "prefline/text/split.hpp"

namespace prefline {

class FieldCensus {
 public:
  // Records whose fields are sampled for the message.
  static constexpr std::uint64_t sample_limit = 64;
  // Names listed at most in "fields seen".
  static constexpr std::size_t list_limit = 30;

  // Watches `path` (a top-level field, or a dotted path when `dotted`);
  // `what` names it for the message: "score field 'grade' (--score technical=grade)".
  std::size_t watch(std::string path, std::string what, bool dotted = false) {
    Watched watched;
    watched.what = std::move(what);
    if (dotted) {
      watched.parts = split_list(path, '.');
    } else {
      watched.parts.push_back(path);
    }
    watched.path = std::move(path);
    watched_.push_back(std::move(watched));
    return watched_.size() - 1;
  }

  // One more record read; `found(id)` when it has watched field `id`.
  void record() { ++records_; }
  void found(std::size_t id, std::uint64_t n = 1) { watched_[id].found += n; }
  void add_records(std::uint64_t n) { records_ += n; }

  std::uint64_t records() const { return records_; }
  std::uint64_t found_count(std::size_t id) const { return watched_[id].found; }

  // True while the census still wants sample records (cheap to test per record).
  bool wants_sample() const { return sampled_ < sample_limit; }

  // Samples the fields of one record (its JSON text); lines that are not
  // objects are ignored (the tool reports them as bad records).
  void sample(std::string_view json) {
    if (!wants_sample()) return;
    ++sampled_;
    simdjson::dom::element root;
    if (parser_.parse(json.data(), json.size()).get(root)) return;
    simdjson::dom::object object;
    if (root.get_object().get(object)) return;
    for (auto field : object) add_name(top_level_, field.key);
    for (Watched& watched : watched_) {
      simdjson::dom::object level = object;
      std::size_t depth = 0;
      while (depth + 1 < watched.parts.size()) {
        simdjson::dom::element child;
        if (level.at_key(watched.parts[depth]).get(child)) break;
        simdjson::dom::object child_object;
        if (child.get_object().get(child_object)) break;
        level = child_object;
        ++depth;
      }
      if (depth < watched.deepest) continue;
      if (depth > watched.deepest) {
        watched.deepest = depth;
        watched.names_there.clear();
      }
      for (auto field : level) add_name(watched.names_there, field.key);
    }
  }

  // The error for the first watched field that records were read without,
  // or "" when every watched field was seen (or nothing was read).
  std::string missing_message() const {
    if (records_ == 0) return {};
    for (const Watched& watched : watched_) {
      if (watched.found > 0) continue;
      std::string text = fmt::format("{} is missing from all {} record{}", watched.what, records_,
                                     records_ == 1 ? "" : "s");
      const std::vector<std::string>& names = watched.deepest == 0 ? top_level_ : watched.names_there;
      if (watched.deepest == 0) {
        text += "; fields seen: " + list(names);
      } else {
        std::string parent;
        for (std::size_t i = 0; i < watched.deepest; ++i) parent += (i ? "." : "") + watched.parts[i];
        text += fmt::format("; '{}' has: {}", parent, list(names));
      }
      // The near name at the first part that does not exist, the parts after it kept
      // ("dual.score" -> "duel.score").
      const std::string near = nearest_name(watched.parts[watched.deepest], names);
      if (!near.empty()) {
        std::string suggestion;
        for (std::size_t i = 0; i < watched.parts.size(); ++i)
          suggestion += (i ? "." : "") + (i == watched.deepest ? near : watched.parts[i]);
        text += fmt::format("; did you mean '{}'?", suggestion);
      }
      return text;
    }
    return {};
  }

  // Throws DataError with missing_message() when it is not empty.
  void check() const {
    std::string message = missing_message();
    if (!message.empty()) throw DataError(message);
  }

 private:
  struct Watched {
    std::string path, what;
    std::vector<std::string> parts;
    std::uint64_t found = 0;
    std::size_t deepest = 0;                 // how many leading parts exist as objects in some sampled record
    std::vector<std::string> names_there;    // the keys under that prefix
  };

  static void add_name(std::vector<std::string>& names, std::string_view name) {
    for (const std::string& known : names)
      if (known == name) return;
    if (names.size() < list_limit * 4) names.emplace_back(name);
  }

  static std::string list(const std::vector<std::string>& names) {
    if (names.empty()) return "(none)";
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < list_limit; ++i) text += (i ? ", " : "") + names[i];
    if (names.size() > list_limit) text += fmt::format(", … ({} more)", names.size() - list_limit);
    return text;
  }

  std::vector<Watched> watched_;
  std::vector<std::string> top_level_;
  std::uint64_t records_ = 0, sampled_ = 0;
  simdjson::dom::parser parser_;
};

}  // namespace prefline
