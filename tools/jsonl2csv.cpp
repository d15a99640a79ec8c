// jsonl2csv: JSON Lines records -> CSV for analysis, the inverse of csv2jsonl:
// a header row, then one row per record, RFC 4180 quoting.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/csv/reader.hpp"
#include "prefline/csv/writer.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/compact.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/text/split.hpp"

namespace {

constexpr std::string_view tool = "jsonl2csv";

constexpr std::string_view help_head = R"(Usage: jsonl2csv [OPTIONS] [FILE...]

Convert JSON Lines records into CSV for analysis, the inverse of csv2jsonl:
a header row with the column names, then one row per record. Reads the FILEs
or standard input.

Options:
      --fields A,B,...    the columns, in this order (default: the keys of the
                          first record, in its order). A record's keys that
                          are not columns are left out, and a column it lacks
                          is an empty cell. Without --fields a record with a
                          key that is not a column is bad (its value would be
                          lost silently)
  -d, --delimiter C       cell separator, one ASCII character (default ','); '\t'
                          (backslash t) or 'tab' for tab-separated files
      --crlf              end rows with CRLF, as RFC 4180 writes them (default
                          LF)
)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .heading = false};

constexpr std::string_view help_tail = R"(
Cells (fields read: the columns; every record is checked whole):
  - a string: its text, unescaped (UTF-8 as it is, line breaks kept)
  - a number: its JSON text byte for byte (1.50 stays 1.50, 2e3 stays 2e3)
  - true, false: true, false
  - null, or a missing column: an empty cell
  - an object or array: compact JSON text (no white space, key order kept,
    numbers byte for byte, strings re-escaped: "\u00e9" becomes "é")
  A cell holding the delimiter, a double quote, a CR or an LF is quoted, with
  its quotes doubled (RFC 4180); no other cell is. A row of one empty cell is
  written as "" (an empty line would be skipped by readers). No records: no
  output, or only the header row with --fields.

Round trip: 'jsonl2csv | csv2jsonl' gives back flat records (strings,
numbers, null) as compact JSON, byte for byte, as long as every record has
the columns in header order and no string is empty or a JSON number literal
("" comes back as null, "42" as 42). Other limits of CSV: true and false come
back as strings, objects and arrays as strings of their JSON, a row equal to
the header is dropped as a repeated header, and a first cell starting with a
byte order mark is rejected.

Bad records (exit 1, or skipped with --skip-invalid): not exactly one valid
JSON object (invalid JSON or UTF-8, content after it); a duplicate key among
the columns; without --fields, a key that is not a column, or a first record
with no keys (no header to take); a key or string value holding U+0000 (NUL,
which CSV files cannot hold).

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'jsonl2csv: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  jsonl2csv --fields problem_id,difficulty,model,response balanced.jsonl > balanced.csv
)";

struct Options {
  prefline::CommonOptions common;
  std::string fields;
  std::string delimiter = ",";
  bool crlf = false;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Turns records into rows: finds each key's column, renders each value as
// cell text, and (without --fields) takes the columns from the first record.
class RowMaker {
 public:
  RowMaker(std::vector<std::string> columns, bool fixed_columns) : fixed_(fixed_columns) {
    for (auto& column : columns) add_column(std::move(column));
  }

  bool has_columns() const { return !columns_.empty(); }
  const std::vector<std::string>& columns() const { return columns_; }

  // Parses one record into row(); returns the reason when it is bad.
  std::string make(const prefline::JsonlLine& line) {
    simdjson::ondemand::document document;
    std::string reason = prefline::start_object(parser_, line, document);
    if (!reason.empty()) return reason;
    simdjson::ondemand::object object;
    if (auto error = document.get_object().get(object)) return prefline::json_error_reason(error);

    const bool defining = !fixed_ && columns_.empty();
    new_columns_.clear();
    cells_.assign(columns_.size(), Cell{});
    scratch_.clear();
    std::size_t hint = 0;  // keys usually come in column order
    for (auto result : object) {
      simdjson::ondemand::field field;
      if (auto error = std::move(result).get(field)) return prefline::json_error_reason(error);
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return prefline::json_error_reason(error);
      if (key.find('\0') != std::string_view::npos) return "a key holds U+0000 (NUL), which CSV cannot hold";
      std::size_t column;
      if (defining) {
        for (const auto& seen : new_columns_)
          if (seen == key) return fmt::format("duplicate key '{}'", key);
        new_columns_.emplace_back(key);
        column = cells_.size();
        cells_.emplace_back();
      } else {
        column = find_column(key, hint);
        if (column == columns_.size()) {
          if (!fixed_)
            return fmt::format(
                "key '{}' is not a column (the columns are the first record's keys; --fields chooses them)", key);
          junk_.clear();  // not a column: only checked
          if (auto error = prefline::append_compact_json(junk_, field.value(), 2))
            return prefline::json_error_reason(error);
          continue;
        }
        if (cells_[column].kind != Cell::Kind::empty) return fmt::format("duplicate key '{}'", key);
        hint = column + 1;
      }
      reason = render(field.value(), cells_[column]);
      if (!reason.empty()) return reason;
    }
    // current_location() fails only when the whole line has been consumed.
    if (!document.current_location().error())
      return prefline::json_error_reason(simdjson::TRAILING_CONTENT);
    if (defining) {
      if (new_columns_.empty()) return "the first record has no keys to take the columns from (use --fields)";
      for (auto& column : new_columns_) add_column(std::move(column));
    }
    row_.clear();
    for (const Cell& cell : cells_)
      row_.push_back(cell.kind == Cell::Kind::scratch ? std::string_view(scratch_.data() + cell.offset, cell.size)
                                                      : cell.text);
    return {};
  }

