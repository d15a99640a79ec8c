// LineBlockReader: blocks of whole lines straight from an input. Every line
// of the input comes out once, whole, in order and numbered, whatever the
// read sizes (a pipe fed in small pieces, a file, lines longer than a block).
#include "prefline/io/line_blocks.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The lines of `data` the plain way: split at '\n'; a last line without '\n' counts.
std::vector<std::string> naive_lines(const std::string& data) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < data.size()) {
    std::size_t end = data.find('\n', begin);
    if (end == std::string::npos) end = data.size();
    lines.push_back(data.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

struct Read {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> block_lines;  // lines per block
  std::vector<std::size_t> block_sizes;
  bool every_block_but_last_ends_a_line = true;
};

Read read_blocks(prefline::InputFile& input) {
  Read read;
  prefline::LineBlockReader reader(input);
  prefline::LineBlock block;
  while (reader.fill(block)) {
    if (!read.block_sizes.empty() && !read.every_block_but_last_ends_a_line) ADD_FAILURE() << "a block after one without '\\n'";
    read.every_block_but_last_ends_a_line = block.size > 0 && block.data[block.size - 1] == '\n';
    std::uint64_t expected_number = 0;
    const std::uint64_t count = block.for_each_line([&](const prefline::JsonlLine& line) {
      EXPECT_EQ(line.number, ++expected_number);
      EXPECT_GE(line.capacity, line.text.size() + simdjson::SIMDJSON_PADDING);
      read.lines.emplace_back(line.text);
    });
    read.block_lines.push_back(count);
    read.block_sizes.push_back(block.size);
  }
  return read;
}

std::string sample_input(std::mt19937_64& random, std::size_t lines, std::size_t long_every) {
  std::string data;
  for (std::size_t i = 0; i < lines; ++i) {
    std::size_t length = random() % 300;
    if (long_every != 0 && i % long_every == long_every - 1) length = prefline::LineBlock::target_bytes * 3 + random() % 1000;
    for (std::size_t k = 0; k < length; ++k) data.push_back(static_cast<char>('a' + random() % 26));
    if (random() % 10 == 0) data += "\r";
    data.push_back('\n');
    if (random() % 20 == 0) data.push_back('\n');  // a blank line
  }
  return data;
}

TEST(LineBlockReader, FileGivesEveryLineOnceInWholeLineBlocks) {
  std::mt19937_64 random(7);
  const fs::path path = fs::temp_directory_path() / ("prefline-line-block-" + std::to_string(::getpid()));
  for (bool trailing_newline : {true, false}) {
    std::string data = sample_input(random, 20000, 5000);
    if (!trailing_newline) data += "last line without newline";
    std::ofstream(path, std::ios::binary) << data;
    prefline::InputFile input(path.string());
    const Read read = read_blocks(input);
    EXPECT_EQ(read.lines, naive_lines(data));
    ASSERT_GE(read.block_sizes.size(), 4u);
    std::size_t total = 0;
    for (std::size_t size : read.block_sizes) total += size;
    EXPECT_EQ(total, data.size());
    EXPECT_EQ(read.every_block_but_last_ends_a_line, trailing_newline);
  }
  fs::remove(path);
}

TEST(LineBlockReader, PipeFedInSmallPiecesGivesTheSameLines) {
  std::mt19937_64 random(11);
  const std::string data = sample_input(random, 30000, 0) + "tail";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::mt19937_64 sizes(3);
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t n = std::min<std::size_t>(1 + sizes() % 5000, data.size() - at);
      ASSERT_EQ(::write(fds[1], data.data() + at, n), static_cast<ssize_t>(n));
      at += n;
    }
    ::close(fds[1]);
  });
  const std::string name = "/dev/fd/" + std::to_string(fds[0]);
  {
    prefline::InputFile input(name);
    const Read read = read_blocks(input);
    EXPECT_EQ(read.lines, naive_lines(data));
  }
  writer.join();
  ::close(fds[0]);
}

