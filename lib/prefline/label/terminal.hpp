// label --tty: the same items, keys, journal and files as the page, at a
// terminal (an SSH session without a browser). Text answers are paged; an
// HTML answer is shown as its source, and its index.html is served as the
// page serves it (another port, sandboxed) to open in a browser when there
// is one. Every grade is journaled and synced before the screen says saved.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/label/server.hpp"
#include "prefline/label/session.hpp"
#include "prefline/label/settings.hpp"
#include "prefline/label/terminal_input.hpp"
#include "prefline/label/terminal_screen.hpp"

extern char** environ;

namespace prefline::label {

inline bool stdio_is_terminal() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1; }

namespace detail {

inline struct termios saved_termios {};
inline volatile std::sig_atomic_t terminal_resized = 0;
inline constexpr std::string_view leave_screen = "\x1b[0m\x1b[?25h\x1b[?1049l";

inline void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t wrote = ::write(fd, text.data(), text.size());
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return;
    }
    text.remove_prefix(static_cast<std::size_t>(wrote));
  }
}

// SIGTERM, SIGHUP: the terminal is given back as it was, then the signal
// does what it would have done (nothing is unsaved: every grade is synced).
inline void leave_on_signal(int signal) {
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
  [[maybe_unused]] const ssize_t ignored = ::write(STDOUT_FILENO, leave_screen.data(), leave_screen.size());
  std::signal(signal, SIG_DFL);
  ::raise(signal);
}

inline void note_resize(int) { terminal_resized = 1; }

}  // namespace detail

// The terminal in raw mode on the alternate screen for as long as it lives.
class RawTerminal {
 public:
  RawTerminal() {
    if (::tcgetattr(STDIN_FILENO, &detail::saved_termios) != 0)
      throw DataError(fmt::format("--tty: cannot read the terminal's settings: {}", std::strerror(errno)));
    struct termios raw = detail::saved_termios;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG | IEXTEN));
    raw.c_iflag &= static_cast<tcflag_t>(~(IXON | ICRNL | BRKINT | INPCK | ISTRIP));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0)
      throw DataError(fmt::format("--tty: cannot set the terminal to raw mode: {}", std::strerror(errno)));
    struct sigaction action {};
    action.sa_handler = detail::leave_on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGHUP, &action, nullptr);
    action.sa_handler = detail::note_resize;  // no SA_RESTART: the read returns and the screen is redrawn
    ::sigaction(SIGWINCH, &action, nullptr);
    detail::write_all(STDOUT_FILENO, "\x1b[?1049h\x1b[?25l");
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  ~RawTerminal() {
    detail::write_all(STDOUT_FILENO, detail::leave_screen);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &detail::saved_termios);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    std::signal(SIGWINCH, SIG_DFL);
  }

  // Rows and columns, at least 8 x 30 (smaller screens are drawn cut).
  static std::pair<std::size_t, std::size_t> size() {
    struct winsize window {};
    std::size_t rows = 24, columns = 80;
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &window) == 0 && window.ws_row > 0 && window.ws_col > 0) {
      rows = window.ws_row;
      columns = window.ws_col;
    }
    return {std::max<std::size_t>(rows, 8), std::max<std::size_t>(columns, 30)};
  }

  // The keys typed next: blocks for the first byte; an escape sequence cut
  // by the read is completed by a short wait. Empty when the screen was
  // resized; nullopt at the end of input (the terminal closed).
  static std::optional<std::vector<TermKey>> read_keys() {
    char buffer[256];
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) return std::vector<TermKey>{};
    if (got <= 0) return std::nullopt;
    std::string bytes(buffer, static_cast<std::size_t>(got));
    // ESC alone is the Escape key; ESC followed within 40 ms is a sequence.
    for (int more = 0; more < 4 && !bytes.empty() && (bytes.back() == '\x1b' || unfinished_sequence(bytes)); ++more) {
      struct pollfd wait {STDIN_FILENO, POLLIN, 0};
      if (::poll(&wait, 1, 40) <= 0) break;
      const ssize_t extra = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (extra <= 0) break;
      bytes.append(buffer, static_cast<std::size_t>(extra));
    }
    return decode_keys(bytes);
  }

 private:
  static bool unfinished_sequence(std::string_view bytes) {
    const std::size_t escape = bytes.rfind('\x1b');
    if (escape == std::string_view::npos || escape + 1 >= bytes.size()) return false;
    if (bytes[escape + 1] != '[' && bytes[escape + 1] != 'O') return false;
    for (std::size_t at = escape + 2; at < bytes.size(); ++at)
      if (bytes[at] >= 0x40 && bytes[at] <= 0x7e) return false;
    return true;
  }
};

