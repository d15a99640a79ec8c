// csv2jsonl: CSV files with a header row -> JSON Lines, one object per row.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prefline/cli/help.hpp"
#include "prefline/concurrency/ordered_pool.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/csv/reader.hpp"
#include "prefline/io/input.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/schema/records.hpp"

namespace {

constexpr std::string_view tool = "csv2jsonl";

constexpr std::string_view help_head = R"(Usage: csv2jsonl [OPTIONS] [FILE...]

Convert CSV files with a header row into JSON Lines: one JSON object per data
row, keys = the header's column names, in header order. Reads standard input
when no FILE is given or FILE is '-'.

Options:
  -d, --delimiter C     cell separator, one ASCII character (default ','); '\t'
                        (backslash t) or 'tab' for tab-separated files. Without
                        -d, a header that reads as one column holding tabs
                        and no comma is an error suggesting -d '\t'; an
                        explicit -d ',' reads it as one column
      --strings         write every cell as a JSON string (empty cell -> "")
      --source          append "_source": the input's name as given ('-' for
                        standard input) to every record
)";

// The shared block (-o, --skip-invalid, ...): cli/help.hpp.
constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .heading = false,
    .output = "write to FILE instead of standard output; FILE appears only when the "
              "tool succeeds (written to a temp file in the same folder, then renamed)",
    .skip_invalid = "skip bad rows instead of stopping at the first one; at the end "
                    "'csv2jsonl: skipped N invalid records' goes to stderr and the exit "
                    "code is 0",
    .rejects = "with --skip-invalid: write every skipped row to FILE, byte for byte, as "
               "it was in the input",
};

constexpr std::string_view help_tail = R"(
Input (RFC 4180):
  - the first non-empty row of each input is its header; names must be
    non-empty and distinct, else the input is rejected (never skippable)
  - quoted cells may hold separators, doubled quotes ("") and line breaks; a
    row continues on the next line while its quotes are unbalanced, and a line
    break inside quotes is kept as it was (CRLF or LF)
  - rows end with LF or CRLF; a UTF-8 byte order mark at the start of an input
    is dropped; the last row needs no line end; empty lines are skipped
  - a row equal to the current header is a repeated header and is skipped, so
    'cat grades/*.csv | csv2jsonl' works (a BOM before it is allowed)
  - a file without a final line end makes 'cat' glue its last row to the next
    header: a row with 2n-1 cells (n columns) whose last n-1 cells are the
    header's names 2..n, and whose n-th cell is its own last cell followed by
    the first name, is cut back to its n cells when that is unambiguous: a
    BOM precedes the name, or the own part is a quoted cell, or it is empty
    and n >= 3; otherwise the row is bad (too many cells), and a bad row
    that ends with the header's names is named as such a glued row, with the
    fix: pass the files as arguments, or end each file with a newline
  - with several FILE arguments each file's own header applies; a file whose
    columns are those of the first file in another order is written in the
    first file's key order; a file with other columns keeps its own order
  - bad rows (exit 1, or skipped with --skip-invalid): more or fewer cells than
    the header; a quote inside an unquoted cell or text after a closing quote;
    a quoted cell still open at the end of the input; invalid UTF-8; a NUL
    byte; a byte order mark in the middle of the input; a bare CR (CR-only line
    ends are not supported)
  - a physical line, or a quoted cell spanning lines, longer than 16 MiB stops
    the tool (exit 1) even with --skip-invalid

Output (one compact object per row, keys in header order):
  - a cell that is a JSON number literal (RFC 8259: 4, -1.5, 2e3; not 007, +1,
    .5, 1., NaN) is written as that number, byte for byte
  - an empty cell (quoted or not) is null
  - any other cell is a string (UTF-8 unescaped, control characters escaped)

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'csv2jsonl: FILE:LINE: reason', LINE the 1-based
     physical line where the row starts) or a runtime error
  2  bad option or option value (nothing is read)

Example:
  csv2jsonl --source grades/alice.csv grades/bob.csv > grades.jsonl
)";

struct Options {
  prefline::CommonOptions common;
  std::string delimiter = ",";
  bool strings = false;
  bool source = false;
  bool delimiter_given = false;  // set after parsing: -d was on the command line
};

// How one input's cells become one output record: for each output key, the
// cell it comes from and the pre-escaped text that precedes its value.
struct RecordLayout {
  std::vector<std::size_t> cell_of_key;
  std::vector<std::string> key_prefix;  // "{\"name\":" for the first key, ",\"name\":" after
  std::string suffix;                   // ",\"_source\":\"...\"}\n" or "}\n"
};

