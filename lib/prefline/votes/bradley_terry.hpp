// Model ratings from pairwise battles: the Bradley-Terry model fitted by maximum likelihood, ties as
// half a win for each side (as Chatbot Arena counts them), on the Elo scale, with percentile
// bootstrap intervals. Battles are aggregated into (pair, outcome) counts once; every fit, and every
// bootstrap round, works on those counts, so its cost does not grow with the number of battles.
//
// The model: P(i beats j) = 1 / (1 + exp(theta_j - theta_i)) for log-strengths theta. With
// w_ij = wins of i over j + ties between them / 2, the log-likelihood is
//   L(theta) = sum over ordered pairs (i, j) of w_ij log sigma(theta_i - theta_j)
// and the ratings are  rating_i = base + (400 / ln 10) (theta_i - centre),  where centre is the mean
// theta and base 1000 (the default), or centre = theta of the anchor model and base its given rating.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "prefline/random/generator.hpp"
#include "prefline/votes/pairwise_agreement.hpp"

namespace prefline::votes {

// Elo points per logit: a rating gap of 400 is 10:1 odds.
inline constexpr double elo_per_logit = 400 / std::numbers::ln10;
// The fit stops when every log-strength changed by less than this in one step.
inline constexpr double log_strength_tolerance = 1e-10;

// One battle: the two models and the outcome (Vote::a = model_a won).
struct Battle {
  std::size_t model_a;
  std::size_t model_b;
  Vote outcome;
};

// The battles of one unordered pair, first < second: counts[index_of(Vote::a)] = wins of `first`,
// [tie] = ties, [b] = wins of `second`. Counts are doubles so a bootstrap round can weight them.
struct PairOutcomes {
  std::size_t first;
  std::size_t second;
  std::array<double, vote_kinds> counts;
};

// Pairs in (first, second) order, the order every sum of a fit runs in. Throws std::invalid_argument
// for a model index out of range or a battle of a model against itself.
inline std::vector<PairOutcomes> aggregate_battles(std::span<const Battle> battles, std::size_t models) {
  std::vector<std::pair<std::pair<std::size_t, std::size_t>, Vote>> oriented;
  oriented.reserve(battles.size());
  for (const Battle& battle : battles) {
    if (battle.model_a >= models || battle.model_b >= models)
      throw std::invalid_argument("aggregate_battles: model index out of range");
    if (battle.model_a == battle.model_b) throw std::invalid_argument("aggregate_battles: a model battles itself");
    if (battle.model_a < battle.model_b) {
      oriented.push_back({{battle.model_a, battle.model_b}, battle.outcome});
    } else {
      oriented.push_back({{battle.model_b, battle.model_a}, flipped(battle.outcome)});
    }
  }
  std::ranges::sort(oriented, {}, [](const auto& x) { return x.first; });
  std::vector<PairOutcomes> pairs;
  for (const auto& [pair, outcome] : oriented) {
    if (pairs.empty() || pairs.back().first != pair.first || pairs.back().second != pair.second)
      pairs.push_back(PairOutcomes{pair.first, pair.second, {0, 0, 0}});
    pairs.back().counts[index_of(outcome)] += 1;
  }
  return pairs;
}

// Whether the maximum likelihood estimate exists (Zermelo 1929; Ford 1957; Hunter 2004, assumption 1):
// it does exactly when the graph with an edge i -> j whenever w_ij > 0 is strongly connected, i.e. no
// group of models never loses (nor ties) against all the others. A tie gives an edge both ways.
struct Existence {
  bool exists = true;
  std::vector<std::size_t> unplayed;    // models without a battle
  std::vector<std::size_t> never_won;   // played, but no win and no tie
  std::vector<std::size_t> never_lost;  // played, but no loss and no tie
  // When the graph is not strongly connected: its strongly connected components, each sorted, in
  // order of their smallest model. Empty when it is.
  std::vector<std::vector<std::size_t>> components;
};

inline Existence check_existence(std::span<const PairOutcomes> pairs, std::size_t models) {
  Existence result;
  std::vector<double> won(models, 0);
  std::vector<double> lost(models, 0);
  std::vector<std::vector<std::size_t>> out(models);
  std::vector<std::vector<std::size_t>> in(models);
  for (const PairOutcomes& pair : pairs) {
    const double first_score = pair.counts[0] + pair.counts[1];
    const double second_score = pair.counts[2] + pair.counts[1];
    won[pair.first] += first_score;
    lost[pair.first] += second_score;
    won[pair.second] += second_score;
    lost[pair.second] += first_score;
    if (first_score > 0) {
      out[pair.first].push_back(pair.second);
      in[pair.second].push_back(pair.first);
    }
    if (second_score > 0) {
      out[pair.second].push_back(pair.first);
      in[pair.first].push_back(pair.second);
    }
  }
  for (std::size_t m = 0; m < models; ++m) {
    if (won[m] == 0 && lost[m] == 0)
      result.unplayed.push_back(m);
    else if (won[m] == 0)
      result.never_won.push_back(m);
    else if (lost[m] == 0)
      result.never_lost.push_back(m);
  }
  // Kosaraju: finishing order on the graph, then components on the reversed graph. Iterative, so a
  // long chain of models cannot overflow the stack.
  std::vector<std::size_t> finished;
  std::vector<char> seen(models, 0);
  for (std::size_t start = 0; start < models; ++start) {
    if (seen[start]) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
    seen[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < out[node].size()) {
        const std::size_t to = out[node][next++];
        if (!seen[to]) {
          seen[to] = 1;
          stack.push_back({to, 0});
        }
      } else {
        finished.push_back(node);
        stack.pop_back();
      }
    }
  }
  std::vector<std::size_t> component_of(models, models);
  std::vector<std::vector<std::size_t>> components;
  for (auto it = finished.rbegin(); it != finished.rend(); ++it) {
    if (component_of[*it] != models) continue;
    const std::size_t id = components.size();
    components.emplace_back();
    std::vector<std::size_t> stack{*it};
    component_of[*it] = id;
    while (!stack.empty()) {
      const std::size_t node = stack.back();
      stack.pop_back();
      components[id].push_back(node);
      for (std::size_t from : in[node])
        if (component_of[from] == models) {
          component_of[from] = id;
          stack.push_back(from);
        }
    }
  }
  if (components.size() > 1) {
    for (auto& component : components) std::ranges::sort(component);
    std::ranges::sort(components, {}, [](const auto& c) { return c.front(); });
    result.components = std::move(components);
  }
  result.exists = models > 0 && result.components.empty();
  return result;
}