// One grader working through the items at the terminal.
class TerminalSession {
 public:
  TerminalSession(const Settings& settings, Labeler& labeler, AnswerFiles& files)
      : settings_(settings), labeler_(labeler), grader_(labeler.grader(settings.grader)), files_(files) {
    position_ = first_unfinished();
    refresh_agreement();
  }

  // Runs until q, Ctrl+C, Ctrl+D or the terminal closes.
  void run() {
    RawTerminal terminal;
    draw();
    for (;;) {
      const auto keys = RawTerminal::read_keys();
      if (!keys) break;
      bool quit = false;
      for (const TermKey& key : *keys)
        if (!handle(key)) {
          quit = true;
          break;
        }
      if (quit) break;
      draw();
    }
    if (editing_notes_) save_notes();
  }

  // What the grader did, for the line printed after the screen is left.
  std::string summary() const {
    if (settings_.compare)
      return fmt::format("label: {} votes by {} in '{}'", grader_.votes.size(), grader_.name, grader_.files.votes);
    return fmt::format("label: {} of {} items graded by {} in '{}'", grader_.sheet->rows().size(),
                       labeler_.items().size(), grader_.name, grader_.files.csv);
  }

  // The screen as lines of text (no escapes but bold and reverse video),
  // `rows` x `columns`.
  std::vector<std::string> screen(std::size_t rows, std::size_t columns) {
    std::vector<std::string> lines;
    const Item& item = current();
    lines.push_back(reverse(fit(header(item), columns), columns));
    const std::size_t body_rows = rows - 4;
    if (show_keys_) {
      for (const auto& line : key_map_lines()) lines.push_back(fit(line, columns));
    } else {
      const auto& document = document_lines(columns);
      scroll_ = std::min(scroll_, document.size() > body_rows ? document.size() - body_rows : 0);
      for (std::size_t row = 0; row < body_rows && scroll_ + row < document.size(); ++row)
        lines.push_back(fit_styled(document[scroll_ + row], columns));
      const std::size_t last = std::min(document.size(), scroll_ + body_rows);
      while (lines.size() < 1 + body_rows) lines.emplace_back();
      lines.push_back(fit(fmt::format("── lines {}-{} of {}{} ", document.empty() ? 0 : scroll_ + 1, last,
                                      document.size(), document.size() > body_rows ? " (PgUp/PgDn)" : ""),
                          columns));
    }
    while (lines.size() < rows - 2) lines.emplace_back();
    lines.push_back(fit_styled(panel(), columns));
    lines.push_back(editing_notes_ ? notes_line(columns) : fit(message_.empty() ? hint() : message_, columns));
    return lines;
  }

 private:
  const Item& current() const { return labeler_.items().items()[grader_.order[position_]]; }
  std::size_t index() const { return grader_.order[position_]; }

  std::size_t first_unfinished() const {
    for (std::size_t position = 0; position < grader_.order.size(); ++position) {
      const Item& item = labeler_.items().items()[grader_.order[position]];
      if (settings_.compare) {
        for (std::size_t c = 0; c < settings_.criteria.size(); ++c)
          if (!grader_.vote_choices.contains({grader_.order[position], c})) return position;
      } else if (grader_.sheet->find(item.key_text[0], item.key_text[1]) == nullptr) {
        return position;
      }
    }
    return 0;
  }

  void refresh_agreement() {
    if (settings_.compare) return;
    const AgreementNow now = labeler_.agreement(grader_);
    disputed_ = now.disputed;
    agreement_.clear();
    if (now.graders < 2) return;
    for (std::size_t s = 0; s < now.alpha.size() && s < settings_.scales.size(); ++s)
      agreement_ += fmt::format("{}α {} {}", agreement_.empty() ? "" : " · ", settings_.scales[s].name,
                                std::isnan(now.alpha[s]) ? std::string("–") : fmt::format("{:.2f}", now.alpha[s]));
    agreement_ += fmt::format(" · {} disputed (r)", disputed_.size());
  }

