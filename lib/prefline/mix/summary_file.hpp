// What balance writes about a run: the --append-csv file, one row per run
// (the mix achieved and what happened to the input) after a header naming the
// strata, appended by one write under an exclusive lock, so parallel runs can
// share the file, and only when its header is this run's; and the --stats
// file, the same figures as one JSON object.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/csv/writer.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/mix/record_classifier.hpp"
#include "prefline/mix/strata.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::mix {

// The header line, without its line end.
inline std::string summary_header(const std::vector<Stratum>& strata) {
  std::vector<std::string> cells = {std::string(prefline::schema::balance_summary::dataset), std::string(prefline::schema::balance_summary::mix),
                                    std::string(prefline::schema::balance_summary::seed), std::string(prefline::schema::balance_summary::total)};
  for (auto suffix : {prefline::schema::balance_summary::count_suffix, prefline::schema::balance_summary::share_suffix, prefline::schema::balance_summary::available_suffix})
    for (const auto& stratum : strata) cells.push_back(stratum.name + std::string(suffix));
  for (auto column : {prefline::schema::balance_summary::read, prefline::schema::balance_summary::invalid, prefline::schema::balance_summary::filtered,
                      prefline::schema::balance_summary::duplicates, prefline::schema::balance_summary::outside_mix, prefline::schema::balance_summary::eligible,
                      prefline::schema::balance_summary::avg_length})
    cells.emplace_back(column);
  prefline::Buffer line;
  prefline::append_csv_row(line, cells, {',', ""});
  return std::string(line.view());
}

// One run's row, with its line end: `taken` per stratum, `counts` of the
// pass that chose; `length_sum` (the sample's characters of --length-field)
// gives avg_length.
inline std::string summary_row(std::string_view dataset, std::string_view mix, std::uint64_t seed,
                               const std::vector<std::uint64_t>& taken, const Counts& counts,
                               std::optional<std::uint64_t> length_sum) {
  std::uint64_t total = 0;
  for (std::uint64_t count : taken) total += count;
  std::vector<std::string> cells = {std::string(dataset), std::string(mix), fmt::format("{}", seed),
                                    fmt::format("{}", total)};
  for (std::uint64_t count : taken) cells.push_back(fmt::format("{}", count));
  for (std::uint64_t count : taken)
    cells.push_back(total == 0 ? std::string()
                               : fmt::format("{:.4f}", static_cast<double>(count) / static_cast<double>(total)));
  for (std::uint64_t available : counts.eligible) cells.push_back(fmt::format("{}", available));
  for (std::uint64_t count : {counts.read, counts.invalid, counts.filtered, counts.duplicates, counts.outside_mix,
                              counts.eligible_total()})
    cells.push_back(fmt::format("{}", count));
  cells.push_back(!length_sum || total == 0
                      ? std::string()
                      : fmt::format("{:.1f}", static_cast<double>(*length_sum) / static_cast<double>(total)));
  prefline::Buffer row;
  prefline::append_csv_row(row, cells);
  return std::string(row.view());
}