struct FitOptions {
  // W: 0 (the default) fits the battles alone; W > 0 adds W virtual games of every model against a
  // reference fixed at theta = 0 (rating 1000 before normalisation), half won and half lost, i.e. L gains
  //   sum_i (W / 2) (log sigma(theta_i) + log sigma(-theta_i)),
  // a pull of every theta towards the reference's that makes the estimate exist for any battles
  // (L is then strictly concave). The ratings are normalised afterwards like any fit (mean 1000 or the
  // anchor), which moves the virtual reference to base - (400 / ln 10) centre: 1000 only when centre = 0.
  double prior = 0;
  std::optional<std::size_t> anchor;  // model whose rating is fixed at anchor_rating; else the mean is 1000
  double anchor_rating = 1000;
  std::size_t max_iterations = 200;   // Newton steps; each usually gains ~2x the correct digits
};

struct Fit {
  Existence existence;             // of the battles themselves, whatever the prior
  bool fitted = false;             // false when the MLE does not exist and no prior was given
  std::vector<double> log_strength;  // theta, the reference (prior) or model 0 (no prior) at 0
  std::vector<double> ratings;     // Elo scale, normalised as FitOptions says
  std::size_t iterations = 0;
};

namespace detail {

inline double log_sigmoid(double x) { return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x)); }
inline double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

inline double log_likelihood(std::span<const PairOutcomes> pairs, const std::vector<double>& theta, double prior) {
  double sum = 0;
  for (const PairOutcomes& pair : pairs) {
    const double d = theta[pair.first] - theta[pair.second];
    sum += (pair.counts[0] + pair.counts[1] / 2) * log_sigmoid(d) + (pair.counts[2] + pair.counts[1] / 2) * log_sigmoid(-d);
  }
  if (prior > 0)
    for (double t : theta) sum += prior / 2 * (log_sigmoid(t) + log_sigmoid(-t));
  return sum;
}

// Solves A x = b in place for a symmetric positive definite A (row-major, n x n) by Cholesky.
// Returns false when A is not positive definite (to rounding).
inline bool solve_positive_definite(std::vector<double>& a, std::vector<double>& b, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    const double l = std::sqrt(d);
    a[j * n + j] = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return true;
}

