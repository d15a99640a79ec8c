// The one stderr line a stage writes when it left records out by rule, or
// wrote nothing from something: "consensus: 15 items, 10 written, 5 left
// out: low_votes (no complete grade); --keep-low keeps them". --quiet
// silences it, except when nothing was written: an empty result always says why.
// With PREFLINE_SUMMARY=json in the environment the line is one JSON object
// instead (scripts/prefline-dask sums its workers' summaries into the line
// one process would write).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/json/writer.hpp"

namespace prefline {

class RunSummary {
 public:
  // `read_unit` names what the stage reads ("items", "records"); `written_unit`
  // what it writes when that differs ("pairs"), else empty.
  RunSummary(std::string_view tool, std::string_view read_unit, std::string_view written_unit = {})
      : tool_(tool), read_unit_(read_unit), written_unit_(written_unit) {}

  void set_read(std::uint64_t n) { read_ = n; }
  // What is left out, when it is neither what is read nor what is written
  // alone (generate reads prompts, writes answers and leaves out answers).
  void set_left_out_unit(std::string_view unit) { left_out_unit_ = unit; }
  void set_written(std::uint64_t n) { written_ = n; }

  // Records left out by one rule: its name (as in the output's flags or
  // statistics), what it means, and the option that keeps them ("" if none).
  void left_out(std::string_view name, std::uint64_t count, std::string_view detail, std::string_view fix = {}) {
    if (count == 0) return;
    reasons_.push_back(Reason{std::string(name), count, std::string(detail), std::string(fix)});
  }

  // Why nothing was written when the rules above do not explain it (e.g.
  // "no group has two items with different scores").
  void set_empty_reason(std::string_view why) { empty_reason_ = why; }

  std::uint64_t left_out_total() const {
    std::uint64_t total = 0;
    for (const Reason& reason : reasons_) total += reason.count;
    return total;
  }

  // The line, or "" when there is nothing to say.
  std::string line() const {
    const bool empty_result = read_ > 0 && written_ == 0;
    if (reasons_.empty() && !empty_result) return {};
    std::string text = fmt::format("{}: {} {}, {} {}written", tool_, read_, unit(read_unit_, read_), written_,
                                   written_unit_.empty() ? std::string() : unit(written_unit_, written_) + " ");
    if (!reasons_.empty()) {
      text += fmt::format(", {} {}left out: ", left_out_total(),
                          written_unit_.empty() ? std::string()
                                                : unit(left_out_unit_.empty() ? read_unit_ : left_out_unit_,
                                                       left_out_total()) + " ");
      if (reasons_.size() == 1) {
        const Reason& reason = reasons_.front();
        text += reason.name;
        if (!reason.detail.empty()) text += fmt::format(" ({})", reason.detail);
        if (!reason.fix.empty()) text += "; " + reason.fix;
      } else {
        for (std::size_t i = 0; i < reasons_.size(); ++i) {
          const Reason& reason = reasons_[i];
          if (i > 0) text += ", ";
          text += fmt::format("{} {}", reason.count, reason.name);
          std::string inner = reason.detail;
          if (!reason.fix.empty()) inner += (inner.empty() ? "" : "; ") + reason.fix;
          if (!inner.empty()) text += fmt::format(" ({})", inner);
        }
      }
    }
    if (empty_result && !empty_reason_.empty()) text += ": " + empty_reason_;
    return text;
  }

  // The same facts as one JSON object (for a driver that sums workers' runs):
  // {"tool","read","read_unit","written","written_unit","left_out":[{"name","count","detail","fix"}],"empty_reason"}
  std::string json() const {
    Buffer out;
    JsonWriter writer(out);
    writer.begin_object();
    writer.key("tool").string(tool_);
    writer.key("read").integer(static_cast<std::int64_t>(read_));
    writer.key("read_unit").string(read_unit_);
    writer.key("written").integer(static_cast<std::int64_t>(written_));
    writer.key("written_unit").string(written_unit_);
    writer.key("left_out").begin_array();
    for (const Reason& reason : reasons_) {
      writer.begin_object();
      writer.key("name").string(reason.name);
      writer.key("count").integer(static_cast<std::int64_t>(reason.count));
      writer.key("detail").string(reason.detail);
      writer.key("fix").string(reason.fix);
      writer.end_object();
    }
    writer.end_array();
    writer.key("empty_reason").string(empty_reason_);
    writer.end_object();
    return std::string(out.view());
  }

  // Writes the line to stderr; `quiet` silences it unless nothing was written.
  // PREFLINE_SUMMARY=json: always the JSON form, quiet or not (a driver asked for it).
  void print(bool quiet) const {
    const char* format = std::getenv("PREFLINE_SUMMARY");
    if (format != nullptr && std::string_view(format) == "json") {
      fmt::print(stderr, "{}\n", json());
      return;
    }
    const std::string text = line();
    if (text.empty()) return;
    if (quiet && !(read_ > 0 && written_ == 0)) return;
    fmt::print(stderr, "{}\n", text);
  }

 private:
  // "1 item", "2 items": units are given in the plural.
  static std::string unit(const std::string& plural, std::uint64_t n) {
    if (n == 1 && plural.size() > 1 && plural.back() == 's') return plural.substr(0, plural.size() - 1);
    return plural;
  }

  struct Reason {
    std::string name;
    std::uint64_t count;
    std::string detail;
    std::string fix;
  };
  std::string tool_, read_unit_, written_unit_, left_out_unit_;
  std::uint64_t read_ = 0, written_ = 0;
  std::vector<Reason> reasons_;
  std::string empty_reason_;
};

}  // namespace prefline
