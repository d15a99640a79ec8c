#include "prefline/io/output.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

fs::path output_scratch() { return prefline_test::scratch_dir("output-test"); }

std::size_t files_in(const fs::path& dir) { return prefline_test::entries_in(dir); }

using prefline_test::slurp;

TEST(Output, FileAppearsOnlyOnCommit) {
  const fs::path dir = output_scratch();
  const fs::path target = dir / "out.jsonl";
  {
    prefline::Output out;
    out.open(target.string());
    out.buffer().append("{\"a\":1}\n");
    out.flush();
    EXPECT_FALSE(fs::exists(target));
    EXPECT_EQ(files_in(dir), 1u);  // the temp file
    out.buffer().append("{\"a\":2}\n");
    out.commit();
  }
  EXPECT_EQ(slurp(target), "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(files_in(dir), 1u);
  fs::remove_all(dir);
}

TEST(Output, UncommittedFileLeavesNothingAndKeepsTheOldOne) {
  const fs::path dir = output_scratch();
  const fs::path target = dir / "out.jsonl";
  std::ofstream(target) << "old\n";
  {
    prefline::Output out;
    out.open(target.string());
    out.buffer().append("partial");
    out.flush();
  }  // destroyed without commit: an error path
  EXPECT_EQ(slurp(target), "old\n");
  EXPECT_EQ(files_in(dir), 1u);
  fs::remove_all(dir);
}

TEST(Output, WriteErrorsAreReported) {
  prefline::Output out;
  out.open("/dev/full");
  out.buffer().append("x");
  EXPECT_THROW(out.commit(), prefline::WriteError);
}

TEST(Output, DevicesAreWrittenInPlaceNotReplaced) {
  {
    prefline::Output out;
    out.open("/dev/null");
    out.buffer().append("x\n");
    out.commit();
  }
  struct stat status {};
  ASSERT_EQ(::stat("/dev/null", &status), 0);
  EXPECT_TRUE(S_ISCHR(status.st_mode));
}

TEST(Output, DescriptorPathsWriteThroughTheDescriptorInAppendMode) {
  // `tool --summary /dev/stdout >> log` when standard output is a regular
  // file: the bytes go where the descriptor points, after what is there, and
  // nothing in /dev or /proc is replaced.
  const fs::path dir = output_scratch();
  const fs::path log = dir / "log.txt";
  std::ofstream(log) << "before\n";
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  struct stat before {};
  ASSERT_EQ(::stat(log.c_str(), &before), 0);
  for (const std::string& path : {"/dev/fd/" + std::to_string(fd), "/proc/self/fd/" + std::to_string(fd)}) {
    prefline::Output out;
    out.open(path);
    out.buffer().append(path + "\n");
    out.commit();
    struct stat link {};
    ASSERT_EQ(::lstat(path.c_str(), &link), 0);
    EXPECT_TRUE(S_ISLNK(link.st_mode)) << path;
  }
  ::close(fd);
  struct stat after {};
  ASSERT_EQ(::stat(log.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(slurp(log), "before\n/dev/fd/" + std::to_string(fd) + "\n/proc/self/fd/" + std::to_string(fd) + "\n");
  EXPECT_EQ(files_in(dir), 1u);
  fs::remove_all(dir);
}

TEST(Output, SymlinkKeepsTheLinkAndReplacesItsTarget) {
  const fs::path dir = output_scratch();
  fs::create_directories(dir / "data");
  std::ofstream(dir / "data" / "real.jsonl") << "old\n";
  fs::create_symlink("data/real.jsonl", dir / "out.jsonl");
  {
    prefline::Output out;
    out.open((dir / "out.jsonl").string());
    out.buffer().append("new\n");
    out.flush();
    EXPECT_EQ(slurp(dir / "out.jsonl"), "old\n");  // atomic: not yet
    EXPECT_EQ(files_in(dir / "data"), 2u);           // the temp file is beside the target
    out.commit();
  }
  EXPECT_TRUE(fs::is_symlink(dir / "out.jsonl"));
  EXPECT_EQ(slurp(dir / "data" / "real.jsonl"), "new\n");
  EXPECT_EQ(files_in(dir / "data"), 1u);
  fs::remove_all(dir);
}

TEST(Output, WriteKeepsOrderWhetherBufferedOrWrittenThrough) {
  const fs::path dir = output_scratch();
  const fs::path path = dir / "mixed.txt";
  std::string expected;
  {
    prefline::Output out;
    out.open(path.string());
    // Small pieces stay in the buffer; one past the flush threshold is
    // written straight through after them; appends through buffer() mix in.
    const std::string big(prefline::Output::flush_threshold + 17, 'b');
    for (const std::string& piece : {std::string("first\n"), big, std::string("small\n"), big + "\n"}) {
      out.write(piece);
      expected += piece;
      out.buffer().append(std::string_view("|"));
      expected += '|';
    }
    // Pieces by iovec: a few small ones (buffered), then 3000 of them (more
    // than one writev takes) adding up to past the threshold, empty ones too.
    std::vector<std::string> small{"a", "", "bc"};
    std::vector<std::string> many;
    for (int i = 0; i < 3000; ++i) many.push_back(std::string(static_cast<std::size_t>(i % 7 == 0 ? 0 : 400 + i % 13), static_cast<char>('a' + i % 26)));
    for (const auto* pieces : {&small, &many}) {
      std::vector<iovec> vector;
      for (const auto& piece : *pieces) {
        vector.push_back({const_cast<char*>(piece.data()), piece.size()});
        expected += piece;
      }
      out.write(vector.data(), vector.size());
      out.buffer().append(std::string_view("|"));
      expected += '|';
    }
    out.commit();
  }
  EXPECT_EQ(slurp(path), expected);
  fs::remove_all(dir);
}

TEST(Output, UncreatableFileIsADataError) {
  prefline::Output out;
  EXPECT_THROW(out.open("/nonexistent-folder/out.jsonl"), prefline::DataError);
}

}  // namespace