  std::string header(const Item& item) const {
    const std::string title = settings_.show_models ? ItemList::describe_key(item) : item.key_text.front();
    std::string progress;
    if (settings_.compare) {
      progress = fmt::format("{} votes", grader_.votes.size());
    } else {
      for (std::size_t s = 0; s < settings_.scales.size(); ++s) {
        std::size_t graded = 0;
        for (const auto& row : grader_.sheet->rows()) graded += row.scores[s] ? 1 : 0;
        progress += fmt::format("{}{} {}/{}", progress.empty() ? "" : " · ", settings_.scales[s].name, graded,
                                labeler_.items().size());
      }
      if (!agreement_.empty()) progress += " · " + agreement_;
    }
    return fmt::format(" label · {} · {}/{} · {} · {}", grader_.name, position_ + 1, labeler_.items().size(),
                       inert_line(title), progress);
  }

  // The item's text as screen lines; headings start with '\x01' (bold).
  const std::vector<std::string>& document_lines(std::size_t columns) {
    if (document_item_ == index() && document_columns_ == columns) return document_;
    document_.clear();
    const Item& item = current();
    const auto add = [&](std::string_view text) {
      for (auto& line : wrap_text(text, columns)) document_.push_back(std::move(line));
    };
    const auto heading = [&](const std::string& text) { document_.push_back('\x01' + inert_line(text)); };
    heading("Prompt");
    add(item.prompt.empty() ? "(no prompt)" : item.prompt);
    document_.emplace_back();
    if (settings_.compare) {
      const bool b_first = b_shown_first(grader_.name, item.key);
      heading(fmt::format("Left ({})", keys_of("left")));
      add(b_first ? item.response_b : item.response);
      document_.emplace_back();
      heading(fmt::format("Right ({})", keys_of("right")));
      add(b_first ? item.response : item.response_b);
    } else {
      heading("Answer");
      if (item.files.empty()) {
        add(item.response);
      } else {
        if (is_html_answer(item)) {
          add(fmt::format("index.html runs in a browser at {} (o opens it with xdg-open; over SSH, forward the "
                          "port first: ssh -L {}:127.0.0.1:{} HOST). Its source follows.",
                          files_.index_url(index()), files_.port(), files_.port()));
          document_.emplace_back();
        }
        for (const auto& [name, content] : item.files) {
          heading(fmt::format("── {} ──", name));
          add(content);
        }
      }
    }
    document_item_ = index();
    document_columns_ = columns;
    return document_;
  }

  std::string keys_of(std::string_view action) const {
    for (const auto& [name, codes] : settings_.keys)
      if (name == action) {
        std::string text;
        for (const auto& code : codes) text += (text.empty() ? "" : "/") + key_label(code);
        return text;
      }
    return {};
  }

  static std::string key_label(std::string_view code) {
    if (code.starts_with("Key") && code.size() == 4) return std::string(1, static_cast<char>(code[3] - 'A' + 'a'));
    if (code.starts_with("Digit")) return std::string(code.substr(5));
    if (code == "Space") return "space";
    if (code == "ArrowLeft") return "←";
    if (code == "ArrowRight") return "→";
    if (code == "ArrowUp") return "↑";
    if (code == "ArrowDown") return "↓";
    return std::string(code);
  }

