// One grader's grades in the vizhub grader's CSV layout
// (challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes),
// the file `cat grades/*.csv | csv2jsonl | consensus` reads. Unlike the
// grader app it replaces: an auto-fail is written as 0 on both scales (a
// number, not an empty cell), and each row's reviewedAt is the time of that
// row's last change, not of the last save. Each change is also one journal
// line (the row as a grade record, as csv2jsonl would read it back), so the
// sheet is rebuilt from the journal after a restart.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/csv/writer.hpp"
#include "prefline/io/temp_file.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/text/timestamp.hpp"

namespace prefline::label {

inline constexpr std::string_view grade_csv_header =
    "challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n";

// `text` into `path` all or nothing: a temp file beside it, written and
// renamed over it, so a reader sees the old file or the new one, never
// half. Not synced: the grader's journal is the durable record (synced
// before every reply) and every start rewrites this file from it, so a
// second sync per keystroke would only double the wait. Throws WriteError
// (or DataError when the temp file cannot be created).
inline void write_file_atomically(const std::string& path, std::string_view text) {
  TempFile temp;
  const int fd = temp.create(path);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t wrote = ::write(fd, text.data() + written, text.size() - written);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      throw WriteError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    }
    written += static_cast<std::size_t>(wrote);
  }
  temp.commit(path);
}

// The vizhub sheet has two score columns: the first --scale is written as
// grade, the second as aesthetics.
inline constexpr std::size_t sheet_scales = 2;

struct GradeRow {
  std::string challenge;
  std::string model;
  std::string type;
  std::string pass_fail;  // "pass" or "fail" (an auto-fail is "fail")
  std::optional<int> scores[sheet_scales];
  bool auto_fail = false;
  std::string reviewed_by;
  std::int64_t reviewed_at_ms = 0;
  std::string notes;
};

// What one request changes in a row; unset members leave the row as it is.
struct GradeChange {
  std::string challenge;
  std::string model;
  std::string type;       // the item's type (kept from the first change)
  std::string pass_fail;  // the item's own pass/fail (default "pass")
  std::optional<std::size_t> scale;  // with score: which scale
  std::optional<int> score;          // a score, or (with clear_score) none
  bool clear_score = false;
  std::optional<bool> auto_fail;
  std::optional<std::string> notes;
  std::int64_t at_ms = 0;
};

class GradeSheet {
 public:
  explicit GradeSheet(std::string grader) : grader_(std::move(grader)) {}

  const std::vector<GradeRow>& rows() const { return rows_; }
  const GradeRow* find(std::string_view challenge, std::string_view model) const {
    const auto found = index_.find(row_key(challenge, model));
    return found == index_.end() ? nullptr : &rows_[found->second];
  }

  // Applies a change (the grader's own later grade of an item replaces the
  // earlier one) and returns the row as it now is.
  const GradeRow& apply(const GradeChange& change) {
    GradeRow& row = row_for(change.challenge, change.model);
    if (row.type.empty()) row.type = change.type;
    if (change.scale && *change.scale < sheet_scales) {
      if (change.clear_score)
        row.scores[*change.scale].reset();
      else if (change.score)
        row.scores[*change.scale] = change.score;
      // A score given by hand ends an auto-fail: the grader changed their mind.
      row.auto_fail = false;
    }
    if (change.auto_fail) row.auto_fail = *change.auto_fail;
    if (change.notes) row.notes = *change.notes;
    if (row.auto_fail) {
      for (auto& score : row.scores) score = 0;
      row.pass_fail = "fail";
    } else {
      row.pass_fail = change.pass_fail.empty() ? std::string("pass") : change.pass_fail;
    }
    row.reviewed_by = grader_;
    row.reviewed_at_ms = change.at_ms;
    return row;
  }

  // The row as one journal line: a grade record with the CSV's columns
  // (scores as numbers, an ungraded scale null) and "autoFail".
  static std::string journal_line(const GradeRow& row) {
    Buffer out;
    JsonWriter json(out);
    json.begin_object();
    json.key("challenge").string(row.challenge);
    json.key("model").string(row.model);
    json.key("type").string(row.type);
    json.key("passFail").string(row.pass_fail);
    static constexpr std::string_view score_keys[sheet_scales] = {"grade", "aesthetics"};
    for (std::size_t i = 0; i < sheet_scales; ++i) {
      json.key(score_keys[i]);
      if (row.scores[i])
        json.integer(*row.scores[i]);
      else
        json.null();
    }
    json.key("reviewedBy").string(row.reviewed_by);
    json.key("reviewedAt").string(format_iso8601_milliseconds(row.reviewed_at_ms));
    json.key("notes").string(row.notes);
    json.key("autoFail").boolean(row.auto_fail);
    json.end_object();
    return std::string(out.view());
  }

