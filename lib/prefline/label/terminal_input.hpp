// Keys typed at a terminal, as the page names them (KeyboardEvent.code:
// KeyD, Digit1, ArrowRight, Space...), so --keys files and the default
// keys mean the same in label --tty as in the browser. A terminal sends
// characters, not key positions: a shifted digit arrives as the character
// of a US layout ('!' is Shift+1) and Alt+digit (ESC then the digit) is the
// layout-free spelling of Shift+digit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prefline::label {

struct TermKey {
  std::string code;   // "KeyA", "Digit1", "ArrowLeft", "PageDown", "Escape"... empty: a non-ASCII character
  bool shift = false;
  bool alt = false;
  bool ctrl = false;
  std::string text;  // what the key types, for the notes editor (empty for arrows, controls)
};

namespace detail {

struct AsciiKey {
  char character;
  const char* code;
  bool shift;
};

// The characters of a US layout and the key that types them.
inline constexpr AsciiKey ascii_keys[] = {
    {' ', "Space", false},       {'!', "Digit1", true},       {'@', "Digit2", true},      {'#', "Digit3", true},
    {'$', "Digit4", true},       {'%', "Digit5", true},       {'^', "Digit6", true},      {'&', "Digit7", true},
    {'*', "Digit8", true},       {'(', "Digit9", true},       {')', "Digit0", true},      {'-', "Minus", false},
    {'_', "Minus", true},        {'=', "Equal", false},       {'+', "Equal", true},       {'[', "BracketLeft", false},
    {'{', "BracketLeft", true},  {']', "BracketRight", false}, {'}', "BracketRight", true}, {'\\', "Backslash", false},
    {'|', "Backslash", true},    {';', "Semicolon", false},   {':', "Semicolon", true},   {'\'', "Quote", false},
    {'"', "Quote", true},        {',', "Comma", false},       {'<', "Comma", true},       {'.', "Period", false},
    {'>', "Period", true},       {'/', "Slash", false},       {'?', "Slash", true},       {'`', "Backquote", false},
    {'~', "Backquote", true}};

inline TermKey ascii_key(char c) {
  TermKey key;
  if (c >= 'a' && c <= 'z') {
    key.code = std::string("Key") + static_cast<char>(c - 'a' + 'A');
  } else if (c >= 'A' && c <= 'Z') {
    key.code = std::string("Key") + c;
    key.shift = true;
  } else if (c >= '0' && c <= '9') {
    key.code = std::string("Digit") + c;
  } else {
    for (const auto& known : ascii_keys)
      if (known.character == c) {
        key.code = known.code;
        key.shift = known.shift;
      }
  }
  key.text = std::string(1, c);
  return key;
}

// The key of a CSI or SS3 sequence's final byte and parameters.
inline TermKey sequence_key(char final, std::string_view parameters) {
  TermKey key;
  int first = 0;
  int modifier = 1;
  std::size_t at = 0;
  while (at < parameters.size() && parameters[at] >= '0' && parameters[at] <= '9')
    first = first * 10 + (parameters[at++] - '0');
  if (at < parameters.size() && parameters[at] == ';') {
    modifier = 0;
    for (++at; at < parameters.size() && parameters[at] >= '0' && parameters[at] <= '9'; ++at)
      modifier = modifier * 10 + (parameters[at] - '0');
  }
  switch (final) {
    case 'A': key.code = "ArrowUp"; break;
    case 'B': key.code = "ArrowDown"; break;
    case 'C': key.code = "ArrowRight"; break;
    case 'D': key.code = "ArrowLeft"; break;
    case 'H': key.code = "Home"; break;
    case 'F': key.code = "End"; break;
    case 'Z': key.code = "Tab"; key.shift = true; break;
    case '~':
      switch (first) {
        case 1: case 7: key.code = "Home"; break;
        case 2: key.code = "Insert"; break;
        case 3: key.code = "Delete"; break;
        case 4: case 8: key.code = "End"; break;
        case 5: key.code = "PageUp"; break;
        case 6: key.code = "PageDown"; break;
        default: break;
      }
      break;
    default: break;
  }
  // xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
  if (modifier > 1) {
    key.shift = key.shift || ((modifier - 1) & 1) != 0;
    key.alt = ((modifier - 1) & 2) != 0;
    key.ctrl = ((modifier - 1) & 4) != 0;
  }
  return key;
}

}  // namespace detail

// Decodes what one read() returned. `bytes` holds whole sequences: a read
// that ends in ESC is completed by the caller (a short wait for the rest of
// an escape sequence) before decoding; an ESC still last is the Escape key.
inline std::vector<TermKey> decode_keys(std::string_view bytes) {
  std::vector<TermKey> keys;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const unsigned char c = static_cast<unsigned char>(bytes[at]);
    if (c == 0x1b) {
      if (at + 1 >= bytes.size()) {
        keys.push_back(TermKey{"Escape", false, false, false, {}});
        ++at;
        continue;
      }
      const char next = bytes[at + 1];
      if (next == '[' || next == 'O') {
        std::size_t end = at + 2;
        while (end < bytes.size() && !(bytes[end] >= 0x40 && bytes[end] <= 0x7e)) ++end;
        if (end >= bytes.size()) {  // cut short: nothing a key could mean
          at = bytes.size();
          continue;
        }
        keys.push_back(detail::sequence_key(bytes[end], bytes.substr(at + 2, end - at - 2)));
        at = end + 1;
        continue;
      }
      if (next == 0x1b) {  // ESC ESC: Escape, then look again at the second
        keys.push_back(TermKey{"Escape", false, false, false, {}});
        ++at;
        continue;
      }
      // Alt+key: ESC then the key.
      std::vector<TermKey> rest = decode_keys(bytes.substr(at + 1, 1));
      for (auto& key : rest) {
        key.alt = true;
        key.text.clear();
        keys.push_back(std::move(key));
      }
      at += 2;
      continue;
    }
    if (c == '\r' || c == '\n') {
      keys.push_back(TermKey{"Enter", false, false, false, {}});
    } else if (c == '\t') {
      keys.push_back(TermKey{"Tab", false, false, false, {}});
    } else if (c == 0x7f || c == 0x08) {
      keys.push_back(TermKey{"Backspace", false, false, false, {}});
    } else if (c < 0x20) {
      // Ctrl+letter: 0x01 is Ctrl+A.
      keys.push_back(TermKey{std::string("Key") + static_cast<char>('A' + c - 1), false, false, true, {}});
    } else if (c < 0x7f) {
      keys.push_back(detail::ascii_key(static_cast<char>(c)));
    } else {
      // A UTF-8 character: its bytes, for the notes editor.
      std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (at + length > bytes.size()) length = bytes.size() - at;
      keys.push_back(TermKey{{}, false, false, false, std::string(bytes.substr(at, length))});
      at += length;
      continue;
    }
    ++at;
  }
  return keys;
}

}  // namespace prefline::label
