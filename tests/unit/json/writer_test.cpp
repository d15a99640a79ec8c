#include "prefline/json/writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string escaped(std::string_view text) { return prefline::json_quoted(text); }

std::string number(double value) {
  prefline::Buffer out;
  prefline::append_json_number(out, value);
  return std::string(out.view());
}

TEST(JsonWriter, EscapesQuotesBackslashesAndShortControlCharacters) {
  EXPECT_EQ(escaped(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(escaped("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
}

TEST(JsonWriter, EscapesOtherControlCharactersAsUnicode) {
  EXPECT_EQ(escaped(std::string("\x01\x1f\x00", 3)), R"("\u0001\u001f\u0000")");
  // DEL is not a control character in JSON.
  EXPECT_EQ(escaped("\x7f"), "\"\x7f\"");
}

TEST(JsonWriter, PassesUtf8ThroughUnescaped) {
  EXPECT_EQ(escaped("café 日本 😀"), "\"café 日本 😀\"");
  EXPECT_EQ(escaped(""), "\"\"");
}

TEST(JsonWriter, EveryControlByteIsEscaped) {
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = escaped(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(out[1], '\\') << "byte " << c;
    EXPECT_GE(out.size(), 4u);
  }
}

TEST(JsonWriter, NumbersUseTheShortestRoundTripForm) {
  EXPECT_EQ(number(4.5), "4.5");
  EXPECT_EQ(number(5), "5");
  EXPECT_EQ(number(0.1), "0.1");
  EXPECT_EQ(number(-3.25), "-3.25");
  EXPECT_EQ(number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(number(1e21), "1e+21");
}

TEST(JsonWriter, NumbersReadBackExactly) {
  // A second, independent check: strtod of what we print gives the same double.
  const double values[] = {83.33333333333333, 2.0 / 3.0, 1e-300, 123456789.125, 4.35, 6.02214076e23};
  for (double value : values) EXPECT_EQ(std::strtod(number(value).c_str(), nullptr), value) << number(value);
}

TEST(JsonWriter, FastScanFindsEveryByteToEscapeAtEveryOffset) {
  // The 8-bytes-at-a-time scan against the plain per-byte rule, for each
  // special byte at each position of strings longer than one word.
  for (int special : {0x00, 0x01, 0x1f, int{'"'}, int{'\\'}}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string text(20, 'a');
      text[at] = static_cast<char>(special);
      EXPECT_EQ(prefline::detail::first_to_escape(text), at) << special << " at " << at;
    }
  }
  for (int c = 0x20; c < 0x100; ++c) {
    if (c == '"' || c == '\\') continue;
    const std::string text(17, static_cast<char>(c));
    EXPECT_EQ(prefline::detail::first_to_escape(text), text.size()) << c;
  }
}

TEST(JsonWriter, EscapedTextEqualsAPlainPerByteEscaper) {
  // Strings with escapes close together and far apart (the fast scan resumes
  // after each one) against a per-byte reference written for this test.
  const auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (byte < 0x20) {
            char code[8];
            std::snprintf(code, sizeof code, "\\u%04x", byte);
            out += code;
          } else {
            out.push_back(c);
          }
      }
    }
    return out + "\"";
  };
  std::uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  const char alphabet[] = {'a', 'b', ' ', '"', '\\', '\n', '\t', '\x01', '\x1f', '\x7f', '\xc3', '\xa9'};
  for (int round = 0; round < 2000; ++round) {
    std::string text(next() % 70, 'x');
    const std::size_t specials = next() % 6;
    for (char& c : text)
      if (next() % 8 < specials) c = alphabet[next() % sizeof alphabet];
    EXPECT_EQ(escaped(text), reference(text)) << round;
  }
}

TEST(JsonWriter, IntegersAndWholeDoubles) {
  prefline::Buffer out;
  prefline::append_json_integer(out, 0);
  out.push_back(' ');
  prefline::append_json_integer(out, -42);
  out.push_back(' ');
  prefline::append_json_integer(out, INT64_MIN);
  out.push_back(' ');
  prefline::append_json_number(out, 85.0);
  out.push_back(' ');
  prefline::append_json_number(out, -0.0);
  out.push_back(' ');
  prefline::append_json_number(out, 1e15);
  out.push_back(' ');
  prefline::append_json_number(out, 1e16);  // past 2^53: the shortest form again
  EXPECT_EQ(out.view(), "0 -42 -9223372036854775808 85 -0 1000000000000000 1e+16");
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  EXPECT_EQ(number(std::nan("")), "null");
  EXPECT_EQ(number(HUGE_VAL), "null");
}

TEST(JsonWriter, NestedStructuresGetCommasRight) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  json.begin_object();
  json.key("a").integer(1);
  json.key("b").begin_object().key("x").number(2.5).key("y").null().end_object();
  json.key("c").begin_array().string("s").boolean(true).begin_object().end_object().begin_array().end_array().end_array();
  json.key("d").raw(R"({"k":[1]})");
  json.end_object();
  json.end_record();
  EXPECT_EQ(out.view(), R"({"a":1,"b":{"x":2.5,"y":null},"c":["s",true,{},[]],"d":{"k":[1]}})"
                 "\n");
}

TEST(JsonWriter, RecordsAreIndependent) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  json.begin_object().key("a").integer(1).end_object();
  json.end_record();
  json.begin_object().key("b").integer(2).end_object();
  json.end_record();
  EXPECT_EQ(out.view(), "{\"a\":1}\n{\"b\":2}\n");
}

TEST(RoundedNumbers, RoundsToTheDecimalsAndMatchesAppendJsonNumber) {
  prefline::RoundedNumbers numbers(4);
  EXPECT_EQ(numbers.text(62.5), "62.5");
  EXPECT_EQ(numbers.text(2.0 / 3), "0.6667");
  EXPECT_EQ(numbers.text(100), "100");
  EXPECT_EQ(numbers.text(-0.00004), "-0");
  EXPECT_EQ(numbers.text(std::nan("")), "null");
  // Many values through the direct-mapped cache (collisions included), twice:
  // always the bytes append_json_number gives for the rounded value.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5000; ++i) {
      const double value = i / 7.0 - 300;
      EXPECT_EQ(numbers.text(value), number(std::round(value * 1e4) / 1e4)) << value;
    }
  }
}

TEST(RoundedNumbers, JsonWriterWritesThemAsValues) {
  prefline::RoundedNumbers numbers(2);
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  json.begin_array().number(numbers, 1.0 / 3).number(numbers, 1.0 / 3).number(numbers, 2.005).end_array();
  EXPECT_EQ(out.view(), "[0.33,0.33," + number(std::round(2.005 * 100) / 100) + "]");
}

TEST(JsonWriter, QuotedKeysAreWrittenAsGiven) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  const std::string key = prefline::json_quoted("a\"b") + ":";
  json.begin_object().quoted_key(key).integer(1).quoted_key(key).raw("[2]").end_object();
  EXPECT_EQ(out.view(), R"({"a\"b":1,"a\"b":[2]})");
}

}  // namespace