  std::vector<std::string> key_map_lines() const {
    std::vector<std::pair<std::string, std::string>> rows;
    if (!settings_.compare) {
      rows.emplace_back("1 … 5", "score on the first scale (" + settings_.scales[0].name + ")");
      if (settings_.scales.size() > 1)
        rows.emplace_back("Shift+1 … 5 (! @ # $ %) or Alt+1 … 5", "score on the second scale (" + settings_.scales[1].name + ")");
      rows.emplace_back("0", "auto-fail (0 on every scale)");
    }
    static constexpr std::pair<std::string_view, std::string_view> what[] = {
        {"back", "back"}, {"next", "next"}, {"clear", "clear the first scale's score"},
        {"notes", "notes (Enter or Escape saves them)"}, {"disputed", "the next disputed item"},
        {"left", "left is better"}, {"equal", "equal"}, {"right", "right is better"},
        {"up", "select the criterion above"}, {"down", "select the criterion below"}};
    for (const auto& [action, codes] : settings_.keys)
      for (const auto& [name, text] : what)
        if (name == action) rows.emplace_back(keys_of(action), std::string(text));
    rows.emplace_back("PgUp / PgDn / Home / End", "scroll the text" + std::string(settings_.compare ? "" : " (also ↑/↓)"));
    if (html_page_available()) rows.emplace_back("o", "open the HTML answer with xdg-open");
    rows.emplace_back("?", "this map (any key closes it)");
    rows.emplace_back("q, Ctrl+C", "quit (everything is saved already)");
    std::vector<std::string> lines{"\x01Keys"};
    for (const auto& [keys, text] : rows) lines.push_back(fmt::format("  {:<38} {}", keys, text));
    return lines;
  }

  bool html_page_available() const { return !settings_.compare && is_html_answer(current()); }

  std::string panel() const {
    std::string text;
    if (settings_.compare) {
      for (std::size_t c = 0; c < settings_.criteria.size(); ++c) {
        const auto found = grader_.vote_choices.find({index(), c});
        const std::string entry =
            fmt::format("{}: {}", settings_.criteria[c], found == grader_.vote_choices.end() ? "–" : found->second);
        text += (c == 0 ? "" : "  ") + (c == criterion_ ? "\x02" + entry + "\x03" : entry);
      }
      return text;
    }
    const Item& item = current();
    const GradeRow* row = grader_.sheet->find(item.key_text[0], item.key_text[1]);
    for (std::size_t s = 0; s < settings_.scales.size(); ++s)
      text += fmt::format("{}{}: {}", s == 0 ? "" : "   ", settings_.scales[s].name,
                          row != nullptr && row->scores[s] ? std::to_string(*row->scores[s]) : "–");
    if (row != nullptr && row->auto_fail) text += "   \x02" "auto-fail" "\x03";
    text += "   notes: " + (row == nullptr || row->notes.empty() ? std::string("–") : inert_line(row->notes));
    return text;
  }

  std::string hint() const {
    if (settings_.compare)
      return fmt::format("{} left · {} equal · {} right · {}/{} criterion · {}/{} item · ? keys · q quit", keys_of("left"),
                         keys_of("equal"), keys_of("right"), keys_of("up"), keys_of("down"), keys_of("back"),
                         keys_of("next"));
    return fmt::format("1-5 {}{} · 0 auto-fail · {}/{} item · {} notes · ? keys · q quit", settings_.scales[0].name,
                       settings_.scales.size() > 1 ? " · Shift+1-5 " + settings_.scales[1].name : std::string(),
                       keys_of("back"), keys_of("next"), keys_of("notes"));
  }

  std::string notes_line(std::size_t columns) const {
    const std::string prefix = "notes (Enter saves): ";
    std::string draft = inert_line(notes_draft_);
    const std::size_t room = columns > prefix.size() + 2 ? columns - prefix.size() - 2 : 1;
    while (columns_of(draft) > room) {  // the end of a long note, where the typing is
      std::size_t length = 0;
      detail::code_point_at(draft, 0, length);
      draft.erase(0, length);
    }
    return prefix + draft + "▏";
  }

  static std::string fit(std::string_view line, std::size_t columns) { return std::string(fit_columns(line, columns)); }

  // \x01 at the start: bold line; \x02 ... \x03: reverse video.
  static std::string fit_styled(std::string_view line, std::size_t columns) {
    const bool bold = !line.empty() && line.front() == '\x01';
    if (bold) line.remove_prefix(1);
    std::string plain;
    for (const char c : line)
      if (c != '\x02' && c != '\x03') plain.push_back(c);
    const std::size_t keep = fit_columns(plain, columns).size();
    std::string out = bold ? "\x1b[1m" : "";
    std::size_t kept = 0;
    for (const char c : line) {
      if (c == '\x02') out += "\x1b[7m";
      else if (c == '\x03') out += "\x1b[27m";
      else if (kept++ < keep) out.push_back(c);
    }
    return out + "\x1b[0m";
  }

