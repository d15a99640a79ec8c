// CSV input (RFC 4180): detail::LineSource cuts physical lines (memchr, no
// strlen), fast-cpp-csv-parser's quote-aware column splitting
// (double_quote_escape) cuts and unescapes cells. On top of it: records that span lines while their
// quotes are unbalanced, exact 1-based line numbers, a header per input,
// strict checks (ragged rows, stray quotes, NUL bytes, invalid UTF-8).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
// The library's error types copy file names with strncpy; GCC warns about that
// inside a system header once inlined. Not our code, and not a real truncation risk
// for us (we never use its file-name messages).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop
#else
#include <libfccp/csv.h>
#endif
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/io/input.hpp"

namespace prefline {

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// ("4", "-1.5", "2e3" are numbers; "007", "+1", ".5", "1.", "NaN" are not).
inline bool is_json_number(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  auto digit = [&](const char* at) { return at < end && *at >= '0' && *at <= '9'; };
  if (p < end && *p == '-') ++p;
  if (!digit(p)) return false;
  if (*p == '0') {
    ++p;
  } else {
    while (digit(p)) ++p;
  }
  if (p < end && *p == '.') {
    ++p;
    if (!digit(p)) return false;
    while (digit(p)) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (!digit(p)) return false;
    while (digit(p)) ++p;
  }
  return p == end;
}

// A header read as one column whose name holds tabs and no comma: most
// likely a tab-separated file read with the default ',' delimiter.
inline bool looks_tab_separated(const std::vector<std::string>& header, char delimiter) {
  if (delimiter != ',' || header.size() != 1) return false;
  const std::string& name = header.front();
  return name.find('\t') != std::string::npos && name.find(',') == std::string::npos;
}

// Parses "--delimiter" values: one ASCII character, or the two characters "\t".
// Returns 0 for a value that cannot be a delimiter.
inline char parse_delimiter(std::string_view text) {
  if (text == "\\t" || text == "tab") return '\t';
  if (text.size() != 1) return 0;
  const char c = text[0];
  if (static_cast<unsigned char>(c) >= 0x80 || c == '"' || c == '\r' || c == '\n' || c == '\0') return 0;
  return c;
}

namespace detail {

// fast-cpp-csv-parser takes the separator as a template argument; this table
// instantiates its column splitter once per ASCII separator.
using FindColumnEnd = const char* (*)(const char*);
template <std::size_t... separators>
constexpr std::array<FindColumnEnd, sizeof...(separators)> make_column_splitters(std::index_sequence<separators...>) {
  return {&io::double_quote_escape<static_cast<char>(separators), '"'>::find_next_column_end...};
}
inline constexpr auto column_splitters = make_column_splitters(std::make_index_sequence<128>{});

// One physical line: its bytes without the line end, followed by a NUL
// written over the line end (the column splitter stops at NUL).
struct PhysicalLine {
  char* text = nullptr;  // nullptr at the end of the input
  std::size_t length = 0;
  bool crlf = false;     // a CR before the LF (or before the end of the input) was dropped
  bool has_nul = false;  // the line holds a NUL byte of the input
};

// A physical line of max_line_bytes or more (its CR counted, its LF not).
struct LineTooLong {};

// Cuts an input into physical lines. Lines are found with memchr and their
// length is known, so a NUL byte in the data is just a byte (the row holding
// it is reported bad) and no line is measured twice. The rules are those of
// fast-cpp-csv-parser's LineReader, which this replaces: a UTF-8 BOM at the
// very start of an input is dropped; a line ends at LF or at the end of the
// input; one CR before that end is dropped; a line of 16 MiB or more is an error.
class LineSource {
 public:
  static constexpr std::size_t max_line_bytes = std::size_t{1} << 24;
  static constexpr std::size_t read_size = std::size_t{1} << 20;

  // Reads `input` read_size bytes at a time.
  explicit LineSource(InputFile& input) : input_(&input) {
    while (end_ < 3 && !eof_) refill();
    drop_bom();
  }
  // A whole input in memory (copied).
  LineSource(const char* data, std::size_t size) : own_(data, data + size), eof_(true) {
    own_.push_back('\0');
    data_ = own_.data();
    end_ = size;
    drop_bom();
  }
  // A block of an input that starts at a line start (no BOM handling), used
  // in place: block[size] must be writable.
  LineSource(char* block, std::size_t size, bool) : data_(block), end_(size), eof_(true) {}

