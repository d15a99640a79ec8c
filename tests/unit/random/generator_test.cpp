#include "prefline/random/generator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace {

// The first outputs of Vigna's reference splitmix64.c from this state, as
// published in rand_xoshiro's test `reference` (rust-random/rngs, splitmix64.rs).
constexpr std::uint64_t published_seed = 1477776061723855037ULL;
constexpr std::uint64_t published[] = {
    1985237415132408290ULL,  2979275885539914483ULL,  13511426838097143398ULL, 8488337342461049707ULL,
    15141737807933549159ULL, 17093170987380407015ULL, 16389528042912955399ULL, 13177319091862933652ULL,
    10841969400225389492ULL, 17094824097954834098ULL,
};

TEST(SplitMix64, MatchesTheReferenceImplementation) {
  prefline::SplitMix64 random{published_seed};
  for (std::uint64_t expected : published) EXPECT_EQ(random.next(), expected);
}

TEST(SplitMix64, StateAdvancesByTheGoldenGamma) {
  prefline::SplitMix64 random{published_seed};
  random.next();
  random.next();
  EXPECT_EQ(random.state, published_seed + 2 * 0x9e3779b97f4a7c15ULL);
}

TEST(SplitMix64, UniformIsTheTop53BitsOverTwoTo53) {
  prefline::SplitMix64 random{published_seed};
  for (std::uint64_t output : published) {
    const double expected = static_cast<double>(output >> 11) / 9007199254740992.0;
    const double got = random.uniform();
    EXPECT_EQ(got, expected);
    EXPECT_GE(got, 0.0);
    EXPECT_LT(got, 1.0);
  }
}

TEST(SplitMix64, BelowIsTheOutputModuloTheBound) {
  prefline::SplitMix64 random{published_seed};
  const std::size_t bounds[] = {1, 2, 3, 10, 1000, 7, 64, 999983, 5, 1ULL << 40};
  for (std::size_t i = 0; i < std::size(bounds); ++i) EXPECT_EQ(random.below(bounds[i]), published[i] % bounds[i]);
}

TEST(SplitMix64, ShuffleIsFisherYatesFromTheEnd) {
  // By hand from the published outputs: for i = n..2, swap items[i-1] with items[output % i].
  std::vector<int> expected(8);
  std::iota(expected.begin(), expected.end(), 0);
  std::size_t draw = 0;
  for (std::size_t i = expected.size(); i > 1; --i) std::swap(expected[i - 1], expected[published[draw++] % i]);

  std::vector<int> items(8);
  std::iota(items.begin(), items.end(), 0);
  prefline::SplitMix64 random{published_seed};
  random.shuffle(items);
  EXPECT_EQ(items, expected);
  // Seven draws for eight items: the next output is the eighth published one.
  EXPECT_EQ(random.next(), published[7]);
}

TEST(SplitMix64, ShuffleOfNoneOrOneDrawsNothing) {
  prefline::SplitMix64 random{published_seed};
  std::vector<int> none, one{42};
  random.shuffle(none);
  random.shuffle(one);
  EXPECT_EQ(one, std::vector<int>{42});
  EXPECT_EQ(random.next(), published[0]);
}

}  // namespace
