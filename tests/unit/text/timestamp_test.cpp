#include "prefline/text/timestamp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "prefline/random/generator.hpp"

namespace {

// Expected values computed with Python's datetime (an independent calendar).
TEST(ParseIso8601, GraderAppFormat) {
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T17:30:07.636Z"), 1748971807636000);
  EXPECT_EQ(prefline::parse_iso8601("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(prefline::parse_iso8601("1969-12-31T23:59:59.000Z"), -1000000);
}

TEST(ParseIso8601, DateOnlyIsMidnightUtc) {
  EXPECT_EQ(prefline::parse_iso8601("1970-01-01"), 0);
  EXPECT_EQ(prefline::parse_iso8601("2000-02-29"), 951782400000000);
  EXPECT_EQ(prefline::parse_iso8601("1900-03-01"), -2203891200000000);
}

TEST(ParseIso8601, OtherSeparatorsAndPrecisions) {
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03 17:30:07Z"), 1748971807000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03t17:30:07z"), 1748971807000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T17:30"), 1748971800000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T17:30:07.123456Z"), 1748971807123456);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T17:30:07,5"), 1748971807500000);
  // Digits beyond microseconds are read and dropped, not rounded.
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T17:30:07.1234569Z"), 1748971807123456);
}

TEST(ParseIso8601, OffsetsMoveToUtc) {
  EXPECT_EQ(prefline::parse_iso8601("2024-02-29T12:00:00+05:30"), 1709188200000000);
  EXPECT_EQ(prefline::parse_iso8601("2024-02-29T12:00:00+0530"), 1709188200000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T00:00:00-07:00"), 1748934000000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T00:00:00-07"), 1748934000000000);
  EXPECT_EQ(prefline::parse_iso8601("2025-06-03T00:00:00+00:00"), prefline::parse_iso8601("2025-06-03"));
}

TEST(ParseIso8601, LeapSecondIsAccepted) {
  EXPECT_EQ(prefline::parse_iso8601("2016-12-31T23:59:60Z"), prefline::parse_iso8601("2017-01-01T00:00:00Z"));
}

TEST(ParseIso8601, RejectsEverythingElse) {
  for (const char* text : {"", "2025", "2025-06", "2025-6-03", "2025-06-3", "2025/06/03", "2025-13-01", "2025-00-10",
                           "2025-06-32", "2025-06-00", "2025-06-03T", "2025-06-03T17", "2025-06-03T17:3",
                           "2025-06-03T24:00", "2025-06-03T17:60", "2025-06-03T17:30:61", "2025-06-03T17:30:07.",
                           "2025-06-03T17:30:07.Z", "2025-06-03X17:30", "2025-06-03T17:30:07Zjunk",
                           "2025-06-03T17:30:07+2", "2025-06-03T17:30:07+24:00", "2025-06-03T17:30:07+05:60",
                           "2025-06-03T17:30:07+05:3", "2025-06-03T17:30:07 UTC", " 2025-06-03", "2025-06-03 "}) {
    EXPECT_EQ(prefline::parse_iso8601(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(FormatIso8601Milliseconds, KnownTimes) {
  EXPECT_EQ(prefline::format_iso8601_milliseconds(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(1750000000000), "2025-06-15T15:06:40.000Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(1748971807636), "2025-06-03T17:30:07.636Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(253402300799999), "9999-12-31T23:59:59.999Z");
}

TEST(FormatIso8601Milliseconds, BeforeTheEpoch) {
  EXPECT_EQ(prefline::format_iso8601_milliseconds(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(-86400000), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(prefline::format_iso8601_milliseconds(-2203891200000), "1900-03-01T00:00:00.000Z");
}

TEST(FormatIso8601Milliseconds, ParsesBackToTheSameTime) {
  prefline::SplitMix64 random{17};
  constexpr std::int64_t span = 253402300800000;  // 1970 .. 9999, in milliseconds
  constexpr std::int64_t before = span / 8;       // back to the year 966
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t milliseconds =
        static_cast<std::int64_t>(random.below(static_cast<std::size_t>(span + before))) - before;
    const std::string text = prefline::format_iso8601_milliseconds(milliseconds);
    ASSERT_EQ(text.size(), 24u) << text;
    ASSERT_EQ(prefline::parse_iso8601(text), milliseconds * 1000) << text;
  }
}

// SOURCE_DATE_EPOCH is process state: each test sets what it needs and restores it.
class RecordTime : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* value = std::getenv("SOURCE_DATE_EPOCH")) saved_ = value;
  }
  void TearDown() override {
    if (saved_) ::setenv("SOURCE_DATE_EPOCH", saved_->c_str(), 1);
    else ::unsetenv("SOURCE_DATE_EPOCH");
  }
  static std::int64_t now_milliseconds() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
  }
  void expect_now() {
    const std::int64_t before = now_milliseconds();
    const std::int64_t got = prefline::record_time_milliseconds();
    const std::int64_t after = now_milliseconds();
    EXPECT_GE(got, before);
    EXPECT_LE(got, after);
  }

 private:
  std::optional<std::string> saved_;
};

TEST_F(RecordTime, SourceDateEpochWins) {
  ::setenv("SOURCE_DATE_EPOCH", "1750000000", 1);
  EXPECT_EQ(prefline::record_time_milliseconds(), 1750000000000);
  EXPECT_EQ(prefline::format_iso8601_milliseconds(prefline::record_time_milliseconds()), "2025-06-15T15:06:40.000Z");
  ::setenv("SOURCE_DATE_EPOCH", "0", 1);
  EXPECT_EQ(prefline::record_time_milliseconds(), 0);
  ::setenv("SOURCE_DATE_EPOCH", "-5", 1);
  EXPECT_EQ(prefline::record_time_milliseconds(), -5000);
}

TEST_F(RecordTime, UnsetEmptyOrNotANumberIsNow) {
  ::unsetenv("SOURCE_DATE_EPOCH");
  expect_now();
  ::setenv("SOURCE_DATE_EPOCH", "", 1);
  expect_now();
  ::setenv("SOURCE_DATE_EPOCH", "1750000000x", 1);
  expect_now();
  ::setenv("SOURCE_DATE_EPOCH", "soon", 1);
  expect_now();
}

}  // namespace