  PhysicalLine next() {
    while (begin_ == end_ && !eof_) refill();
    if (begin_ == end_) return {};
    std::size_t from = begin_;
    std::size_t line_end;
    for (;;) {
      const void* found = std::memchr(data_ + from, '\n', end_ - from);
      if (found != nullptr) {
        line_end = static_cast<std::size_t>(static_cast<const char*>(found) - data_);
        break;
      }
      if (end_ - begin_ >= max_line_bytes) throw LineTooLong{};
      if (eof_) {
        line_end = end_;
        break;
      }
      const std::size_t searched = end_ - begin_;
      refill();
      from = begin_ + searched;
    }
    PhysicalLine line;
    line.text = data_ + begin_;
    line.length = line_end - begin_;
    if (line.length >= max_line_bytes) throw LineTooLong{};
    line.has_nul = nul_before(line_end);
    if (line.length > 0 && line.text[line.length - 1] == '\r') {
      line.crlf = true;
      --line.length;
    }
    line.text[line.length] = '\0';
    begin_ = line_end < end_ ? line_end + 1 : end_;
    return line;
  }

  // The bytes read from the input but not yet cut into lines, and whether
  // the input has no more (a caller may go on reading the input itself).
  std::string_view unread() const { return {data_ + begin_, end_ - begin_}; }
  bool input_ended() const { return eof_; }

 private:
  void drop_bom() {
    if (end_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
  }

  // Moves the unread bytes to the front and appends the next read_size bytes
  // of the input; one spare byte stays after them for a final line's NUL.
  void refill() {
    if (begin_ > 0) {
      std::memmove(own_.data(), data_ + begin_, end_ - begin_);
      end_ -= begin_;
      scanned_ = scanned_ > begin_ ? scanned_ - begin_ : 0;
      if (next_nul_ != none) next_nul_ -= begin_;
      begin_ = 0;
    }
    if (own_.size() < end_ + read_size + 1) own_.resize(end_ + read_size + 1);
    data_ = own_.data();
    const std::size_t got = input_->read_fully(data_ + end_, read_size);
    if (got < read_size) eof_ = true;
    end_ += got;
  }

  // Whether a NUL lies in [begin_, line_end): the data is searched once, NUL
  // by NUL.
  bool nul_before(std::size_t line_end) {
    if (next_nul_ != none && next_nul_ < begin_) {
      next_nul_ = none;
      scanned_ = begin_;
    }
    if (next_nul_ == none && scanned_ < end_) {
      const std::size_t from = std::max(scanned_, begin_);
      const void* nul = std::memchr(data_ + from, '\0', end_ - from);
      next_nul_ = nul != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nul) - data_) : none;
      scanned_ = nul != nullptr ? next_nul_ + 1 : end_;
    }
    return next_nul_ != none && next_nul_ < line_end;
  }

  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  InputFile* input_ = nullptr;
  std::vector<char> own_;
  char* data_ = nullptr;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::size_t next_nul_ = none;  // the first NUL at or after begin_ found so far
  std::size_t scanned_ = 0;      // searched for NUL up to here
};

}  // namespace detail

// Finds where records end in a stretch of CSV input that starts at a record's
// first line, for cutting an input into blocks that readers take in
// parallel: the last LF outside quotes, by the rule CsvReader joins lines by
// (a quote opens a quoted cell only at a line start or after the delimiter;
// inside, "" is a quote and a single quote closes it). Bytes may be added
// after scanning; only the new ones are scanned next time.
class RecordEnds {
 public:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  explicit RecordEnds(char delimiter) : delimiter_(delimiter) {}

