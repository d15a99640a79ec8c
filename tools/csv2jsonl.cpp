// csv2jsonl: CSV files with a header row -> JSON Lines, one object per row.
#include <algorithm>
#include <cstring>
#include <exception>
#include <stdexcept>
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

// One input's name, header and layout, shared by the blocks cut from it.
struct InputPlan {
  std::string name;
  std::vector<std::string> header;
  RecordLayout layout;
};

// Bytes of one block, read into place and parsed in place.
class BlockBytes {
 public:
  char* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  // Room for `more` bytes after size() and one spare byte after those (the
  // reader writes a NUL after the block's last line).
  char* tail(std::size_t more) {
    if (size_ + more + 1 > capacity_) {
      const std::size_t capacity = std::max(size_ + more + 1, 2 * capacity_);
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    return data_.get() + size_;
  }
  void grow(std::size_t added) { size_ += added; }
  void truncate(std::size_t size) { size_ = size; }
  void assign(std::string_view bytes) {
    size_ = 0;
    std::memcpy(tail(bytes.size()), bytes.data(), bytes.size());
    size_ = bytes.size();
  }
  void clear() { size_ = 0; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Whole records of one input, cut at record ends by the reading thread,
// converted by a worker, written in input order by the writing thread.
struct Block {
  // A block is cut at the first record end after this many bytes.
  static constexpr std::size_t target_bytes = std::size_t{256} << 10;
  // Without a record end in this many bytes, the block's first record is
  // over the reader's limits (a physical line of 16 MiB, or a quoted cell
  // spanning lines over 16 MiB), which the reader reports before reaching
  // the cut: so the block is handed over as it is.
  static constexpr std::size_t cap_bytes = 2 * prefline::detail::LineSource::max_line_bytes + 64;

  struct Bad {
    std::size_t output_at;  // bytes of `output` before it
    std::uint64_t line;
    std::string reason;
    std::string raw;
  };

  BlockBytes input;
  const InputPlan* plan = nullptr;  // none: a block that only carries `error`
  std::uint64_t lines_before = 0;
  bool cut = false;  // ended at cap_bytes, not at a record end

  prefline::Buffer output;
  std::uint64_t records = 0;
  std::vector<Bad> bad;
  std::exception_ptr error;  // stops the run after output_at bytes of output
  std::size_t error_at = 0;

  void clear() {
    input.clear();
    plan = nullptr;
    lines_before = 0;
    cut = false;
    output.clear();
    records = 0;
    bad.clear();
    error = nullptr;
    error_at = 0;
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

void convert_block(Block& block, const prefline::CsvOptions& csv, bool strings) {
  if (block.plan == nullptr) return;
  const InputPlan& plan = *block.plan;
  try {
    prefline::CsvReader reader(plan.name, block.input.data(), block.input.size(), block.lines_before, plan.header,
                               csv);
    for (;;) {
      const auto result = reader.next();
      if (result == prefline::CsvReader::Result::end) break;
      if (result == prefline::CsvReader::Result::bad) {
        block.bad.push_back({block.output.size(), reader.line(), reader.reason(), std::string(reader.raw())});
        continue;
      }
      write_record(block.output, plan.layout, reader.cells().data(), strings);
      ++block.records;
    }
    if (block.cut)
      throw std::logic_error(fmt::format("{}:{}: a record runs past a block of {} bytes without the reader "
                                         "stopping at its limits",
                                         plan.name, block.lines_before + 1, block.input.size()));
  } catch (...) {
    block.error = std::current_exception();
    block.error_at = block.output.size();
  }
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
  const prefline::CsvOptions csv{delimiter, bad.keeps_raw()};
  std::vector<std::string> first_header;
  std::vector<std::unique_ptr<InputPlan>> plans;  // stable addresses: blocks point at them

  // This thread reads each header and cuts the rest into blocks at record
  // ends; workers convert blocks; one thread writes them in input order,
  // with the bad rows and the first error where they were in the input.
  prefline::OrderedPool<Block> pool(
      prefline::parse_workers(), [&](Block& block, std::size_t) { convert_block(block, csv, options.strings); },
      [&](Block& block) {
        const std::string_view output = block.output.view();
        // A block's records (hundreds of KiB) go out by writev from the
        // block, not copied into the output's buffer first.
        auto emit = [&](std::string_view piece) {
          const iovec bytes{const_cast<char*>(piece.data()), piece.size()};
          out.write(&bytes, 1);
        };
        std::size_t written = 0;
        for (const auto& row : block.bad) {
          emit(output.substr(written, row.output_at - written));
          written = row.output_at;
          bad.handle(block.plan->name, row.line, row.reason, row.raw);
        }
        if (block.error) {
          emit(output.substr(written, block.error_at - written));
          std::rethrow_exception(block.error);
        }
        emit(output.substr(written));
        progress.tick(block.records);
      });

  // A failure of the pool (a worker's or the writer's) comes back from
  // submit(); it is thrown on as it is.
  bool submitting = false;
  auto submit = [&] {
    submitting = true;
    pool.submit();
    submitting = false;
  };
  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    try {
      prefline::InputFile input(name);
      std::uint64_t lines_before = 0;
      bool ended = false;
      {
        prefline::CsvReader reader(input, csv);
        const auto& header = reader.read_header();
        // An explicit -d ',' reads such a header as the one column it is.
        if (!options.delimiter_given && prefline::looks_tab_separated(header, delimiter))
          throw prefline::DataError(fmt::format(
              "{}:{}: header: one column whose name holds {} tabs and no comma; for a tab-separated file use -d "
              "'\\t' (-d ',' reads it as one column)",
              name, reader.line(), std::count(header.front().begin(), header.front().end(), '\t')));
        if (options.source)
          for (const auto& column : header)
            if (column == prefline::schema::grade::source)
              throw prefline::DataError(fmt::format("{}:{}: header: column '{}' clashes with --source", name,
                                                    reader.line(), column));
        plans.push_back(std::make_unique<InputPlan>(
            InputPlan{name, header, plan_layout(header, first_header, options, name)}));
        if (first_header.empty()) first_header = header;
        lines_before = reader.lines_read();
        ended = reader.input_ended();
        pool.current().input.assign(reader.unread());
      }
      const InputPlan* plan = plans.back().get();
      prefline::RecordEnds ends(delimiter);
      for (;;) {
        Block& block = pool.current();
        BlockBytes& bytes = block.input;
        if (!ended && bytes.size() < Block::target_bytes) {
          const std::size_t want = Block::target_bytes - bytes.size();
          const std::size_t got = input.read_fully(bytes.tail(want), want);
          bytes.grow(got);
          ended = got < want;
          continue;
        }
        block.plan = plan;
        block.lines_before = lines_before;
        if (ended) {
          if (bytes.size() > 0) submit();
          break;
        }
        const std::size_t end = ends.scan(bytes.data(), bytes.size(), false);
        if (end == prefline::RecordEnds::none) {
          if (bytes.size() < Block::cap_bytes) {
            const std::size_t want = std::size_t{1} << 20;
            const std::size_t got = input.read_fully(bytes.tail(want), want);
            bytes.grow(got);
            ended = got < want;
            continue;
          }
          block.cut = true;
          submit();
          break;
        }
        // The block ends after the LF at `end`; the bytes after it start the next one.
        const std::string carried(bytes.data() + end + 1, bytes.size() - end - 1);
        lines_before += static_cast<std::uint64_t>(std::count(bytes.data(), bytes.data() + end + 1, '\n'));
        bytes.truncate(end + 1);
        submit();
        pool.current().input.assign(carried);
        ends.reset();
      }
    } catch (...) {
      if (submitting) throw;
      // Reported in input order: after the rows of earlier blocks.
      Block& block = pool.current();
      block.clear();
      block.error = std::current_exception();
      submit();
      break;
    }
  }
  pool.finish();
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