  static std::string reverse(std::string line, std::size_t columns) {
    const std::size_t used = columns_of(line);
    if (used < columns) line.append(columns - used, ' ');
    return "\x1b[7m" + line + "\x1b[0m";
  }

  void draw() {
    detail::terminal_resized = 0;
    const auto [rows, columns] = RawTerminal::size();
    std::string out = "\x1b[H";
    const auto lines = screen(rows, columns);
    for (std::size_t row = 0; row < lines.size(); ++row) {
      out += lines[row];
      out += "\x1b[K";
      if (row + 1 < lines.size()) out += "\r\n";
    }
    detail::write_all(STDOUT_FILENO, out);
  }

  std::string action_of(const TermKey& key) const {
    for (const auto& [action, codes] : settings_.keys)
      if (std::find(codes.begin(), codes.end(), key.code) != codes.end()) return action;
    return {};
  }

  // Handles one key; false to quit.
  bool handle(const TermKey& key) {
    if (key.ctrl && (key.code == "KeyC" || key.code == "KeyD")) return false;
    if (editing_notes_) {
      edit_notes(key);
      return true;
    }
    message_.clear();
    if (show_keys_) {
      show_keys_ = false;
      return true;
    }
    if (key.code == "Slash" && key.shift) {
      show_keys_ = true;
      return true;
    }
    if (key.ctrl) return true;
    // Alt+digit: Shift+digit on any keyboard layout.
    const bool digit = key.code.size() == 6 && key.code.starts_with("Digit");
    if (key.alt && !digit) return true;
    const std::string action = key.alt ? std::string() : action_of(key);
    if (action == "back" || action == "next") {
      move(action == "back" ? -1 : 1);
    } else if (!settings_.compare && digit) {
      score(key.code.back() - '0', key.shift || key.alt);
    } else if (!settings_.compare && action == "clear") {
      clear_score();
    } else if (!settings_.compare && action == "notes") {
      editing_notes_ = true;
      const GradeRow* row = grader_.sheet->find(current().key_text[0], current().key_text[1]);
      notes_draft_ = row != nullptr ? row->notes : std::string();
      notes_before_ = notes_draft_;
    } else if (!settings_.compare && action == "disputed") {
      next_disputed();
    } else if (action == "left" || action == "equal" || action == "right") {
      vote(action);
    } else if (action == "up") {
      criterion_ = criterion_ == 0 ? 0 : criterion_ - 1;
    } else if (action == "down") {
      criterion_ = std::min(criterion_ + 1, settings_.criteria.size() - 1);
    }
    if (!action.empty() || (!settings_.compare && digit)) return true;
    // Keys no action has: the terminal's own.
    const std::size_t page = RawTerminal::size().first - 5;
    if (key.code == "PageDown" || (key.code == "Space" && key.shift)) scroll_ += page;
    else if (key.code == "PageUp") scroll_ = scroll_ > page ? scroll_ - page : 0;
    else if (key.code == "ArrowDown" && !settings_.compare) ++scroll_;
    else if (key.code == "ArrowUp" && !settings_.compare) scroll_ = scroll_ > 0 ? scroll_ - 1 : 0;
    else if (key.code == "Home") scroll_ = 0;
    else if (key.code == "End") scroll_ = static_cast<std::size_t>(-1) / 2;
    else if (key.code == "KeyQ" && !key.shift) return false;
    else if (key.code == "KeyO" && !key.shift) open_page();
    return true;
  }

  void move(long by) {
    const long next = static_cast<long>(position_) + by;
    if (next < 0 || next >= static_cast<long>(grader_.order.size())) {
      message_ = next < 0 ? "the first item" : "the last item";
      return;
    }
    position_ = static_cast<std::size_t>(next);
    scroll_ = 0;
    criterion_ = 0;
  }