// Newton's method on the concave L, from `theta`, with step halving whenever a full step would lower
// L (by more than rounding). Without a prior, theta[0] stays 0 (L only sees differences). Returns the
// number of steps; throws std::runtime_error when it does not converge in max_iterations.
inline std::size_t newton_fit(std::span<const PairOutcomes> pairs, std::size_t models, double prior,
                              std::size_t max_iterations, std::vector<double>& theta) {
  const std::size_t fixed = prior > 0 ? 0 : 1;  // leading models held at 0
  const std::size_t n = models - fixed;
  std::vector<double> hessian(n * n);
  std::vector<double> step(n);
  std::vector<double> trial(models);
  double current = log_likelihood(pairs, theta, prior);
  for (std::size_t iteration = 1; iteration <= max_iterations; ++iteration) {
    // Gradient and minus the Hessian of L, in pair order.
    std::ranges::fill(hessian, 0.0);
    std::ranges::fill(step, 0.0);
    std::vector<double> gradient(models, 0.0);
    std::vector<double> curvature(models, 0.0);
    for (const PairOutcomes& pair : pairs) {
      const double total = pair.counts[0] + pair.counts[1] + pair.counts[2];
      if (total == 0) continue;
      const double p = sigmoid(theta[pair.first] - theta[pair.second]);
      const double residual = pair.counts[0] + pair.counts[1] / 2 - total * p;
      const double weight = total * p * (1 - p);
      gradient[pair.first] += residual;
      gradient[pair.second] -= residual;
      curvature[pair.first] += weight;
      curvature[pair.second] += weight;
      if (pair.first >= fixed && pair.second >= fixed) {
        hessian[(pair.first - fixed) * n + (pair.second - fixed)] -= weight;
        hessian[(pair.second - fixed) * n + (pair.first - fixed)] -= weight;
      }
    }
    if (prior > 0)
      for (std::size_t m = 0; m < models; ++m) {
        const double p = sigmoid(theta[m]);
        gradient[m] += prior / 2 - prior * p;
        curvature[m] += prior * p * (1 - p);
      }
    for (std::size_t m = fixed; m < models; ++m) {
      hessian[(m - fixed) * n + (m - fixed)] = curvature[m];
      step[m - fixed] = gradient[m];
    }
    if (!solve_positive_definite(hessian, step, n))
      throw std::runtime_error("bradley_terry: the information matrix is singular");
    // Step halving: L is concave, so some fraction of the Newton direction always increases it.
    double scale = 1;
    double next = current;
    for (int halvings = 0; halvings < 60; ++halvings, scale /= 2) {
      for (std::size_t m = 0; m < models; ++m) trial[m] = m < fixed ? 0 : theta[m] + scale * step[m - fixed];
      next = log_likelihood(pairs, trial, prior);
      if (next >= current - 1e-12 * (1 + std::fabs(current))) break;
    }
    double largest_change = 0;
    for (std::size_t m = fixed; m < models; ++m) largest_change = std::fmax(largest_change, std::fabs(trial[m] - theta[m]));
    theta.swap(trial);
    current = next;
    if (largest_change < log_strength_tolerance) return iteration;
  }
  throw std::runtime_error("bradley_terry: no convergence");
}

inline std::vector<double> to_ratings(const std::vector<double>& theta, const FitOptions& options) {
  double centre = 0;
  double base = 1000;
  if (options.anchor) {
    centre = theta[*options.anchor];
    base = options.anchor_rating;
  } else {
    for (double t : theta) centre += t;
    centre /= static_cast<double>(theta.size());
  }
  std::vector<double> ratings;
  ratings.reserve(theta.size());
  for (double t : theta) ratings.push_back(base + elo_per_logit * (t - centre));
  return ratings;
}

inline void check_options(std::size_t models, const FitOptions& options) {
  if (!(options.prior >= 0) || !std::isfinite(options.prior))
    throw std::invalid_argument("bradley_terry: prior must be a finite number >= 0");
  if (options.anchor && *options.anchor >= models) throw std::invalid_argument("bradley_terry: anchor out of range");
  if (!std::isfinite(options.anchor_rating)) throw std::invalid_argument("bradley_terry: anchor rating not finite");
}

inline Fit fit_from(std::span<const PairOutcomes> pairs, std::size_t models, const FitOptions& options,
                    std::vector<double> start) {
  Fit fit;
  fit.existence = check_existence(pairs, models);
  if (models == 0 || (!fit.existence.exists && !(options.prior > 0))) return fit;
  fit.log_strength = std::move(start);
  if (!(options.prior > 0)) fit.log_strength[0] = 0;
  fit.iterations = newton_fit(pairs, models, options.prior, options.max_iterations, fit.log_strength);
  fit.ratings = to_ratings(fit.log_strength, options);
  fit.fitted = true;
  return fit;
}

}  // namespace detail