  // Restores a row from a journal line (a later line of the same item
  // replaces an earlier one). Throws DataError naming `where` on a line
  // that is not such a record.
  void replay_line(std::string_view line, std::string_view where) {
    simdjson::dom::element record;
    simdjson::padded_string padded(line);
    if (parser_.parse(padded).get(record) != simdjson::SUCCESS || !record.is_object())
      throw DataError(fmt::format("{}: not a JSON object", where));
    auto text = [&](const char* field) -> std::string {
      std::string_view value;
      if (record[field].get_string().get(value) != simdjson::SUCCESS)
        throw DataError(fmt::format("{}: '{}' is not a string", where, field));
      return std::string(value);
    };
    // One after the other: a bad field is reported in the order of the record.
    const std::string challenge = text("challenge");
    const std::string model = text("model");
    GradeRow& row = row_for(challenge, model);
    row.type = text("type");
    row.pass_fail = text("passFail");
    static constexpr const char* score_keys[sheet_scales] = {"grade", "aesthetics"};
    for (std::size_t i = 0; i < sheet_scales; ++i) {
      const auto value = record[score_keys[i]];
      std::int64_t score = 0;
      if (value.is_null())
        row.scores[i].reset();
      else if (value.get_int64().get(score) == simdjson::SUCCESS)
        row.scores[i] = static_cast<int>(score);
      else
        throw DataError(fmt::format("{}: '{}' is not a whole number or null", where, score_keys[i]));
    }
    row.reviewed_by = text("reviewedBy");
    const auto at = parse_iso8601(text("reviewedAt"));
    if (!at) throw DataError(fmt::format("{}: 'reviewedAt' is not an ISO 8601 time", where));
    row.reviewed_at_ms = *at / 1000;
    row.notes = text("notes");
    bool auto_fail = false;
    if (record["autoFail"].get_bool().get(auto_fail) != simdjson::SUCCESS)
      throw DataError(fmt::format("{}: 'autoFail' is not true or false", where));
    row.auto_fail = auto_fail;
  }

  // The whole CSV text: the header, then one row per graded item in the
  // order each was first graded. Each row's line is kept formatted and
  // formatted again only after the row changes, so a grade costs one row's
  // formatting and a copy of the sheet, not the formatting of every row.
  std::string csv() const {
    std::size_t size = grade_csv_header.size();
    for (std::size_t index = 0; index < rows_.size(); ++index) {
      if (stale_[index]) {
        lines_[index] = csv_line(rows_[index]);
        stale_[index] = false;
      }
      size += lines_[index].size();
    }
    std::string text;
    text.reserve(size);
    text.append(grade_csv_header);
    for (const std::string& line : lines_) text.append(line);
    return text;
  }

  // Writes csv() to `path` through a temp file renamed over it, so a
  // reader sees the old sheet or the new one, never half.
  void write_csv(const std::string& path) const { write_file_atomically(path, csv()); }

 private:
  static std::string row_key(std::string_view challenge, std::string_view model) {
    std::string key(challenge);
    key.push_back('\x1f');  // a unit separator: no field value makes two keys equal
    key.append(model);
    return key;
  }

  static std::string csv_line(const GradeRow& row) {
    std::string scores[sheet_scales];
    for (std::size_t i = 0; i < sheet_scales; ++i)
      scores[i] = row.scores[i] ? std::to_string(*row.scores[i]) : std::string();
    const std::string at = format_iso8601_milliseconds(row.reviewed_at_ms);
    const std::string_view cells[] = {row.challenge, row.model,       row.type, row.pass_fail, scores[0],
                                      scores[1],     row.reviewed_by, at,       row.notes};
    Buffer out;
    append_csv_row(out, cells);
    return std::string(out.view());
  }

  // The row of an item, added when new; either way it is about to change,
  // so its CSV line is marked for formatting again.
  GradeRow& row_for(std::string_view challenge, std::string_view model) {
    const auto [found, added] = index_.try_emplace(row_key(challenge, model), rows_.size());
    if (added) {
      rows_.emplace_back();
      rows_.back().challenge = std::string(challenge);
      rows_.back().model = std::string(model);
      lines_.emplace_back();
      stale_.push_back(true);
    }
    stale_[found->second] = true;
    return rows_[found->second];
  }

  std::string grader_;
  std::vector<GradeRow> rows_;
  // Each row's CSV line, and whether it changed since it was formatted.
  mutable std::vector<std::string> lines_;
  mutable std::vector<bool> stale_;
  std::unordered_map<std::string, std::size_t> index_;
  simdjson::dom::parser parser_;
};

}  // namespace prefline::label
