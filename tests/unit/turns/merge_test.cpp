// turns/merge.hpp: the source member found in a record as turns writes it,
// the rank --with-hash puts at its end, and the record without it.
#include "prefline/turns/merge.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

const std::string hashed_record =
    R"({"meta":{"source":{"file":"x"}},"note":"a \",\"source\":{","instance_id":"i-1",)"
    R"("source":{"file":"a \"b\".jsonl","line":7,"turn":2,"hash":"00ff00000000a1b2"},)"
    R"("messages":[],"reference":{"role":"assistant","content":"ok"}})"
    "\n";

TEST(TurnsMerge, FindsTheTopLevelSourceOnly) {
  const auto span = prefline::turns::find_source(hashed_record);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(hashed_record.substr(span->begin, span->end - span->begin),
            R"(,"source":{"file":"a \"b\".jsonl","line":7,"turn":2,"hash":"00ff00000000a1b2"})");
  EXPECT_FALSE(prefline::turns::find_source(R"({"meta":{"source":{"file":"x"}},"id":1})").has_value());
}

TEST(TurnsMerge, ReadsTheRankAndLeavesItOut) {
  const auto span = prefline::turns::find_source(hashed_record);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(prefline::turns::source_hash(hashed_record, *span), UINT64_C(0x00ff00000000a1b2));
  std::string plain;
  prefline::turns::append_without_hash(plain, hashed_record, *span);
  EXPECT_EQ(plain, R"({"meta":{"source":{"file":"x"}},"note":"a \",\"source\":{","instance_id":"i-1",)"
                   R"("source":{"file":"a \"b\".jsonl","line":7,"turn":2},)"
                   R"("messages":[],"reference":{"role":"assistant","content":"ok"}})"
                   "\n");
  // The tie hash leaves the source out, hash and all: the same with and without it.
  EXPECT_EQ(prefline::turns::tie_hash(hashed_record, *span),
            prefline::turns::tie_hash(plain, *prefline::turns::find_source(plain)));
}

TEST(TurnsMerge, NoRankWithoutSixteenHexDigits) {
  const std::string plain = R"({"id":1,"source":{"file":"-","line":1,"turn":1},"messages":[]})";
  EXPECT_FALSE(prefline::turns::source_hash(plain, *prefline::turns::find_source(plain)).has_value());
  const std::string upper = R"({"id":1,"source":{"file":"-","line":1,"turn":1,"hash":"00FF00000000A1B2"}})";
  EXPECT_FALSE(prefline::turns::source_hash(upper, *prefline::turns::find_source(upper)).has_value());
  const std::string short_hash = R"({"id":1,"source":{"file":"-","line":1,"turn":1,"hash":"12"}})";
  EXPECT_FALSE(prefline::turns::source_hash(short_hash, *prefline::turns::find_source(short_hash)).has_value());
}

}  // namespace