RecordLayout plan_layout(const std::vector<std::string>& header, const std::vector<std::string>& first_header,
                         const Options& options, const std::string& input_name) {
  // Same columns as the first input in another order: use the first input's order.
  std::vector<std::string> keys = header;
  std::vector<std::size_t> cells(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) cells[i] = i;
  if (!first_header.empty() && first_header.size() == header.size() && first_header != header) {
    std::vector<std::size_t> mapped;
    for (const auto& name : first_header) {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) mapped.push_back(i);
    }
    if (mapped.size() == header.size()) {
      keys = first_header;
      cells = mapped;
    }
  }
  RecordLayout layout;
  layout.cell_of_key = cells;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    layout.key_prefix.push_back((k == 0 ? "{" : ",") + prefline::json_quoted(keys[k]) + ":");
  }
  if (options.source) {
    layout.suffix = "," + prefline::json_quoted(prefline::schema::grade::source) + ":" + prefline::json_quoted(input_name);
  }
  layout.suffix.append("}\n");
  return layout;
}

// Rows on their way from the reading thread to the formatting thread: the
// rows' bytes back to back (one copy per row), where each cell is in them,
// and each row's layout.
struct RowBatch {
  static constexpr std::size_t target_bytes = std::size_t{256} << 10;
  struct Cell {
    std::size_t offset;
    std::size_t size;
  };
  prefline::Buffer bytes;
  std::vector<Cell> cells;
  std::vector<const RecordLayout*> rows;
  void clear() {
    bytes.clear();
    cells.clear();
    rows.clear();
  }
};

void write_record(prefline::Buffer& out, const RecordLayout& layout, const std::string_view* cells, bool strings) {
  for (std::size_t k = 0; k < layout.key_prefix.size(); ++k) {
    out.append(layout.key_prefix[k]);
    const std::string_view cell = cells[layout.cell_of_key[k]];
    if (strings) {
      prefline::append_json_string(out, cell);
    } else if (cell.empty()) {
      out.append("null");
    } else if (prefline::is_json_number(cell)) {
      out.append(cell);
    } else {
      prefline::append_json_string(out, cell);
    }
  }
  out.append(layout.suffix);
}

void convert(const Options& options) {
  prefline::check_common_options(options.common);
  const char delimiter = prefline::parse_delimiter(options.delimiter);
  if (delimiter == 0)
    throw prefline::UsageError(fmt::format(
        "invalid delimiter '{}': expected one ASCII character other than a quote or a line end, or '\\t'",
        options.delimiter));

  prefline::OutputSet outputs;  // -o and --rejects: both or neither
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  std::vector<std::string> first_header;
  std::vector<std::unique_ptr<RecordLayout>> layouts;  // stable addresses: batches point at them

  // This thread reads and splits rows; a second one formats and writes them.
  std::vector<std::string_view> cells;
  prefline::OrderedPool<RowBatch> formatter([&](RowBatch& batch) {
    std::size_t cell = 0;
    for (const RecordLayout* layout : batch.rows) {
      cells.clear();
      for (std::size_t i = 0; i < layout->cell_of_key.size(); ++i, ++cell)
        cells.emplace_back(batch.bytes.data() + batch.cells[cell].offset, batch.cells[cell].size);
      write_record(out.buffer(), *layout, cells.data(), options.strings);
      out.maybe_flush();
    }
  });

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::CsvReader reader(input, {delimiter, bad.keeps_raw()});
    const auto& header = reader.read_header();
    // An explicit -d ',' reads such a header as the one column it is.
    if (!options.delimiter_given && prefline::looks_tab_separated(header, delimiter))
      throw prefline::DataError(fmt::format(
          "{}:{}: header: one column whose name holds {} tabs and no comma; for a tab-separated file use -d '\\t' "
          "(-d ',' reads it as one column)",
          name, reader.line(), std::count(header.front().begin(), header.front().end(), '\t')));
    if (options.source)
      for (const auto& column : header)
        if (column == prefline::schema::grade::source)
          throw prefline::DataError(fmt::format("{}:{}: header: column '{}' clashes with --source", name,
                                                reader.line(), column));
    layouts.push_back(std::make_unique<RecordLayout>(plan_layout(header, first_header, options, name)));
    const RecordLayout* layout = layouts.back().get();
    if (first_header.empty()) first_header = header;

    for (;;) {
      const auto result = reader.next();
      if (result == prefline::CsvReader::Result::end) break;
      if (result == prefline::CsvReader::Result::bad) {
        bad.handle(name, reader.line(), reader.reason(), reader.raw());
        continue;
      }
      RowBatch& batch = formatter.current();
      batch.rows.push_back(layout);
      const std::string_view span = reader.span();
      const std::size_t base = batch.bytes.size();
      batch.bytes.append(span);
      for (const auto cell : reader.cells())
        batch.cells.push_back({base + static_cast<std::size_t>(cell.data() - span.data()), cell.size()});
      if (batch.bytes.size() >= RowBatch::target_bytes) formatter.submit();
      progress.tick();
    }
  }
  formatter.finish();
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
        app.add_option("-d,--delimiter", options.delimiter)->each([&](const std::string&) {
          options.delimiter_given = true;
        });
        app.add_flag("--strings", options.strings);
        app.add_flag("--source", options.source);
      },
      [&] { convert(options); });
}