  const std::vector<std::string_view>& row() const { return row_; }

 private:
  struct Cell {
    enum class Kind { empty, text, scratch } kind = Kind::empty;
    std::string_view text;        // kind text: into the parser's strings or the input line
    std::size_t offset = 0, size = 0;  // kind scratch: compact JSON in scratch_
  };

  void add_column(std::string name) {
    column_of_.emplace(name, columns_.size());
    columns_.push_back(std::move(name));
  }

  std::size_t find_column(std::string_view key, std::size_t hint) const {
    if (hint < columns_.size() && columns_[hint] == key) return hint;
    const auto found = column_of_.find(key);
    return found == column_of_.end() ? columns_.size() : found->second;
  }

  std::string render(simdjson::ondemand::value value, Cell& cell) {
    simdjson::ondemand::json_type type;
    if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
    cell.kind = Cell::Kind::text;
    switch (type) {
      case simdjson::ondemand::json_type::string: {
        if (auto error = value.get_string().get(cell.text)) return prefline::json_error_reason(error);
        if (cell.text.find('\0') != std::string_view::npos) return "a string holds U+0000 (NUL), which CSV cannot hold";
        return {};
      }
      case simdjson::ondemand::json_type::object:
      case simdjson::ondemand::json_type::array: {
        cell.kind = Cell::Kind::scratch;
        cell.offset = scratch_.size();
        if (auto error = prefline::append_compact_json(scratch_, value, 2))  // 2: a field of the record
          return prefline::json_error_reason(error);
        cell.size = scratch_.size() - cell.offset;
        return {};
      }
      case simdjson::ondemand::json_type::null: {
        std::string_view raw;
        if (auto error = prefline::raw_value(value, raw)) return prefline::json_error_reason(error);
        cell.text = {};
        return {};
      }
      default: {  // numbers byte for byte, true, false
        if (auto error = prefline::raw_value(value, cell.text)) return prefline::json_error_reason(error);
        return {};
      }
    }
  }

  bool fixed_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> column_of_;
  std::vector<std::string> new_columns_;
  std::vector<Cell> cells_;
  std::vector<std::string_view> row_;
  prefline::Buffer scratch_;
  prefline::Buffer junk_;
  simdjson::ondemand::parser parser_;
};

void convert(const Options& options) {
  prefline::check_common_options(options.common);
  const char delimiter = prefline::parse_delimiter(options.delimiter);
  if (delimiter == 0)
    throw prefline::UsageError(fmt::format(
        "invalid delimiter '{}': expected one ASCII character other than a quote or a line end, or '\\t'",
        options.delimiter));
  std::vector<std::string> columns;
  if (!options.fields.empty()) {
    columns = prefline::split_list(options.fields);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].empty()) throw prefline::UsageError(fmt::format("--fields: empty name in '{}'", options.fields));
      for (std::size_t j = 0; j < i; ++j)
        if (columns[i] == columns[j]) throw prefline::UsageError(fmt::format("--fields: '{}' given twice", columns[i]));
    }
  }
  const prefline::CsvFormat format{delimiter, options.crlf ? "\r\n" : "\n"};

  prefline::OutputSet outputs;  // -o and --rejects: both or neither
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  RowMaker rows(std::move(columns), !options.fields.empty());
  bool header_written = false;
  auto write_header = [&] {
    prefline::append_csv_row(out.buffer(), rows.columns(), format);
    header_written = true;
  };

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      const std::string reason = rows.make(line);
      if (!reason.empty()) {
        bad.handle(name, line.number, reason, line.text);
        continue;
      }
      if (!header_written) write_header();
      prefline::append_csv_row(out.buffer(), rows.row(), format);
      out.maybe_flush();
      progress.tick();
    }
  }
  if (!header_written && rows.has_columns()) write_header();
  progress.finish();
  outputs.commit();
  bad.finish(tool);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--fields", options.fields);
        app.add_option("-d,--delimiter", options.delimiter);
        app.add_flag("--crlf", options.crlf);
      },
      [&] { convert(options); });
}