// The --stats object, one line: the row's figures by name, the strata as an
// object in mix order, and not_sampled (eligible records the mix had no room
// for). Shares are rounded to 4 decimals and avg_length to 1, as in the row;
// null when the sample is empty (or, for avg_length, without --length-field).
inline std::string stats_json(std::string_view dataset, std::string_view mix, std::uint64_t seed,
                              const std::vector<Stratum>& strata, const std::vector<std::uint64_t>& taken,
                              const Counts& counts, std::optional<std::uint64_t> length_sum) {
  namespace names = prefline::schema::balance_summary;
  std::uint64_t total = 0;
  for (std::uint64_t count : taken) total += count;
  auto rounded = [](double value, double scale) { return std::nearbyint(value * scale) / scale; };
  prefline::Buffer text;
  prefline::JsonWriter json(text);
  json.begin_object();
  json.key(names::dataset).string(dataset);
  json.key(names::mix).string(mix);
  json.key(names::seed).integer(static_cast<std::int64_t>(seed));
  json.key(names::total).integer(static_cast<std::int64_t>(total));
  json.key(names::strata).begin_object();
  for (std::size_t s = 0; s < strata.size(); ++s) {
    json.key(strata[s].name).begin_object();
    json.key(names::count).integer(static_cast<std::int64_t>(taken[s]));
    if (total == 0) json.key(names::share).null();
    else json.key(names::share).number(rounded(static_cast<double>(taken[s]) / static_cast<double>(total), 1e4));
    json.key(names::available).integer(static_cast<std::int64_t>(counts.eligible[s]));
    json.end_object();
  }
  json.end_object();
  const std::uint64_t eligible = counts.eligible_total();
  for (const auto& [name, count] : {std::pair{names::read, counts.read}, std::pair{names::invalid, counts.invalid},
                                    std::pair{names::filtered, counts.filtered},
                                    std::pair{names::duplicates, counts.duplicates},
                                    std::pair{names::outside_mix, counts.outside_mix}, std::pair{names::eligible, eligible},
                                    std::pair{names::not_sampled, eligible - total}})
    json.key(name).integer(static_cast<std::int64_t>(count));
  if (!length_sum || total == 0) json.key(names::avg_length).null();
  else json.key(names::avg_length).number(rounded(static_cast<double>(*length_sum) / static_cast<double>(total), 10));
  json.end_object();
  json.end_record();
  return std::string(text.view());
}

namespace detail {

// The first line of an existing, non-empty file without its line end; nullopt
// when the file does not exist or is empty.
inline std::optional<std::string> first_line_of(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw prefline::DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  struct stat status {};
  std::string line;
  if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
    char chunk[4096];
    for (;;) {
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      const std::string_view text(chunk, static_cast<std::size_t>(got));
      const std::size_t newline = text.find('\n');
      line.append(text.substr(0, newline));
      if (newline != std::string_view::npos) break;
    }
  }
  ::close(fd);
  if (line.empty()) return std::nullopt;
  if (line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace detail

// Throws DataError when `path` exists and starts with another header.
inline void check_summary_header(const std::string& path, const std::string& header) {
  const std::optional<std::string> existing = detail::first_line_of(path);
  if (existing && *existing != header)
    throw prefline::DataError(
        fmt::format("--append-csv '{}' has another header (other strata?): '{}'; this run writes '{}'", path, *existing,
                    header));
}

// The --append-csv file. Opened before the output is committed when it exists
// already (committing closes standard output, and /dev/stdout with it), and
// created only after, so a failed run creates no summary file.
class SummaryFile {
 public:
  explicit SummaryFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd_ < 0 && errno != ENOENT)
      throw prefline::DataError(fmt::format("cannot open '{}': {}", path_, std::strerror(errno)));
  }
  SummaryFile(const SummaryFile&) = delete;
  SummaryFile& operator=(const SummaryFile&) = delete;
  ~SummaryFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Appends the row under an exclusive lock, after the header when the file
  // is new or empty.
  void append(const std::string& header, std::string_view row) {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0) throw prefline::DataError(fmt::format("cannot open '{}': {}", path_, std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    struct stat status {};
    if (::fstat(fd_, &status) != 0)
      throw prefline::DataError(fmt::format("cannot read '{}': {}", path_, std::strerror(errno)));
    std::string text;
    if (S_ISREG(status.st_mode) && status.st_size > 0) {
      // Another run may have written the file since the check before reading.
      const std::optional<std::string> existing = detail::first_line_of(path_);
      if (existing && *existing != header)
        throw prefline::DataError(
            fmt::format("--append-csv '{}' has another header (other strata?): '{}'", path_, *existing));
      char last = '\n';
      if (::pread(fd_, &last, 1, status.st_size - 1) == 1 && last != '\n') text.push_back('\n');
    } else {
      text.append(header).push_back('\n');
    }
    text.append(row);
    std::string_view left = text;
    while (!left.empty()) {
      const ssize_t written = ::write(fd_, left.data(), left.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        throw prefline::WriteError(fmt::format("'{}': {}", path_, std::strerror(errno)));
      }
      left.remove_prefix(static_cast<std::size_t>(written));
    }
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR)
      throw prefline::WriteError(fmt::format("'{}': {}", path_, std::strerror(errno)));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace prefline::mix
