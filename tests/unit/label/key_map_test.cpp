#include "prefline/label/key_map.hpp"

#include <gtest/gtest.h>

namespace {

std::string key_map_error(std::string_view text, bool compare = false) {
  try {
    prefline::label::read_key_map(text, compare, "keys.json");
  } catch (const prefline::UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(KeyMap, ReplacesTheActionsGiven) {
  const auto keys = prefline::label::read_key_map(R"({"next":["KeyJ","Space"],"back":"KeyK"})", false, "k");
  const auto codes = [&](std::string_view action) {
    return std::find_if(keys.begin(), keys.end(), [&](const auto& entry) { return entry.first == action; })->second;
  };
  EXPECT_EQ(codes("next"), (std::vector<std::string>{"KeyJ", "Space"}));
  EXPECT_EQ(codes("back"), (std::vector<std::string>{"KeyK"}));
  EXPECT_EQ(codes("notes"), (std::vector<std::string>{"KeyN"}));
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  prefline::label::write_key_map(json, keys);
  EXPECT_EQ(out.view(),
            R"({"back":["KeyK"],"next":["KeyJ","Space"],"clear":["Backspace"],"notes":["KeyN"],"disputed":["KeyR"]})");
}

TEST(KeyMap, ClashesAreStartupErrors) {
  EXPECT_EQ(key_map_error(R"({"next":"KeyA"})"), "--keys 'keys.json': 'KeyA' is both back and next");
  EXPECT_EQ(key_map_error(R"({"next":"Digit3"})"), "--keys 'keys.json': 'Digit3' is a score key (next)");
  EXPECT_EQ(key_map_error(R"({"notes":"F5"})"), "--keys 'keys.json': 'F5' is kept by the browser (notes)");
  EXPECT_EQ(key_map_error(R"({"notes":"Tab"})"), "--keys 'keys.json': 'Tab' is kept by the browser or the page (notes)");
  EXPECT_EQ(key_map_error(R"({"jump":"KeyJ"})"),
            "--keys 'keys.json': unknown action 'jump' (actions: back, next, clear, notes, disputed)");
  EXPECT_EQ(key_map_error(R"({"next":"d"})"),
            "--keys 'keys.json': 'd' is not a key code (such as KeyD, ArrowRight, Space)");
  EXPECT_EQ(key_map_error(R"({"next":[]})"), "--keys 'keys.json': 'next' has no key");
  EXPECT_EQ(key_map_error("[1]"), "--keys 'keys.json': not a JSON object of action -> key codes");
}

TEST(KeyMap, DigitsAreFreeInCompare) {
  EXPECT_EQ(key_map_error(R"({"left":"Digit7","right":"Digit9"})", true), "no error");
  EXPECT_EQ(key_map_error(R"({"left":"Digit2"})", true), "--keys 'keys.json': 'Digit2' is both left and equal");
}

}  // namespace
