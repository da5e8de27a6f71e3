// The numerical gradient checker: compares analytic gradients (from a tape's
// backward, or from hand-written formulas) with central differences
//   g~_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)
// using the relative difference ||g - g~|| / (||g|| + ||g~||).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/gradient_report.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

// Defaults of check_gradients. Central differences err by about
// eps^2 |J'''| / 6 (truncation) plus 1e-16 |J| / eps (rounding); eps = 1e-6
// keeps both near 1e-11 for values of order 1, so a correct gradient lands 4-5
// orders of magnitude below the threshold, while one wrong element of a few
// dozen moves the difference to 1e-3 or more.
inline constexpr double default_epsilon = 1e-6;
inline constexpr double default_threshold = 1e-6;

struct gradient_check_options {
    double epsilon = default_epsilon;
    double threshold = default_threshold;
    // Worker threads for the perturbed evaluations; 0 uses every core. With more
    // than one, the function is called from several threads at once, so it must
    // not share mutable state (a generator, a counter) between calls.
    unsigned threads = 0;
};

struct fast_check_options {
    double epsilon = default_epsilon;
    double threshold = default_threshold;
    // Random unit directions tried; each costs two forward passes. One catches a
    // wrong element with probability 1 (its error meets a random u_i != 0).
    std::size_t directions = 1;
    std::uint64_t seed = 0;
    unsigned threads = 0;  // for the full check after a failure (see gradient_check_options)
    // After a failed fast check the full check runs only up to this many scalars
    // (2 evaluations each); above, the failed fast report comes back with a note.
    std::size_t full_check_limit = 20000;
};

// A function that builds a 1x1 result on the tape it is given, watching the
// parameters it depends on. It is called many times, on a cleared tape each
// time. It must reach every parameter through tape.watch: the perturbed
// evaluations run on tapes that record nothing and substitute perturbed copies
// for the parameters' values (tape::substitute), so they can run in parallel.
// Only the two evaluations that check the function is checkable move the
// caller's parameters themselves, and restore them bit for bit afterwards (also
// when f throws); other threads must not read the parameters during a check.
using scalar_function = std::function<var(tape&)>;

// Full check: every scalar of every parameter, the perturbed evaluations spread
// over options.threads workers.
gradient_report check_gradients(const scalar_function& f, const std::vector<parameter*>& params,
                                const gradient_check_options& options = {});

// Fast check: v^T J u against its central difference along a random unit
// direction u (or several: options.directions; 2 forward passes each), after one
// backward. On failure it runs the full
// check to name the culprit and returns that report.
gradient_report check_gradients_fast(const scalar_function& f, const std::vector<parameter*>& params,
                                     const fast_check_options& options = {});

}  // namespace tapegrad
