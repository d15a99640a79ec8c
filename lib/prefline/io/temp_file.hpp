// Temp files and folders next to a target ("<target>.tmp.XXXXXX", same
// folder, so rename(2) onto the target is atomic), removed by a
// SIGINT/SIGTERM/SIGHUP until they are committed or discarded. The handlers
// are armed and the name registered before the file exists, with the signals
// blocked meanwhile: a signal at any moment leaves nothing behind, even when
// other threads are creating temp files while the handler sweeps.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"

namespace prefline {

namespace detail {
// Paths that a signal must remove. Fixed-size storage: the handler may only
// call async-signal-safe functions (unlink, getdents64, signal, raise).
// Threads may register concurrently (duel-judge stores cache entries from its
// workers): a slot is claimed (free -> claimed), filled, then published
// (-> ready); the handler removes only ready ones.
inline constexpr int max_temp_files = 128;
inline constexpr int max_temp_path = 4096;
enum TempSlot : int { temp_free = 0, temp_claimed = 1, temp_ready = 2 };
enum class TempKind : int { file = 0, folder = 1 };
struct TempRegistry {
  char paths[max_temp_files][max_temp_path];
  std::atomic<int> kind[max_temp_files];
  std::atomic<int> state[max_temp_files];
};
inline TempRegistry temp_registry{};

// Removes `name` (in the folder `parent`) and, up to `depth` levels down,
// everything in it, with async-signal-safe calls only (no opendir, no
// allocation). Returns true when `name` is gone.
inline bool remove_tree_at(int parent, const char* name, int depth) noexcept {
  if (::unlinkat(parent, name, 0) == 0) return true;
  if (errno != EISDIR && errno != EPERM) return errno == ENOENT;
  const int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char entries[4096];
    // Removing entries while reading the folder may skip some: read it
    // again from the start until a pass removes nothing.
    for (bool removed = true; removed;) {
      removed = false;
      ::lseek(fd, 0, SEEK_SET);
      for (;;) {
        const ssize_t size = ::getdents64(fd, entries, sizeof entries);
        if (size <= 0) break;
        for (ssize_t offset = 0; offset < size;) {
          const auto* entry = reinterpret_cast<const struct dirent64*>(entries + offset);
          offset += entry->d_reclen;
          const char* entry_name = entry->d_name;
          if (entry_name[0] == '.' && (entry_name[1] == 0 || (entry_name[1] == '.' && entry_name[2] == 0))) continue;
          if (depth > 0 ? remove_tree_at(fd, entry_name, depth - 1) : ::unlinkat(fd, entry_name, 0) == 0)
            removed = true;
        }
      }
    }
    ::close(fd);
  }
  return ::unlinkat(parent, name, AT_REMOVEDIR) == 0;
}

// A temp folder is removed with what is in it, down to this many levels.
inline constexpr int temp_folder_depth = 4;

// Set by the handler before it sweeps the registry. Threads that create temp
// files hold their cleanup signals blocked meanwhile, so the handler runs on
// another thread, and a file created there may come into being after the
// sweep passed its slot, or the process may die right after the creating
// system call returned, before the name is looked at again. So the handler
// first raises this flag, then waits for every creation under way (counted in
// temp_creations) to finish: a creation that began before the flag is
// registered by then and swept; one that sees the flag removes its own file,
// or creates nothing, and waits for the end.
inline std::atomic<int> temp_sweep_started{0};
inline std::atomic<int> temp_creations{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler uses them");

// How long the handler waits for creations under way (a creation stuck on a
// dead network disk must not keep the process alive): 2 s in 100 µs steps.
inline constexpr int creation_wait_steps = 20000;

// When a signal's cleanup has started: removes `path` (a file or a folder
// created by this thread, if not null), ends this creation, and never returns;
// the handler's thread ends the process. Otherwise returns at once.
inline void wait_for_the_signal_if_dying(const char* path, TempKind kind, bool creating) noexcept {
  if (temp_sweep_started.load() == 0) return;
  if (path != nullptr) {
    if (kind == TempKind::folder)
      remove_tree_at(AT_FDCWD, path, temp_folder_depth);
    else
      ::unlink(path);
  }
  if (creating) temp_creations.fetch_sub(1);
  for (;;) ::pause();
}

extern "C" inline void remove_temps_and_reraise(int signal_number) {
  temp_sweep_started.store(1);
  for (int step = 0; step < creation_wait_steps && temp_creations.load() > 0; ++step) {
    const timespec pause_for{0, 100000};
    ::nanosleep(&pause_for, nullptr);
  }
  for (int i = 0; i < max_temp_files; ++i) {
    if (temp_registry.state[i].load() != temp_ready) continue;
    if (temp_registry.kind[i].load() == static_cast<int>(TempKind::folder))
      remove_tree_at(AT_FDCWD, temp_registry.paths[i], temp_folder_depth);
    else
      ::unlink(temp_registry.paths[i]);
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

inline constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Arms the handlers once per process (thread-safe: a function-local static).
inline void install_signal_cleanup() {
  static const bool installed = [] {
    for (int signal_number : cleanup_signals) {
      struct sigaction action {};
      action.sa_handler = remove_temps_and_reraise;
      sigemptyset(&action.sa_mask);
      // One handler run at a time removes everything: the others wait.
      for (int other : cleanup_signals) sigaddset(&action.sa_mask, other);
      ::sigaction(signal_number, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

// Holds SIGINT/SIGTERM/SIGHUP back from the calling thread while it lives; a
// signal that arrives meanwhile is delivered when it ends (and then finds
// the new path registered).
class CleanupSignalsBlocked {
 public:
  CleanupSignalsBlocked() {
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int signal_number : cleanup_signals) sigaddset(&blocked, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &blocked, &previous_);
  }
  CleanupSignalsBlocked(const CleanupSignalsBlocked&) = delete;
  CleanupSignalsBlocked& operator=(const CleanupSignalsBlocked&) = delete;
  ~CleanupSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

 private:
  sigset_t previous_;
};

// The slot of `path`, or -1 when the path is too long or every slot is taken
// (the path is then not removed by a signal). Arms the handlers first.
inline int register_temp(const std::string& path, TempKind kind = TempKind::file) {
  install_signal_cleanup();
  if (path.size() >= max_temp_path) return -1;
  for (int i = 0; i < max_temp_files; ++i) {
    int expected = temp_free;
    if (!temp_registry.state[i].compare_exchange_strong(expected, temp_claimed)) continue;
    std::memcpy(temp_registry.paths[i], path.c_str(), path.size() + 1);
    temp_registry.kind[i].store(static_cast<int>(kind));
    temp_registry.state[i].store(temp_ready);
    return i;
  }
  return -1;
}

inline void unregister_temp(int slot) {
  if (slot >= 0) temp_registry.state[slot].store(temp_free);
}

// Six random name characters, as mkstemp(3) uses: 62^6 names, so a clash
// with another writer's temp file is retried, never expected.
inline void random_suffix(char* out) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    static std::atomic<std::uint64_t> counter{0};
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    bits = (static_cast<std::uint64_t>(now.tv_nsec) ^ (static_cast<std::uint64_t>(::getpid()) << 32)) +
           0x9e3779b97f4a7c15ULL * ++counter;
  }
  for (int i = 0; i < 6; ++i) {
    out[i] = alphabet[bits % 62];
    bits /= 62;
  }
}

// Creates "<target>.tmp.XXXXXX" with `make` (returns 0 or an errno value,
// EEXIST meaning "try another name"), the name registered for removal before
// it exists. Returns the errno of the last attempt (0 on success).
template <class Make>
int create_registered(const std::string& target, TempKind kind, std::string& path, int& slot, Make&& make) {
  CleanupSignalsBlocked blocked;
  install_signal_cleanup();
  path = target + ".tmp.XXXXXX";  // may throw: before the creation is counted
  char* suffix = path.data() + path.size() - 6;
  temp_creations.fetch_add(1);
  wait_for_the_signal_if_dying(nullptr, kind, true);
  int error = EEXIST;
  // As many attempts as glibc's mkstemp makes before it gives up.
  for (int attempt = 0; attempt < 62 * 62 * 62 && error == EEXIST; ++attempt) {
    random_suffix(suffix);
    slot = register_temp(path, kind);
    error = make(path.c_str());
    if (error != 0) {
      unregister_temp(slot);
      slot = -1;
    }
  }
  // Registered before the flag is read, and counted until then: either the
  // handler's sweep comes after and finds this path, or this sees the flag.
  wait_for_the_signal_if_dying(error == 0 ? path.c_str() : nullptr, kind, true);
  temp_creations.fetch_sub(1);
  if (error != 0) path.clear();
  return error;
}
}  // namespace detail

// A temp file next to a target. The descriptor is the caller's to write and
// to close (before commit(); discard() closes it when still open).
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile(TempFile&& other) noexcept { take(other); }
  TempFile& operator=(TempFile&& other) noexcept {
    if (this != &other) {
      discard();
      take(other);
    }
    return *this;
  }
  ~TempFile() { discard(); }

  // Creates the file (mode 0666 less the umask, as for any new file) and
  // returns its descriptor. Throws DataError "cannot create 'SHOWN': reason"
  // (SHOWN defaults to the target).
  int create(const std::string& target, std::string_view shown = {}) {
    discard();
    const int error = detail::create_registered(target, detail::TempKind::file, path_, slot_, [&](const char* name) {
      fd_ = ::open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      return fd_ < 0 ? errno : 0;
    });
    if (error != 0)
      throw DataError(fmt::format("cannot create '{}': {}", shown.empty() ? std::string_view(target) : shown,
                                  std::strerror(error)));
    return fd_;
  }

  // Created, and neither committed nor discarded.
  bool exists() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

  // The caller closed the descriptor (and checked the result).
  void closed() { fd_ = -1; }

  // Renames the file over `target`; only then does the target change. On
  // failure the temp file is removed and WriteError names SHOWN (default: the target).
  void commit(const std::string& target, std::string_view shown = {}) {
    if (path_.empty()) return;
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      const int error = errno;
      // The file was removed by a signal's cleanup: no error to report, the process is ending.
      detail::wait_for_the_signal_if_dying(nullptr, detail::TempKind::file, false);
      discard();
      throw WriteError(fmt::format("cannot rename to '{}': {}", shown.empty() ? std::string_view(target) : shown,
                                   std::strerror(error)));
    }
    forget();
  }

  // Closes and removes the file (error path); nothing happens once committed.
  void discard() noexcept {
    if (path_.empty()) return;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
    forget();
  }

 private:
  void forget() noexcept {
    detail::unregister_temp(slot_);
    slot_ = -1;
    path_.clear();
  }
  void take(TempFile& other) noexcept {
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    slot_ = std::exchange(other.slot_, -1);
    other.path_.clear();
  }

  std::string path_;
  int fd_ = -1;
  int slot_ = -1;
};

// A temp folder next to a target, removed with its content by a signal or by
// discard(), until it is forgotten (after the caller renamed it into place).
class TempFolder {
 public:
  TempFolder() = default;
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder() { discard(); }

  // Creates the folder (mode 0777 less the umask). Throws DataError.
  void create(const std::string& target) {
    discard();
    if (target.size() + 11 >= static_cast<std::size_t>(detail::max_temp_path))
      throw DataError(fmt::format("folder name too long: '{}'", target));
    const int error = detail::create_registered(target, detail::TempKind::folder, path_, slot_, [](const char* name) {
      return ::mkdir(name, 0777) == 0 ? 0 : errno;
    });
    if (error != 0)
      throw DataError(fmt::format("cannot create a folder next to '{}': {}", target, std::strerror(error)));
  }

  bool exists() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

  // The folder is no longer temporary (it was renamed): a signal leaves it.
  void forget() noexcept {
    detail::unregister_temp(slot_);
    slot_ = -1;
    path_.clear();
  }

  // Removes the folder and everything in it.
  void discard() noexcept {
    if (path_.empty()) return;
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    forget();
  }

 private:
  std::string path_;
  int slot_ = -1;
};

}  // namespace prefline
