// The strata of a sample and their shares, as --mix names them: the preset
// mixes over the difficulty levels, or NAME=SHARE,... with shares read
// exactly (millionths, so apportion() in random/sampling.hpp works on
// integers).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/text/split.hpp"

namespace prefline::mix {

struct Stratum {
  std::string name;
  std::uint64_t weight;  // the share in millionths
};

struct Preset {
  std::string_view name;
  std::uint64_t easy, medium, hard;
};
inline constexpr Preset presets[] = {
    {"balanced", 1, 1, 1},
    {"easy-heavy", 50, 30, 20},
    {"medium-heavy", 25, 50, 25},
    {"hard-heavy", 20, 30, 50},
};

inline constexpr std::uint64_t share_scale = 1000000;  // shares are read with up to 6 decimals
inline constexpr double max_share = 1e9;

namespace detail {

// A stratum name from --mix: it ends up in the summary header, so no control
// characters (the header stays one line).
inline void check_stratum_name(std::string_view name, std::string_view mix) {
  if (name.empty()) throw prefline::UsageError(fmt::format("--mix: empty stratum name in '{}'", mix));
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      throw prefline::UsageError(fmt::format("--mix: control character in the stratum name '{}'", name));
}

inline std::uint64_t parse_share(std::string_view text, std::string_view part) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw prefline::UsageError(fmt::format("--mix: '{}': the share is not a number", part));
  if (value < 0 || value > max_share)
    throw prefline::UsageError(fmt::format("--mix: '{}': the share must be between 0 and {}", part, max_share));
  return static_cast<std::uint64_t>(std::llround(value * static_cast<double>(share_scale)));
}

}  // namespace detail

// The strata of a --mix value, in the order given; throws UsageError naming
// --mix when it is not a preset or a valid NAME=SHARE list.
inline std::vector<Stratum> parse_mix(const std::string& mix) {
  std::vector<Stratum> strata;
  if (mix.find('=') == std::string::npos) {
    for (const auto& preset : presets)
      if (preset.name == mix)
        return {{std::string(prefline::schema::sft_candidate::easy), preset.easy * share_scale},
                {std::string(prefline::schema::sft_candidate::medium), preset.medium * share_scale},
                {std::string(prefline::schema::sft_candidate::hard), preset.hard * share_scale}};
    throw prefline::UsageError(fmt::format(
        "--mix: unknown mix '{}' (presets: balanced, easy-heavy, medium-heavy, hard-heavy; or NAME=SHARE,...)", mix));
  }
  std::uint64_t sum = 0;
  for (const auto& part : prefline::split_list(mix)) {
    const std::size_t equals = part.find('=');
    if (equals == std::string::npos)
      throw prefline::UsageError(fmt::format("--mix: '{}' is not NAME=SHARE", part));
    std::string name = part.substr(0, equals);
    detail::check_stratum_name(name, mix);
    for (const auto& stratum : strata)
      if (stratum.name == name) throw prefline::UsageError(fmt::format("--mix: stratum '{}' given twice", name));
    const std::uint64_t weight = detail::parse_share(std::string_view(part).substr(equals + 1), part);
    sum += weight;
    strata.push_back({std::move(name), weight});
  }
  if (sum == 0) throw prefline::UsageError(fmt::format("--mix: the shares in '{}' add up to 0", mix));
  return strata;
}

// The shares as weights for apportion().
inline std::vector<std::uint64_t> weights_of(const std::vector<Stratum>& strata) {
  std::vector<std::uint64_t> weights;
  for (const auto& stratum : strata) weights.push_back(stratum.weight);
  return weights;
}

}  // namespace prefline::mix
