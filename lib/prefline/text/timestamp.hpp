// ISO 8601 times: parsing (to compare grades by time) and writing (record
// timestamps that honour SOURCE_DATE_EPOCH, for reproducible output).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace prefline {

namespace detail {
// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil algorithm).
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

inline bool read_digits(std::string_view& text, std::size_t count, int& value) {
  if (text.size() < count) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  text.remove_prefix(count);
  return true;
}
}  // namespace detail

// Microseconds since the epoch of an ISO 8601 time: YYYY-MM-DD, optionally
// followed by T (or a space) HH:MM[:SS[.fraction]] and Z or an offset
// (+HH:MM, +HHMM, +HH). No offset means UTC. Nothing else is accepted.
inline std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  // Fast path for the form every grader app writes: YYYY-MM-DDTHH:MM:SS.mmmZ.
  if (text.size() == 24 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
      text[16] == ':' && text[19] == '.' && text[23] == 'Z') {
    int v[7];
    static constexpr int at[7] = {0, 5, 8, 11, 14, 17, 20};
    static constexpr int width[7] = {4, 2, 2, 2, 2, 2, 3};
    bool digits = true;
    for (int f = 0; f < 7; ++f) {
      v[f] = 0;
      for (int i = 0; i < width[f]; ++i) {
        const char c = text[static_cast<std::size_t>(at[f] + i)];
        digits = digits && c >= '0' && c <= '9';
        v[f] = v[f] * 10 + (c - '0');
      }
    }
    if (digits && v[1] >= 1 && v[1] <= 12 && v[2] >= 1 && v[2] <= 31 && v[3] <= 23 && v[4] <= 59 && v[5] <= 60) {
      const std::int64_t days = detail::days_from_civil(v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2]));
      return (days * 86400 + v[3] * 3600 + v[4] * 60 + v[5]) * 1000000 + std::int64_t{v[6]} * 1000;
    }
  }
  int year, month, day, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0;
  if (!detail::read_digits(text, 4, year) || text.empty() || text[0] != '-') return std::nullopt;
  text.remove_prefix(1);
  if (!detail::read_digits(text, 2, month) || text.empty() || text[0] != '-') return std::nullopt;
  text.remove_prefix(1);
  if (!detail::read_digits(text, 2, day)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::int64_t offset_minutes = 0;
  if (!text.empty()) {
    if (text[0] != 'T' && text[0] != 't' && text[0] != ' ') return std::nullopt;
    text.remove_prefix(1);
    if (!detail::read_digits(text, 2, hour) || text.empty() || text[0] != ':') return std::nullopt;
    text.remove_prefix(1);
    if (!detail::read_digits(text, 2, minute)) return std::nullopt;
    if (!text.empty() && text[0] == ':') {
      text.remove_prefix(1);
      if (!detail::read_digits(text, 2, second)) return std::nullopt;
      if (!text.empty() && (text[0] == '.' || text[0] == ',')) {
        text.remove_prefix(1);
        std::int64_t scale = 100000;
        std::size_t digits = 0;
        while (!text.empty() && text[0] >= '0' && text[0] <= '9') {
          micros += (text[0] - '0') * scale;
          scale /= 10;
          text.remove_prefix(1);
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (!text.empty()) {
      if (text == "Z" || text == "z") {
        text = {};
      } else if (text[0] == '+' || text[0] == '-') {
        const int sign = text[0] == '-' ? -1 : 1;
        text.remove_prefix(1);
        int offset_hours = 0, offset_mins = 0;
        if (!detail::read_digits(text, 2, offset_hours)) return std::nullopt;
        if (!text.empty() && text[0] == ':') text.remove_prefix(1);
        if (!text.empty() && !detail::read_digits(text, 2, offset_mins)) return std::nullopt;
        if (!text.empty() || offset_hours > 23 || offset_mins > 59) return std::nullopt;
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
      } else {
        return std::nullopt;
      }
    }
  }
  const std::int64_t days = detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000000 + micros;
}

// Seconds since the epoch for timestamps written into records:
// SOURCE_DATE_EPOCH when set (reproducible builds convention), else now.
inline std::int64_t record_time_milliseconds() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0') return static_cast<std::int64_t>(seconds) * 1000;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2025-06-03T17:30:07.636Z" for milliseconds since the epoch (UTC).
inline std::string format_iso8601_milliseconds(std::int64_t milliseconds) {
  std::int64_t days = milliseconds / 86400000;
  std::int64_t rest = milliseconds % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  // civil_from_days (Hinnant).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, day, rest / 3600000,
                     rest / 60000 % 60, rest / 1000 % 60, rest % 1000);
}

}  // namespace prefline
