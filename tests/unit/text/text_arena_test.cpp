#include "prefline/text/text_arena.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

TEST(TextArena, StoresPiecesBackToBackAndViewsStayValid) {
  prefline::TextArena arena;
  const char* first = arena.store({"ab", "", "cde"});
  EXPECT_EQ(std::string_view(first, 5), "abcde");
  const char* second = arena.store({"xyz"});
  EXPECT_EQ(second, first + 5);  // same chunk, right behind
  // A piece larger than a chunk gets a chunk of its own; earlier text stays put.
  const std::string big(prefline::TextArena::chunk_size + 10, 'q');
  const char* third = arena.store({big});
  EXPECT_EQ(std::string_view(third, big.size()), big);
  EXPECT_EQ(std::string_view(first, 5), "abcde");
  EXPECT_EQ(std::string_view(second, 3), "xyz");
}

TEST(TextArena, EmptyStoreReturnsAUsablePointer) {
  prefline::TextArena arena;
  const char* at = arena.store({});
  EXPECT_NE(at, nullptr);
  EXPECT_EQ(std::string_view(arena.store({"k"}), 1), "k");
}

}  // namespace
