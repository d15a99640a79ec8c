// turns/turn_sink.hpp: records written in input order, or sampled by rank
// and written in order of rank, with the counts of what each sample left out.
#include "prefline/turns/turn_sink.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Offers and puts turns (id, rank) whose record is "<id>:<rank>\n"; returns the output.
std::string sink_output(const prefline::turns::Settings& settings, prefline::turns::Counts& counts,
                        const std::vector<std::pair<std::string, std::uint64_t>>& turns, const std::string& name) {
  const std::string path = testing::TempDir() + "turns-sink-" + name;
  prefline::Output out;
  out.open(path);
  prefline::turns::TurnSink sink(settings, false, out, counts);
  for (const auto& [id, rank] : turns) {
    if (!sink.offer(id, rank)) continue;
    const std::string record = id + ":" + std::to_string(rank) + "\n";
    prefline::turns::TurnMarks marks;
    marks.joined = id == "b" ? -1 : 1;
    sink.put(rank, record, prefline::turns::SourceSpan{0, 0}, marks);
  }
  sink.finish();
  out.flush();
  out.commit();
  return read_whole(path);
}

const std::vector<std::pair<std::string, std::uint64_t>> sink_turns = {
    {"a", 50}, {"b", 10}, {"a", 30}, {"c", 40}, {"b", 20}, {"a", 5}};

TEST(TurnsTurnSink, WithoutSamplingRecordsGoOutInInputOrder) {
  prefline::turns::Settings settings;
  prefline::turns::Counts counts;
  EXPECT_EQ(sink_output(settings, counts, sink_turns, "all"), "a:50\nb:10\na:30\nc:40\nb:20\na:5\n");
  EXPECT_EQ(counts.written, 6u);
  EXPECT_EQ(counts.joined, 4u);
  EXPECT_EQ(counts.join_missing, 2u);
}

TEST(TurnsTurnSink, SampleKeepsTheLowestRanksInOrderOfRank) {
  prefline::turns::Settings settings;
  settings.sample = 3;
  prefline::turns::Counts counts;
  EXPECT_EQ(sink_output(settings, counts, sink_turns, "sample"), "a:5\nb:10\nb:20\n");
  EXPECT_EQ(counts.written, 3u);
  EXPECT_EQ(counts.sample, 3u);
}

TEST(TurnsTurnSink, PerInstanceThenSample) {
  prefline::turns::Settings settings;
  settings.per_instance = 1;
  settings.sample = 2;
  prefline::turns::Counts counts;
  // Each instance's lowest: a 5, b 10, c 40; the sample keeps the two lowest of those.
  EXPECT_EQ(sink_output(settings, counts, sink_turns, "per-instance"), "a:5\nb:10\n");
  EXPECT_EQ(counts.per_instance, 3u);
  EXPECT_EQ(counts.sample, 1u);
  EXPECT_EQ(counts.written, 2u);
}

TEST(TurnsTurnSink, StatsInTheDocumentedOrder) {
  prefline::turns::Counts counts;
  counts.trajectories = 4;
  counts.turns = 9;
  counts.written = 2;
  prefline::Buffer out;
  prefline::turns::write_stats(out, counts);
  EXPECT_EQ(std::string(out.view()),
            R"({"trajectories":4,"excluded":0,"not_included":0,"turns":9,"not_selected":0,"short_history":0,)"
            R"("rate":0,"skip_if":0,"duplicate_history":0,"too_long":0,"per_instance":0,"sample":0,"written":2,)"
            R"("trimmed":0,"joined":0,"join_missing":0})"
            "\n");
}

}  // namespace