  // Scans data[0, size) (of which a previous call saw a prefix); `ended`:
  // nothing follows it in the input. Returns the offset of the last LF that
  // ends a record, or none.
  std::size_t scan(const char* data, std::size_t size, bool ended) {
    std::size_t p = scanned_;
    for (;;) {
      const void* found = p < size ? std::memchr(data + p, '"', size - p) : nullptr;
      if (found == nullptr) break;
      const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - data);
      if (inside_) {
        if (at + 1 == size && !ended) {
          // A doubled quote or a closing one: the next byte tells; until then
          // no LF after this quote is known to be outside quotes.
          scanned_ = at;
          return last_end_;
        }
        if (at + 1 < size && data[at + 1] == '"') {
          p = at + 2;
          continue;
        }
        inside_ = false;
        outside_from_ = at + 1;
      } else if (at == 0 || data[at - 1] == '\n' || data[at - 1] == delimiter_) {
        note_last_lf(data, at);
        inside_ = true;
      }
      p = at + 1;
    }
    scanned_ = size;
    if (!inside_) note_last_lf(data, size);
    return last_end_;
  }

  // Starts over for the bytes after a cut at a record end.
  void reset() { *this = RecordEnds(delimiter_); }

 private:
  // The last LF in data[outside_from_, to), all outside quotes.
  void note_last_lf(const char* data, std::size_t to) {
    if (outside_from_ < to)
      if (const void* lf = memrchr(data + outside_from_, '\n', to - outside_from_))
        last_end_ = static_cast<std::size_t>(static_cast<const char*>(lf) - data);
    outside_from_ = std::max(outside_from_, to);
  }

  char delimiter_;
  bool inside_ = false;
  std::size_t scanned_ = 0;       // bytes looked at
  std::size_t outside_from_ = 0;  // outside quotes from here to scanned_, LFs before it noted
  std::size_t last_end_ = none;
};

struct CsvOptions {
  char delimiter = ',';
  bool keep_raw = false;  // keep each record's raw text (for --rejects)
};

// Reads one CSV input: its first non-empty record is the header, every other
// record is delivered as cells in header order.
class CsvReader {
 public:
  // LineReader's own limit on a physical line; a record spanning lines gets the same.
  static constexpr std::size_t max_record_bytes = (std::size_t{1} << 24) - 1;

  enum class Result { record, bad, end };

  CsvReader(InputFile& input, CsvOptions options) : name_(input.name()), lines_(input), options_(options) {}
  CsvReader(std::string name, const char* data, std::size_t size, CsvOptions options)
      : name_(std::move(name)), lines_(data, size), options_(options) {}
  // The records of one block of an input whose header is known: the block
  // starts at a record's first line, after `lines_before` physical lines of
  // the input (line numbers and messages are those of the whole input), and
  // is read in place (block[size] must be writable). The block ends where a
  // record ends, or is the rest of the input.
  CsvReader(std::string name, char* block, std::size_t size, std::uint64_t lines_before,
            const std::vector<std::string>& header, CsvOptions options)
      : name_(std::move(name)), lines_(block, size, true), options_(options), physical_(lines_before), header_(header) {}

  // Reads up to and including the header. Throws DataError when the input has
  // no usable header (empty input, empty or duplicate names): without a header
  // no row can be mapped, so this is never skippable.
  const std::vector<std::string>& read_header() {
    for (;;) {
      if (!read_logical_record()) throw DataError(fmt::format("{}:{}: no header row (empty input)", name_, physical_ + 1));
      if (!problem_.empty()) throw DataError(fmt::format("{}:{}: header: {}", name_, record_line_, problem_));
      header_.clear();
      for (std::size_t i = 0; i < cells_.size(); ++i) {
        std::string_view cell = cells_[i];
        if (i == 0 && starts_with_bom(cell)) cell.remove_prefix(3);
        if (cell.empty())
          throw DataError(fmt::format("{}:{}: header: empty column name (column {})", name_, record_line_, i + 1));
        for (const auto& seen : header_)
          if (seen == cell)
            throw DataError(fmt::format("{}:{}: header: duplicate column name '{}'", name_, record_line_, cell));
        header_.emplace_back(cell);
      }
      return header_;
    }
  }

