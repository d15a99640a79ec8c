// turns/turn_record.hpp: the turn record's fields in order, and the tie hash
// that leaves out where the turn was read.
#include "prefline/turns/turn_record.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

const char* const record_trajectory =
    R"({"repo":"r/x","instance_id":"i-1","extra":[1,2.50],"messages":[{"role":"user","content":"go"},)"
    R"({"role":"assistant","content":"ok"},{"role":"user","content":"more"},{"role":"assistant","content":"fine"}]})";

struct RecordFixture {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  prefline::turns::Trajectory trajectory;
  RecordFixture() {
    object = parser.parse(std::string(record_trajectory)).get_object().value();
    const std::string reason =
        trajectory.map(prefline::turns::Layout{}, "messages", object["messages"].get_array().value(),
                       [](simdjson::dom::element, const prefline::turns::MessageInfo&) {});
    EXPECT_EQ(reason, "");
  }
};

TEST(TurnsTurnRecord, FieldsInTheDocumentedOrder) {
  RecordFixture fixture;
  const std::vector<std::string> keep = {"extra", "missing", "repo"};
  const prefline::turns::TurnRecordWriter writer(keep, "instance_id", "pr");
  prefline::Buffer record;
  const std::string side = R"({"n":1})";
  const auto span = writer.write(record, fixture.object, fixture.object["instance_id"].value(),
                                 prefline::turns::TurnSource{"t.jsonl", 12, 2, std::nullopt}, fixture.trajectory, 3, nullptr, &side);
  const std::string expected =
      R"({"extra":[1,2.5],"repo":"r/x","instance_id":"i-1","source":{"file":"t.jsonl","line":12,"turn":2},)"
      R"("messages":[{"role":"user","content":"go"},{"role":"assistant","content":"ok"},{"role":"user","content":"more"}],)"
      R"("reference":{"role":"assistant","content":"fine"},"pr":{"n":1}})"
      "\n";
  EXPECT_EQ(std::string(record.view()), expected);
  EXPECT_EQ(std::string(record.view().substr(span.begin, span.end - span.begin)),
            R"(,"source":{"file":"t.jsonl","line":12,"turn":2})");
}

TEST(TurnsTurnRecord, TrimmedHistoryAndMissingSideRecord) {
  RecordFixture fixture;
  const std::vector<std::string> none;
  const prefline::turns::TurnRecordWriter writer(none, "instance_id", "pr");
  prefline::turns::Trimmed kept;
  kept.kept = {0, 2};
  prefline::Buffer record;
  writer.write(record, fixture.object, fixture.object["instance_id"].value(),
               prefline::turns::TurnSource{"-", 1, 2, std::nullopt}, fixture.trajectory, 3, &kept, nullptr);
  EXPECT_EQ(std::string(record.view()),
            R"({"instance_id":"i-1","source":{"file":"-","line":1,"turn":2},"messages":[{"role":"user","content":"go"},)"
            R"({"role":"user","content":"more"}],"reference":{"role":"assistant","content":"fine"},"pr":null})"
            "\n");
}

TEST(TurnsTurnRecord, TieHashIgnoresTheSource) {
  RecordFixture fixture;
  const std::vector<std::string> none;
  const prefline::turns::TurnRecordWriter writer(none, "instance_id", "");
  prefline::Buffer one_file, shard;
  const auto a = writer.write(one_file, fixture.object, fixture.object["instance_id"].value(),
                              prefline::turns::TurnSource{"all.jsonl", 1000, 1, std::nullopt}, fixture.trajectory, 1, nullptr, nullptr);
  const auto b = writer.write(shard, fixture.object, fixture.object["instance_id"].value(),
                              prefline::turns::TurnSource{"-", 3, 1, std::nullopt}, fixture.trajectory, 1, nullptr, nullptr);
  EXPECT_NE(std::string(one_file.view()), std::string(shard.view()));
  EXPECT_EQ(prefline::turns::tie_hash(one_file.view(), a), prefline::turns::tie_hash(shard.view(), b));
  const std::string_view bytes = one_file.view();
  const std::string without_source =
      std::string(bytes.substr(0, a.begin));
  EXPECT_EQ(prefline::turns::tie_hash(bytes, a),
            prefline::stable_hash(without_source, prefline::stable_hash(bytes.substr(a.end), 0)));
}

}  // namespace
