// Uses a few installed headers (JSON writer, stable hashing, timestamps) and
// prints a record whose bytes tests/install/check_install.cmake knows.
#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

#include <prefline/json/writer.hpp>
#include <prefline/random/hashing.hpp>
#include <prefline/text/timestamp.hpp>

int main() {
  prefline::Buffer out;
  prefline::JsonWriter writer(out);
  writer.begin_object();
  writer.key("version").string(PREFLINE_VERSION);
  writer.key("hash").string(fmt::format("{:016x}", prefline::stable_hash("", 0)));
  writer.key("bucket").integer(static_cast<std::int64_t>(prefline::scale_hash(prefline::stable_hash("", 0), 100)));
  writer.key("score").number(4.5);
  writer.key("when").string(prefline::format_iso8601_milliseconds(1750000000000));
  writer.key("text").string("tab\there \"quoted\"");
  writer.end_object();
  writer.end_record();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