  // The next data row. Result::bad leaves reason() and raw() describing it;
  // the reader continues with the following record. A row equal to the header
  // (a repeated header, as `cat a.csv b.csv` produces) is skipped.
  Result next() {
    for (;;) {
      if (!read_logical_record()) return Result::end;
      split_glued_header();
      if (!problem_.empty()) return Result::bad;
      if (cells_.size() == header_.size() && is_repeated_header()) continue;
      if (starts_with_bom(cells_[0])) {
        problem_ = "byte order mark in the middle of the input";
        return Result::bad;
      }
      if (cells_.size() != header_.size()) {
        problem_ = fmt::format("row has {} cell{}, header has {}", cells_.size(), cells_.size() == 1 ? "" : "s",
                               header_.size());
        if (ends_with_glued_header())
          problem_ += ", and ends with the header: the last row of one file and the header of the next, glued at "
                      "the file boundary (the first file ends without a newline, and cat joined them); pass the "
                      "files as arguments (csv2jsonl a.csv b.csv) or end each file with a newline";
        return Result::bad;
      }
      return Result::record;
    }
  }

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::string_view>& cells() const { return cells_; }
  std::uint64_t line() const { return record_line_; }   // first physical line of the record
  const std::string& reason() const { return problem_; }
  std::string_view raw() const { return raw_; }         // the record's bytes with their line ends (keep_raw)
  // The bytes every cell of the current record lies in (cells() point into it).
  std::string_view span() const { return span_; }
  const std::string& name() const { return name_; }
  // Physical lines read so far, and the input's bytes read but not yet cut
  // into lines (after read_header: where the data rows start).
  std::uint64_t lines_read() const { return physical_; }
  std::string_view unread() const { return lines_.unread(); }
  bool input_ended() const { return lines_.input_ended(); }

 private:

