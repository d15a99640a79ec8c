// Removing a model's thinking blocks (<think>…</think>, <thinking>…</thinking>)
// from a reply: judges' verdicts are read without them (duel-judge) and
// generated answers are filtered and written without them (generate
// --strip-thinking). An unclosed block runs to the end of the text (a reply
// cut off while thinking has no answer yet). Nothing else is touched: the
// whitespace around a removed block stays, callers trim if they want to.
#pragma once

#include <string>
#include <string_view>

namespace prefline {

namespace detail {
// Removes every `open` ... `close` block (an unclosed one to the end), in
// one pass: the text is copied, and when the copy ends with `open` (which
// may form anew where a block was cut out, as "<thi" + "nk>") that tag is
// taken back and the input skipped to after the next `close`. (`close` cannot
// overlap `open`: it starts with "</".)
inline std::string strip_blocks(std::string_view text, std::string_view open, std::string_view close) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t p = 0; p < text.size();) {
    const char c = text[p++];
    out.push_back(c);
    if (c != open.back() || out.size() < open.size() || !std::string_view(out).ends_with(open)) continue;
    out.resize(out.size() - open.size());
    const std::size_t end = text.find(close, p);
    if (end == std::string_view::npos) break;  // an unclosed block: everything after it is still thinking
    p = end + close.size();
  }
  return out;
}
}  // namespace detail

// The reply without its <think> blocks, then without its <thinking> blocks:
// the same as erasing the first block of each kind until none is left.
inline std::string strip_thinking(std::string_view reply) {
  return detail::strip_blocks(detail::strip_blocks(reply, "<think>", "</think>"), "<thinking>", "</thinking>");
}

}  // namespace prefline