  // Saves a change; the screen says saved only once the journal is synced.
  template <typename Change>
  void save(Change&& change) {
    try {
      change();
      message_ = "saved";
    } catch (const std::exception& failure) {
      message_ = std::string("\x1b[31mNOT SAVED: ") + failure.what() + "\x1b[0m";
    }
  }

  void score(int value, bool second) {
    if (value == 0) {
      GradeChange change = labeler_.change_of(index());
      change.auto_fail = true;
      save([&] { labeler_.apply_grade(grader_, change); });
      refresh_agreement();
      return;
    }
    const std::size_t scale = second ? 1 : 0;
    if (scale >= settings_.scales.size() || !settings_.scales[scale].contains(value)) {
      message_ = fmt::format("{} is not on the scale", value);
      return;
    }
    GradeChange change = labeler_.change_of(index());
    change.scale = scale;
    change.score = value;
    save([&] { labeler_.apply_grade(grader_, change); });
    refresh_agreement();
  }

  void clear_score() {
    GradeChange change = labeler_.change_of(index());
    change.scale = 0;
    change.clear_score = true;
    save([&] { labeler_.apply_grade(grader_, change); });
  }

  void next_disputed() {
    if (disputed_.empty()) {
      message_ = "no disputed items (they need two graders' journals in the folder)";
      return;
    }
    const auto next = std::upper_bound(disputed_.begin(), disputed_.end(), position_);
    move(static_cast<long>(next == disputed_.end() ? disputed_.front() : *next) - static_cast<long>(position_));
  }

  void vote(const std::string& choice) {
    save([&] { labeler_.apply_vote(grader_, index(), criterion_, choice); });
    criterion_ = std::min(criterion_ + 1, settings_.criteria.size() - 1);
  }

  void edit_notes(const TermKey& key) {
    if (key.code == "Enter" || key.code == "Escape") {
      save_notes();
    } else if (key.code == "Backspace") {
      while (!notes_draft_.empty()) {  // one character, all its bytes
        const unsigned char last = static_cast<unsigned char>(notes_draft_.back());
        notes_draft_.pop_back();
        if ((last & 0xc0) != 0x80) break;
      }
    } else if (!key.text.empty() && !key.ctrl && !key.alt && notes_draft_.size() + key.text.size() <= 8192) {
      notes_draft_ += key.text;
    }
  }

  void save_notes() {
    editing_notes_ = false;
    if (notes_draft_ == notes_before_) return;
    GradeChange change = labeler_.change_of(index());
    change.notes = notes_draft_;
    save([&] { labeler_.apply_grade(grader_, change); });
  }

  void open_page() {
    if (!html_page_available()) {
      message_ = "this answer has no index.html to open";
      return;
    }
    const std::string url = files_.index_url(index());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
    pid_t pid = 0;
    char program[] = "xdg-open";
    std::string url_argument = url;
    char* arguments[] = {program, url_argument.data(), nullptr};
    const int failed = ::posix_spawnp(&pid, program, &actions, nullptr, arguments, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
      message_ = fmt::format("no xdg-open here: open {} in a browser", url);
      return;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    message_ = WIFEXITED(status) && WEXITSTATUS(status) == 0
                   ? "opened in the browser"
                   : fmt::format("xdg-open could not open it: open {} in a browser", url);
  }

  const Settings& settings_;
  Labeler& labeler_;
  Grader& grader_;
  AnswerFiles& files_;
  std::size_t position_ = 0;
  std::size_t scroll_ = 0;
  std::size_t criterion_ = 0;
  std::string message_;
  bool show_keys_ = false;
  bool editing_notes_ = false;
  std::string notes_draft_;
  std::string notes_before_;
  std::vector<std::size_t> disputed_;
  std::string agreement_;
  std::vector<std::string> document_;
  std::size_t document_item_ = static_cast<std::size_t>(-1);
  std::size_t document_columns_ = 0;
};

// label --tty: the grader's session at this terminal; the answers' files
// server runs beside it for HTML answers. Prints what was done once the
// screen is left.
inline void run_terminal(const Settings& settings, Labeler& labeler) {
  AnswerFiles files(settings, labeler);
  files.start();
  TerminalSession session(settings, labeler, files);
  session.run();
  files.stop();
  fmt::print("{}\n", session.summary());
}

}  // namespace prefline::label