  static bool starts_with_bom(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF"; }

  // `cat a.csv b.csv` where a.csv has no final line end (the vizhub grader app
  // writes files that way) glues a's last row to b's header:
  //   d1,...,dm + [BOM] h1,h2,...,hm  ->  cells d1..d(m-1), dm+h1, h2..hm.
  // Such a row is cut back to d1..dm (the header copy is dropped like any
  // repeated header) only when the evidence is unambiguous: cells m+1.. equal
  // h2..hm, and the glued cell is dm + h1 where a BOM precedes h1, or dm is a
  // complete quoted cell, or dm is empty and the header has 3 or more columns.
  // Any other row with too many cells stays a bad row.
  void note_glue_candidate(const char* begin, const char* end) {
    glue_prefix_ = no_glue;
    const std::string_view raw(begin, static_cast<std::size_t>(end - begin));
    const std::string& first = header_[0];
    if (!raw.ends_with(first) || first.ends_with('"')) return;
    std::string_view prefix = raw.substr(0, raw.size() - first.size());
    const bool bom = starts_with_bom(prefix.substr(prefix.size() >= 3 ? prefix.size() - 3 : 0));
    if (bom) prefix.remove_suffix(3);
    const bool quoted = prefix.size() >= 2 && prefix.front() == '"' && prefix.back() == '"';
    if (bom || quoted || (prefix.empty() && header_.size() >= 3)) glue_prefix_ = prefix.size();
  }

  void split_glued_header() {
    const std::size_t m = header_.size();
    if (m < 2 || cells_.size() != 2 * m - 1 || glue_prefix_ == no_glue) return;
    for (std::size_t i = 1; i < m; ++i)
      if (cells_[m - 1 + i] != header_[i]) return;
    cells_.resize(m);
    if (problem_column_ == m) {
      // The glued cell was judged as a whole; judge the row's own part again.
      problem_.clear();
      problem_column_ = 0;
    }
    char* begin = const_cast<char*>(cells_[m - 1].data());
    char* end = begin + glue_prefix_;
    check_cell(begin, end, m);
    if (*begin == '"') {
      *end = '\0';
      io::double_quote_escape<',', '"'>::unescape(begin, end);
    }
    cells_[m - 1] = std::string_view(begin, static_cast<std::size_t>(end - begin));
  }

  // A row that split_glued_header could not cut back with certainty, but
  // whose end is a header glued to it: more cells than the header, the last
  // m-1 equal to names 2..m, and the unquoted cell before them ending with the
  // first name (after the row's own last cell, or a BOM). Only for the message.
  bool ends_with_glued_header() const {
    const std::size_t m = header_.size();
    const std::size_t n = cells_.size();
    if (m < 2 || n <= m) return false;
    for (std::size_t i = 1; i < m; ++i)
      if (cells_[n - m + i] != header_[i]) return false;
    const std::string_view glued = cells_[n - m];
    // Not the first cell (n > m), so the byte before it is in the record: the
    // cut delimiter, or the opening quote of a quoted cell, which cat cannot
    // have glued a header into.
    if (glued.data()[-1] == '"') return false;
    return glued.ends_with(header_[0]);
  }

  bool is_repeated_header() const {
    std::string_view first = cells_[0];
    if (starts_with_bom(first)) first.remove_prefix(3);
    if (first != header_[0]) return false;
    for (std::size_t i = 1; i < cells_.size(); ++i)
      if (cells_[i] != header_[i]) return false;
    return true;
  }

  detail::PhysicalLine next_physical_line() {
    try {
      const detail::PhysicalLine line = lines_.next();
      if (line.text != nullptr) ++physical_;
      return line;
    } catch (const detail::LineTooLong&) {
      throw DataError(fmt::format("{}:{}: line longer than 16 MiB", name_, physical_ + 1));
    }
  }

  void append_raw(const detail::PhysicalLine& line) {
    raw_.append(line.text, line.length);
    raw_.append(line.crlf ? "\r\n" : "\n");
  }

  // Assembles the next logical record (skipping empty lines) and splits it
  // into cells_. Sets problem_ when the record is bad. False at end of input.
  bool read_logical_record() {
    problem_.clear();
    problem_column_ = 0;
    raw_.clear();
    detail::PhysicalLine first;
    do {
      first = next_physical_line();
      if (first.text == nullptr) return false;
    } while (first.length == 0 && !first.has_nul);
    record_line_ = physical_;
    bool has_nul = first.has_nul;
    bool crlf = first.crlf;
    if (options_.keep_raw) append_raw(first);

    char* line = first.text;
    std::size_t length = first.length;
    char* text = line;
    bool has_quote = std::memchr(line, '"', length) != nullptr;
    if (has_quote && ends_inside_quotes(line, length, false)) {
      // A quoted cell holds a line break: join physical lines, keeping the
      // break itself (CRLF or LF) as part of the cell.
      joined_.assign(line, length);
      bool inside = true;
      while (inside) {
        const detail::PhysicalLine more = next_physical_line();
        if (more.text == nullptr) {
          problem_ = "unterminated quoted field (reaches the end of the input)";
          split_nothing();
          return true;
        }
        joined_.append(crlf ? "\r\n" : "\n");
        joined_.append(more.text, more.length);
        has_nul = has_nul || more.has_nul;
        crlf = more.crlf;
        if (options_.keep_raw) append_raw(more);
        inside = ends_inside_quotes(more.text, more.length, true);
        if (joined_.size() > max_record_bytes)
          throw DataError(fmt::format("{}:{}: quoted field runs on for more than 16 MiB (unbalanced quote?)", name_,
                                      record_line_));
      }
      text = joined_.data();
      length = joined_.size();
    }
    if (has_nul) {
      problem_ = "NUL byte in input";
      split_nothing();
      return true;
    }
    if (!simdjson::validate_utf8(text, length)) {
      problem_ = "invalid UTF-8";
      split_nothing();
      return true;
    }
    // Only a record with a quote or a CR can hold a badly quoted cell; the
    // others (most rows) skip the per-cell check.
    span_ = std::string_view(text, length);
    split(text, has_quote || std::memchr(text, '\r', length) != nullptr);
    return true;
  }

  // Keeps cells_ non-empty for a bad record, so callers may index cells_[0].
  void split_nothing() {
    cells_.clear();
    cells_.emplace_back();
  }

  // RFC 4180 quote state after `text`, given the state before it: true when
  // a quoted cell is still open. A quote opens a cell only at its start; a
  // stray quote elsewhere does not swallow the following lines (the row is
  // reported bad by check_cell instead).
  bool ends_inside_quotes(const char* text, std::size_t length, bool inside) const {
    const char* end = text + length;
    const char* p = text;
    while (p < end) {
      const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
      if (quote == nullptr) return inside;
      if (inside) {
        if (quote + 1 < end && quote[1] == '"') {  // a doubled quote inside quotes
          p = quote + 2;
          continue;
        }
        inside = false;
      } else if (quote == text || quote[-1] == options_.delimiter) {
        inside = true;  // opens a quoted cell
      }                 // else: a stray quote, which does not open anything
      p = quote + 1;
    }
    return inside;
  }

  // Cuts the record into cells with the library's splitter, checks each cell's
  // quoting (RFC 4180: a quote only as the first and last character, doubled
  // inside), and unescapes quoted cells in place.
  void split(char* text, bool check_quoting) {
    cells_.clear();
    glue_prefix_ = no_glue;
    char* rest = text;
    while (rest != nullptr) {
      char* begin = rest;
      char* end;
      try {
        end = begin + (find_column_end_(begin) - begin);
      } catch (const io::error::escaped_string_not_closed&) {
        problem_ = fmt::format("quote inside an unquoted field in column {}", cells_.size() + 1);
        problem_column_ = cells_.size() + 1;
        split_nothing();
        return;
      }
      if (*end == '\0') {
        rest = nullptr;
      } else {
        *end = '\0';
        rest = end + 1;
      }
      if (check_quoting) check_cell(begin, end, cells_.size() + 1);
      if (cells_.size() + 1 == header_.size() && header_.size() >= 2) note_glue_candidate(begin, end);
      if (*begin == '"') unquote(begin, end);
      cells_.emplace_back(begin, static_cast<std::size_t>(end - begin));
    }
  }

  // A quoted cell without doubled quotes inside is its inner text as is; only
  // cells with "" go through the library's in-place unescaping.
  static void unquote(char*& begin, char*& end) {
    const std::size_t length = static_cast<std::size_t>(end - begin);
    if (length >= 2 && end[-1] == '"' && std::memchr(begin + 1, '"', length - 2) == nullptr) {
      ++begin;
      --end;
      return;
    }
    io::double_quote_escape<',', '"'>::unescape(begin, end);
  }

  void check_cell(const char* begin, const char* end, std::size_t column) {
    if (!problem_.empty()) return;
    check_cell_quoting(begin, end, column);
    if (!problem_.empty()) problem_column_ = column;
  }

  void check_cell_quoting(const char* begin, const char* end, std::size_t column) {
    const std::size_t length = static_cast<std::size_t>(end - begin);
    if (length > 0 && *begin == '"') {
      // Quoted: closed by its last byte, and every quote inside doubled.
      bool closed = length >= 2 && end[-1] == '"';
      const char* inner_end = end - 1;
      const char* p = begin + 1;
      while (closed && p < inner_end) {
        const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(inner_end - p)));
        if (quote == nullptr) break;
        if (quote + 1 < inner_end && quote[1] == '"') {
          p = quote + 2;
        } else {
          closed = false;
        }
      }
      if (!closed) problem_ = fmt::format("text after the closing quote in column {}", column);
      return;
    }
    if (std::memchr(begin, '"', length) != nullptr) {
      problem_ = fmt::format("quote inside an unquoted field in column {}", column);
      return;
    }
    if (std::memchr(begin, '\r', length) != nullptr || std::memchr(begin, '\n', length) != nullptr)
      problem_ = fmt::format("line break outside quotes in column {} (CR-only line ends are not supported)", column);
  }

  std::string name_;
  detail::LineSource lines_;
  CsvOptions options_;
  detail::FindColumnEnd find_column_end_ =
      detail::column_splitters[static_cast<unsigned char>(options_.delimiter) & 0x7F];
  std::uint64_t physical_ = 0;
  std::uint64_t record_line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> cells_;
  std::string joined_;
  std::string raw_;
  std::string problem_;
  std::string_view span_;
  std::size_t problem_column_ = 0;  // 1-based cell the problem is in, 0 if none or the whole row
  static constexpr std::size_t no_glue = static_cast<std::size_t>(-1);
  std::size_t glue_prefix_ = no_glue;  // see note_glue_candidate
};

}  // namespace prefline
