#include "prefline/io/temp_file.hpp"

#include <gtest/gtest.h>

#include "../support/scratch_files.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

fs::path temp_scratch(const char* name) { return prefline_test::scratch_dir("temp-file-test", name); }

using prefline_test::slurp;

bool registered(const std::string& path) {
  for (int i = 0; i < prefline::detail::max_temp_files; ++i)
    if (prefline::detail::temp_registry.state[i].load() == prefline::detail::temp_ready &&
        path == prefline::detail::temp_registry.paths[i])
      return true;
  return false;
}

TEST(TempFile, CreatedNextToTheTargetAndRenamedOverIt) {
  const fs::path dir = temp_scratch("commit");
  const std::string target = (dir / "out.jsonl").string();
  std::ofstream(target) << "old\n";
  prefline::TempFile temp;
  const int fd = temp.create(target);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(temp.exists());
  EXPECT_EQ(temp.path().substr(0, target.size() + 5), target + ".tmp.");
  EXPECT_EQ(temp.path().size(), target.size() + 11);
  EXPECT_TRUE(registered(temp.path()));
  ASSERT_EQ(::write(fd, "new\n", 4), 4);
  EXPECT_EQ(slurp(target), "old\n");
  const std::string temp_path = temp.path();
  temp.commit(target);
  EXPECT_FALSE(temp.exists());
  EXPECT_FALSE(registered(temp_path));
  EXPECT_EQ(slurp(target), "new\n");
  EXPECT_FALSE(fs::exists(temp_path));
  fs::remove_all(dir);
}

TEST(TempFile, ModeIsThatOfANewFile) {
  const fs::path dir = temp_scratch("mode");
  const mode_t mask = ::umask(022);
  prefline::TempFile temp;
  temp.create((dir / "x").string());
  struct stat status {};
  ASSERT_EQ(::stat(temp.path().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0644u);
  ::umask(mask);
  temp.discard();
  fs::remove_all(dir);
}

TEST(TempFile, DiscardedOrDestroyedItLeavesNothing) {
  const fs::path dir = temp_scratch("discard");
  std::string first, second;
  {
    prefline::TempFile temp;
    temp.create((dir / "a").string());
    first = temp.path();
    temp.discard();
    EXPECT_FALSE(fs::exists(first));
    EXPECT_FALSE(registered(first));
    prefline::TempFile other;
    other.create((dir / "a").string());
    second = other.path();
    EXPECT_NE(first, second);  // a fresh random name
    prefline::TempFile moved(std::move(other));
    EXPECT_FALSE(other.exists());
    EXPECT_EQ(moved.path(), second);
  }
  EXPECT_FALSE(fs::exists(second));
  EXPECT_FALSE(registered(second));
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(TempFile, UncreatableNamesTheTarget) {
  prefline::TempFile temp;
  try {
    temp.create("/nonexistent-folder/out.jsonl", "out.jsonl");
    FAIL() << "no exception";
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "cannot create 'out.jsonl': No such file or directory");
  }
  EXPECT_FALSE(temp.exists());
}

TEST(TempFile, FailedRenameRemovesTheTempFile) {
  const fs::path dir = temp_scratch("rename");
  fs::create_directories(dir / "busy" / "inside");  // a non-empty folder cannot be renamed over
  prefline::TempFile temp;
  temp.create((dir / "busy").string());
  const std::string temp_path = temp.path();
  EXPECT_THROW(temp.commit((dir / "busy").string()), prefline::WriteError);
  EXPECT_FALSE(fs::exists(temp_path));
  EXPECT_FALSE(registered(temp_path));
  fs::remove_all(dir);
}

// In a child process: create, then a signal. The handler removes the file
// (and the folder with its content) and the child dies of the signal.
TEST(TempFile, ASignalRemovesFilesAndFolders) {
  const fs::path dir = temp_scratch("signal");
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      prefline::TempFile file;
      file.create((dir / "out.jsonl").string());
      prefline::TempFolder folder;
      folder.create((dir / "dataset").string());
      std::ofstream(folder.path() + "/README.md") << "card\n";
      ::mkdir((folder.path() + "/data").c_str(), 0777);
      std::ofstream(folder.path() + "/data/train.jsonl") << "{}\n";
      ::raise(signal_number);
      ::_exit(3);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), signal_number);
    EXPECT_TRUE(fs::is_empty(dir)) << signal_number;
  }
  fs::remove_all(dir);
}