TEST(LineBlockReader, EmptyAndBlankInputs) {
  const fs::path path = fs::temp_directory_path() / ("prefline-line-block-empty-" + std::to_string(::getpid()));
  for (const std::string& data : {std::string(), std::string("\n"), std::string("\n\n \n"), std::string("x")}) {
    std::ofstream(path, std::ios::binary) << data;
    prefline::InputFile input(path.string());
    const Read read = read_blocks(input);
    EXPECT_EQ(read.lines, naive_lines(data)) << '"' << data << '"';
    EXPECT_EQ(read.block_sizes.size(), data.empty() ? 0u : 1u);
  }
  fs::remove(path);
}

// The memory source with blocks far smaller than the lines: every block but
// the last ends a line, long lines grow their block, numbering restarts per block.
TEST(LineBlockReader, MemorySourceWithTinyBlocksCarriesUnfinishedLines) {
  const std::string data = "{\"a\":1}\n\n" + std::string(100, 'x') + "\nlast";
  prefline::LineBlockReader reader(std::string_view(data), 8);
  prefline::LineBlock block;
  std::vector<std::string> lines;
  std::vector<std::size_t> sizes;
  while (reader.fill(block)) {
    sizes.push_back(block.size);
    block.for_each_line([&](const prefline::JsonlLine& line) {
      EXPECT_GE(line.capacity, line.text.size() + simdjson::SIMDJSON_PADDING);
      lines.emplace_back(line.text);
    });
  }
  EXPECT_EQ(lines, naive_lines(data));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{8, 1, 101, 4}));
}

// as_read: a block is handed over after the first read that completes a
// line, however small (the serial reader's mode).
TEST(LineBlockReader, AsReadHandsOverAfterEachReadWithALineEnd) {
  const std::string data = "ab\ncd\nefghij\nk";
  prefline::LineBlockReader reader(std::string_view(data), 4, prefline::LineBlockReader::Handover::as_read);
  prefline::LineBlock block;
  std::vector<std::string> blocks;
  while (reader.fill(block)) blocks.emplace_back(block.data.get(), block.size);
  EXPECT_EQ(blocks, (std::vector<std::string>{"ab\n", "cd\n", "efghij\n", "k"}));
}

// line_at: the cursor JsonlReader walks a block with.
TEST(LineBlock, LineAtCutsAtLineEndsAndAtTheEnd) {
  prefline::LineBlockReader reader(std::string_view("ab\n\ncd"));
  prefline::LineBlock block;
  ASSERT_TRUE(reader.fill(block));
  EXPECT_EQ(block.size, 4u);  // cut after the last '\n': "cd" is carried
  std::size_t begin = 0;
  EXPECT_EQ(block.line_at(begin, 1).text, "ab");
  EXPECT_EQ(begin, 3u);
  EXPECT_EQ(block.line_at(begin, 2).text, "");
  EXPECT_EQ(begin, 4u);
  ASSERT_TRUE(reader.fill(block));
  begin = 0;
  const prefline::JsonlLine last = block.line_at(begin, 3);
  EXPECT_EQ(last.text, "cd");
  EXPECT_EQ(last.number, 3u);
  EXPECT_EQ(last.capacity, block.capacity + simdjson::SIMDJSON_PADDING);
  EXPECT_EQ(begin, block.size + 1);
  EXPECT_FALSE(reader.fill(block));
}

}  // namespace

namespace {

std::vector<std::string> block_lines_of(std::string_view data, std::size_t target) {
  prefline::LineBlockReader reader(data, target);
  prefline::LineBlock block;
  std::vector<std::string> lines;
  while (reader.fill(block)) block.for_each_line([&](const prefline::JsonlLine& line) { lines.emplace_back(line.text); });
  return lines;
}

TEST(LineBlockReader, DropsAByteOrderMarkAtTheStartOnly) {
  const std::string bom = "\xEF\xBB\xBF";
  for (std::size_t target : {1, 2, 8, 4096}) {
    EXPECT_EQ(block_lines_of(bom + "{\"a\":1}\n" + bom + "{}\n", target),
              (std::vector<std::string>{"{\"a\":1}", bom + "{}"}))
        << target;
    EXPECT_EQ(block_lines_of(bom, target), std::vector<std::string>{}) << target;
    EXPECT_EQ(block_lines_of("\xEF\xBB", target), std::vector<std::string>{"\xEF\xBB"}) << target;
  }
}

}  // namespace
