#include "prefline/random/hashing.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace {

// xxhsum's sanity buffer (BMK_fillTestBuffer in xxHash's cli/xsum_sanity_check.c):
// each byte is the top byte of a generator started at PRIME32 and multiplied by
// PRIME64 after each byte. The published XXH3-64 values below are for its prefixes.
constexpr std::uint64_t prime32 = 2654435761U;
constexpr std::uint64_t prime64 = 11400714785074694797ULL;

std::vector<char> sanity_buffer(std::size_t size) {
  std::vector<char> buffer(size);
  std::uint64_t generator = prime32;
  for (auto& byte : buffer) {
    byte = static_cast<char>(static_cast<unsigned char>(generator >> 56));
    generator *= prime64;
  }
  return buffer;
}

struct Vector {
  std::size_t length;
  std::uint64_t seed;
  std::uint64_t hash;
};

// xxHash's own sanity check (XXH3_64bits_withSeed): every length class of the
// algorithm (0, 1-3, 4-8, 9-16, 17-128 in steps, 129-240, one and several blocks).
constexpr Vector published_xxh3[] = {
    {0, 0, 0x2D06800538D394C2ULL},    {0, prime64, 0xA8A6B918B2F0364AULL},
    {1, 0, 0xC44BDFF4074EECDBULL},    {1, prime64, 0x032BE332DD766EF8ULL},
    {6, 0, 0x27B56A84CD2D7325ULL},    {6, prime64, 0x84589C116AB59AB9ULL},
    {12, 0, 0xA713DAF0DFBB77E7ULL},   {12, prime64, 0xE7303E1B2336DE0EULL},
    {24, 0, 0xA3FE70BF9D3510EBULL},   {24, prime64, 0x850E80FC35BDD690ULL},
    {48, 0, 0x397DA259ECBA1F11ULL},   {48, prime64, 0xADC2CBAA44ACC616ULL},
    {80, 0, 0xBCDEFBBB2C47C90AULL},   {80, prime64, 0xC6DD0CB699532E73ULL},
    {195, 0, 0xCD94217EE362EC3AULL},  {195, prime64, 0xBA68003D370CB3D9ULL},
    {403, 0, 0xCDEB804D65C6DEA4ULL},  {403, prime64, 0x6259F6ECFD6443FDULL},
    {512, 0, 0x617E49599013CB6BULL},  {512, prime64, 0x3CE457DE14C27708ULL},
    {2048, 0, 0xDD59E2C3A5F038E0ULL}, {2048, prime64, 0x66F81670669ABABCULL},
    {2240, 0, 0x6E73A90539CF2948ULL}, {2240, prime64, 0x757BA8487D1B5247ULL},
    {2367, 0, 0xCB37AEB9E5D361EDULL}, {2367, prime64, 0xD2DB3415B942B42AULL},
};

TEST(StableHash, MatchesXxh3PublishedVectors) {
  const std::vector<char> buffer = sanity_buffer(2367);
  for (const Vector& vector : published_xxh3) {
    const std::string_view bytes(buffer.data(), vector.length);
    EXPECT_EQ(prefline::stable_hash(bytes, vector.seed), vector.hash)
        << "length " << vector.length << ", seed " << vector.seed;
  }
}

TEST(StableHash, EmptyViewWithoutDataIsTheEmptyInput) {
  EXPECT_EQ(prefline::stable_hash(std::string_view(), 0), 0x2D06800538D394C2ULL);
}

// floor(hash * total / 2^64) by schoolbook long multiplication in 32-bit
// halves, without 128-bit arithmetic: an independent reference.
std::uint64_t scale_reference(std::uint64_t hash, std::uint64_t total) {
  const std::uint64_t h_hi = hash >> 32, h_lo = hash & 0xFFFFFFFFu;
  const std::uint64_t t_hi = total >> 32, t_lo = total & 0xFFFFFFFFu;
  const std::uint64_t lo_lo = h_lo * t_lo, hi_lo = h_hi * t_lo, lo_hi = h_lo * t_hi, hi_hi = h_hi * t_hi;
  const std::uint64_t middle = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + (lo_hi & 0xFFFFFFFFu);
  return hi_hi + (hi_lo >> 32) + (lo_hi >> 32) + (middle >> 32);
}

TEST(ScaleHash, EdgesOfTheRange) {
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(prefline::scale_hash(0, 10), 0u);
  EXPECT_EQ(prefline::scale_hash(max, 10), 9u);
  EXPECT_EQ(prefline::scale_hash(max, 1), 0u);
  EXPECT_EQ(prefline::scale_hash(max, max), max - 1);
  EXPECT_EQ(prefline::scale_hash(std::uint64_t{1} << 63, 10), 5u);
  EXPECT_EQ(prefline::scale_hash(0x123456789ABCDEF0ULL, std::uint64_t{1} << 32), 0x12345678u);
  EXPECT_EQ(prefline::scale_hash(12345, 0), 0u);
}

TEST(ScaleHash, BoundariesAreExactForThirds) {
  // 3 * 0x5555555555555555 = 2^64 - 1 (still bucket 0); one more crosses into bucket 1.
  EXPECT_EQ(prefline::scale_hash(0x5555555555555555ULL, 3), 0u);
  EXPECT_EQ(prefline::scale_hash(0x5555555555555556ULL, 3), 1u);
  EXPECT_EQ(prefline::scale_hash(0xAAAAAAAAAAAAAAAAULL, 3), 1u);
  EXPECT_EQ(prefline::scale_hash(0xAAAAAAAAAAAAAAABULL, 3), 2u);
}

TEST(ScaleHash, MatchesLongMultiplication) {
  std::uint64_t hash = 0;
  for (std::uint64_t total : {1ULL, 2ULL, 3ULL, 7ULL, 100ULL, 1000003ULL, 0xFFFFFFFFULL, 0x100000001ULL,
                              0xDEADBEEFCAFEULL, 0xFFFFFFFFFFFFFFFFULL}) {
    for (int i = 0; i < 1000; ++i) {
      hash = prefline::stable_hash(std::string_view(reinterpret_cast<const char*>(&i), sizeof i), total);
      const std::uint64_t scaled = prefline::scale_hash(hash, total);
      ASSERT_EQ(scaled, scale_reference(hash, total)) << hash << " * " << total;
      ASSERT_LT(scaled, total);
    }
  }
}

}  // namespace