// A signal that arrives while the cleanup signals are held back (as inside
// create()) is delivered when they are released, and finds the file registered.
TEST(TempFile, ASignalHeldBackDuringCreateStillRemovesTheFile) {
  const fs::path dir = temp_scratch("pending");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    prefline::TempFile file;
    {
      prefline::detail::CleanupSignalsBlocked blocked;
      ::raise(SIGTERM);  // pending until `blocked` ends
      file.create((dir / "out.jsonl").string());
      if (!fs::exists(file.path())) ::_exit(4);
    }
    ::_exit(3);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(TempFolder, CreatedNextToTheTargetAndRemovedWithItsContent) {
  const fs::path dir = temp_scratch("folder");
  prefline::TempFolder folder;
  folder.create((dir / "dataset").string());
  ASSERT_TRUE(fs::is_directory(folder.path()));
  EXPECT_EQ(folder.path().substr(0, (dir / "dataset.tmp.").string().size()), (dir / "dataset.tmp.").string());
  EXPECT_TRUE(registered(folder.path()));
  fs::create_directories(folder.path() + "/a/b/c/d/e/f");
  std::ofstream(folder.path() + "/a/b/c/d/e/f/deep.txt") << "x";
  folder.discard();
  EXPECT_TRUE(fs::is_empty(dir));
  prefline::TempFolder kept;
  kept.create((dir / "dataset").string());
  const std::string path = kept.path();
  kept.forget();  // renamed by its owner: no longer temporary
  EXPECT_FALSE(registered(path));
  EXPECT_TRUE(fs::is_directory(path));
  fs::remove_all(dir);
}

TEST(TempFileRegistry, RemoveTreeAtRemovesNestedFolders) {
  const fs::path dir = temp_scratch("tree");
  fs::create_directories(dir / "t" / "x" / "y");
  std::ofstream(dir / "t" / "x" / "y" / "z.txt") << "z";
  std::ofstream(dir / "t" / "top.txt") << "t";
  EXPECT_TRUE(prefline::detail::remove_tree_at(AT_FDCWD, (dir / "t").c_str(), 4));
  EXPECT_FALSE(fs::exists(dir / "t"));
  EXPECT_TRUE(prefline::detail::remove_tree_at(AT_FDCWD, (dir / "missing").c_str(), 4));  // gone already
  fs::remove_all(dir);
}

// Threads keep creating, writing and committing temp files (as duel-judge's
// workers store --cache entries) while a signal arrives on another thread: a
// file created after the handler's sweep, before the process dies, must not
// stay behind. Many runs, as the window is narrow.
TEST(TempFile, ASignalWhileOtherThreadsCreateLeavesNoTempFile) {
  const fs::path dir = temp_scratch("threads");
  int left_behind = 0;
  for (int run = 0; run < 60; ++run) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      std::vector<std::thread> workers;
      for (int worker = 0; worker < 4; ++worker)
        workers.emplace_back([&dir, worker] {
          // These threads never take the signal: the main thread does.
          sigset_t blocked;
          sigemptyset(&blocked);
          for (int signal_number : prefline::detail::cleanup_signals) sigaddset(&blocked, signal_number);
          ::pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
          for (long n = 0;; ++n) {
            const std::string target = (dir / ("entry-" + std::to_string(worker) + "-" + std::to_string(n % 8))).string();
            prefline::TempFile file;
            const int fd = file.create(target);
            if (::write(fd, "reply\n", 6) != 6) ::_exit(5);
            file.commit(target);
          }
        });
      if (::write(ready[1], "r", 1) != 1) ::_exit(6);
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
    ::usleep(2000 + 300 * run);
    ::kill(child, SIGTERM);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().filename().string().find(".tmp.") != std::string::npos) {
        ++left_behind;
        ADD_FAILURE() << "run " << run << " left " << entry.path() << " of " << fs::file_size(entry.path()) << " bytes";
      }
  }
  EXPECT_EQ(left_behind, 0);
  fs::remove_all(dir);
}

}  // namespace