// The maximum likelihood fit from theta = 0. `fitted` is false (and log_strength, ratings empty) when
// the estimate does not exist and options.prior is 0; `existence` then names the models.
inline Fit fit_bradley_terry(std::span<const PairOutcomes> pairs, std::size_t models, const FitOptions& options = {}) {
  detail::check_options(models, options);
  for (const PairOutcomes& pair : pairs)
    if (pair.first >= pair.second || pair.second >= models)
      throw std::invalid_argument("fit_bradley_terry: pair out of order or out of range");
  return detail::fit_from(pairs, models, options, std::vector<double>(models, 0.0));
}

struct Interval {
  double low;
  double high;
};

struct BootstrapResult {
  std::vector<Interval> intervals;  // per model, 95 % percentile interval of the rating; NaN if no round fitted
  std::size_t rounds = 0;
  std::size_t failed_rounds = 0;    // resamples whose estimate does not exist (left out of the intervals)
};

// The percentile of sorted values by linear interpolation between order statistics (Hyndman & Fan
// 1996, definition 7; numpy's default): h = (R - 1) q, value = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
inline double percentile_of_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

// Percentile bootstrap over battles: each round draws battles.size() battles with replacement,
// battle k = SplitMix64{seed}.below(battles.size()) (one generator for all rounds, drawn round after
// round), adds each drawn battle's outcome to its (pair, outcome) count and refits on those counts
// (starting from the full fit, which changes the number of steps, not the answer). Each round's
// ratings are normalised as the fit's are (so with an anchor the anchor's interval is a point).
// Interval ends: percentile_of_sorted at 0.025 and 0.975 over the rounds that fitted. The draws pick
// battle indexes, so the intervals (not the fit) depend on the order of the battles as well as the seed.
inline BootstrapResult bootstrap_bradley_terry(std::span<const Battle> battles, std::size_t models,
                                               const FitOptions& options, std::size_t rounds, std::uint64_t seed) {
  detail::check_options(models, options);
  BootstrapResult result;
  result.rounds = rounds;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  result.intervals.assign(models, Interval{nan, nan});
  const std::vector<PairOutcomes> pairs = aggregate_battles(battles, models);
  if (rounds == 0 || battles.empty()) {
    result.failed_rounds = rounds;
    return result;
  }
  // The (pair, outcome) cell of every battle, so a draw is one increment.
  std::vector<std::uint32_t> cell_of(battles.size());
  for (std::size_t k = 0; k < battles.size(); ++k) {
    const Battle& battle = battles[k];
    const std::size_t first = std::min(battle.model_a, battle.model_b);
    const std::size_t second = std::max(battle.model_a, battle.model_b);
    const auto it = std::ranges::lower_bound(pairs, std::pair{first, second}, {},
                                             [](const PairOutcomes& p) { return std::pair{p.first, p.second}; });
    Vote outcome = battle.outcome;
    if (battle.model_a > battle.model_b && outcome != Vote::tie) outcome = outcome == Vote::a ? Vote::b : Vote::a;
    cell_of[k] = static_cast<std::uint32_t>(static_cast<std::size_t>(it - pairs.begin()) * vote_kinds + index_of(outcome));
  }
  const Fit full = fit_bradley_terry(pairs, models, options);
  const std::vector<double> start = full.fitted ? full.log_strength : std::vector<double>(models, 0.0);

  std::vector<std::vector<double>> samples(models);
  std::vector<double> counts(pairs.size() * vote_kinds);
  std::vector<PairOutcomes> resampled = pairs;
  SplitMix64 generator{seed};
  for (std::size_t round = 0; round < rounds; ++round) {
    std::ranges::fill(counts, 0.0);
    for (std::size_t k = 0; k < battles.size(); ++k) counts[cell_of[generator.below(battles.size())]] += 1;
    for (std::size_t p = 0; p < pairs.size(); ++p)
      for (std::size_t o = 0; o < vote_kinds; ++o) resampled[p].counts[o] = counts[p * vote_kinds + o];
    const Fit fit = detail::fit_from(resampled, models, options, start);
    if (!fit.fitted) {
      ++result.failed_rounds;
      continue;
    }
    for (std::size_t m = 0; m < models; ++m) samples[m].push_back(fit.ratings[m]);
  }
  for (std::size_t m = 0; m < models; ++m) {
    std::ranges::sort(samples[m]);
    result.intervals[m] = Interval{percentile_of_sorted(samples[m], 0.025), percentile_of_sorted(samples[m], 0.975)};
  }
  return result;
}

}  // namespace prefline::votes
