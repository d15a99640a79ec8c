#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/validate.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <string>
#include <vector>

namespace {

struct Seen {
  std::uint64_t number;
  std::string text;
};

std::vector<Seen> lines_of(const std::string& data, std::size_t capacity = prefline::LineBlock::target_bytes) {
  prefline::JsonlReader reader("t.jsonl", data, capacity);
  std::vector<Seen> seen;
  prefline::JsonlLine line;
  while (reader.next(line)) seen.push_back({line.number, std::string(line.text)});
  return seen;
}

TEST(JsonlReader, NumbersPhysicalLinesAndSkipsBlankOnes) {
  const auto seen = lines_of("{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].number, 1u);
  EXPECT_EQ(seen[1].number, 4u);
  EXPECT_EQ(seen[1].text, "{\"b\":2}\r");
  EXPECT_EQ(seen[2].number, 5u);
  EXPECT_EQ(seen[2].text, "{\"c\":3}");
}

TEST(JsonlReader, LinesLongerThanTheBufferGrowIt) {
  std::string data;
  for (int i = 0; i < 50; ++i) data += "{\"k\":\"" + std::string(static_cast<std::size_t>(i * 7), 'x') + "\"}\n";
  const auto seen = lines_of(data, 16);
  ASSERT_EQ(seen.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].number, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].text.size(), static_cast<std::size_t>(i * 7 + 8));
  }
}

TEST(JsonlReader, EmptyInputHasNoLines) {
  EXPECT_TRUE(lines_of("").empty());
  EXPECT_TRUE(lines_of("\n\n\n").empty());
}

TEST(JsonlReader, ParsesInPlaceWithPadding) {
  simdjson::ondemand::parser parser;
  prefline::JsonlReader reader("t.jsonl", std::string_view("{\"score\":4.5,\"name\":\"x\"}\n{\"score\":2}\n"), 8);
  prefline::JsonlLine line;
  std::vector<double> scores;
  while (reader.next(line)) {
    ASSERT_GE(line.capacity, line.text.size() + simdjson::SIMDJSON_PADDING);
    simdjson::ondemand::document document;
    ASSERT_EQ(prefline::start_object(parser, line, document), "");
    scores.push_back(double(document["score"]));
  }
  EXPECT_EQ(scores, (std::vector<double>{4.5, 2}));
}

// A line cut across many tiny blocks and a file read through InputFile give
// the same lines as one big block.
TEST(JsonlReader, SameLinesWhateverTheBlockSize) {
  std::string data;
  for (int i = 0; i < 300; ++i) {
    data += "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<std::size_t>(i % 37), 'p') + "\"}";
    data += i % 7 == 0 ? "\r\n\n" : "\n";
  }
  const auto whole = lines_of(data);
  ASSERT_EQ(whole.size(), 300u);
  for (std::size_t block : {1u, 3u, 64u, 1000u}) {
    const auto pieces = lines_of(data, block);
    ASSERT_EQ(pieces.size(), whole.size()) << block;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].number, whole[i].number);
      EXPECT_EQ(pieces[i].text, whole[i].text);
    }
  }
  const std::string path = ::testing::TempDir() + "jsonl-reader-test.jsonl";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fwrite(data.data(), 1, data.size(), file);
  std::fclose(file);
  prefline::InputFile input(path);
  prefline::JsonlReader reader(input);
  EXPECT_EQ(reader.name(), path);
  prefline::JsonlLine line;
  std::size_t count = 0;
  while (reader.next(line)) {
    ASSERT_LT(count, whole.size());
    EXPECT_EQ(line.number, whole[count].number);
    EXPECT_EQ(std::string(line.text), whole[count].text);
    ++count;
  }
  EXPECT_EQ(count, whole.size());
  std::remove(path.c_str());
}

// A record that arrives on a pipe that stays open is handed over at once
// (`tail -f grades.jsonl | consensus`), not when a block is full.
TEST(JsonlReader, HandsOverALineAsSoonAsItArrives) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "{\"a\":1}\n{\"b\"", 12), 12);
  std::atomic<bool> closed{false};
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    closed = true;
    ::close(fds[1]);
  });
  {
    prefline::InputFile input("/dev/fd/" + std::to_string(fds[0]));
    prefline::JsonlReader reader(input);
    prefline::JsonlLine line;
    ASSERT_TRUE(reader.next(line));
    EXPECT_FALSE(closed.load());
    EXPECT_EQ(line.text, "{\"a\":1}");
    ASSERT_TRUE(reader.next(line));  // the unfinished line ends with the input
    EXPECT_TRUE(closed.load());
    EXPECT_EQ(line.text, "{\"b\"");
    EXPECT_EQ(line.number, 2u);
    EXPECT_FALSE(reader.next(line));
  }
  closer.join();
  ::close(fds[0]);
}

}  // namespace
