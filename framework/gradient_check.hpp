// The numerical gradient checker: compares analytic gradients (from a tape's
// backward, or from hand-written formulas) with central differences
//   g~_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)
// using the course's relative difference ||g - g~|| / (||g|| + ||g~||).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/named_matrices.hpp>
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

// The course's values: epsilon 1e-7, and the threshold it settled on (2e-7;
// at epsilon 1e-7 a correct 3-layer gradient already shows 1.2e-7 of rounding noise).
inline constexpr double course_epsilon = 1e-7;
inline constexpr double course_threshold = 2e-7;

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

struct parameter_difference {
    std::string name;
    double difference = 0.0;  // relative difference over this parameter alone
    double error = 0.0;       // ||analytic - numeric|| over this parameter
    // The difference exceeds the threshold and the error is well above what
    // rounding in the central differences can explain (see noise_floor): this
    // parameter's gradient is wrong. A parameter with a tiny gradient can exceed
    // the threshold on rounding noise alone without being at fault.
    bool at_fault = false;
};

// The element with the largest |analytic - numeric|.
struct worst_element {
    std::string parameter;
    std::size_t row = 0;
    std::size_t col = 0;
    double analytic = 0.0;
    double numeric = 0.0;
};

struct gradient_report {
    std::string method;        // "full", "fast", or "fast, then full" after a failed fast check
    double difference = 0.0;   // overall relative difference (fast: the worst direction's)
    double threshold = 0.0;
    double epsilon = 0.0;
    bool passed = false;       // difference <= threshold (NaN fails)
    std::vector<parameter_difference> parameters;  // empty for a fast check that passed
    worst_element worst;
    std::size_t evaluations = 0;  // forward passes of the function
    std::string note;             // anything else the reader should know; printed by to_string()
    // ||analytic gradient||: 0 means the check passed vacuously (nothing depends
    // on the parameters there); to_string() says so.
    double gradient_norm = 0.0;
    // A bound on the rounding error of one central difference,
    // 1024 * 2^-52 * max|J| / epsilon: J(theta +- eps) carry rounding errors that
    // the division by 2 eps magnifies, and cancellation inside J (log(1 - A) for A
    // near 1) makes them hundreds of ulps. On the course's 3-layer case the
    // correct gradients' errors stay below 4% of this bound at epsilon 1e-5 to
    // 1e-7. A parameter of n scalars is at fault only when its error exceeds
    // sqrt(n) times this.
    double noise_floor = 0.0;

    // Names of the parameters at fault, in order.
    std::vector<std::string> culprits() const;

    // A multi-line report a person can act on.
    std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const gradient_report& r);

// ||a - b|| / (||a|| + ||b||), and 0 when both are zero vectors.
double relative_difference(const std::vector<double>& a, const std::vector<double>& b);

// A function that builds a 1x1 result on the tape it is given, watching the
// parameters it depends on. It is called many times, on a cleared tape each
// time. It must reach every parameter through tape.watch: the perturbed
// evaluations run on tapes that record nothing and substitute perturbed copies
// for the parameters' values (tape::substitute), so the caller's parameters are
// never modified and the evaluations can run in parallel.
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

// ---- The course's interface --------------------------------------------------

// 1-D check of a function of one number: J(theta) and its claimed derivative.
gradient_report gradient_check_1d(const std::function<double(double)>& J, const std::function<double(double)>& dJ,
                                  double theta, double epsilon = course_epsilon,
                                  double threshold = course_threshold);

// All parameters flattened in order, each row-major, with the name of the
// parameter each value came from (the course's dictionary_to_vector).
struct flat_parameters {
    std::vector<double> values;
    std::vector<std::string> keys;
};
flat_parameters dictionary_to_vector(const named_matrices& parameters);
// The inverse, with names and shapes taken from `layout`.
named_matrices vector_to_dictionary(const std::vector<double>& values, const named_matrices& layout);
// The gradients flattened in the same order (the course's gradients_to_vector).
std::vector<double> gradients_to_vector(const named_matrices& gradients);

// N-D check: `gradients` (named like dW1, db1, ...) against central differences
// of `cost` over every scalar of `parameters`, in order. Passes when the overall
// difference is at most `threshold`; the report names the parameters by the
// gradients' names.
gradient_report gradient_check_n(const named_matrices& parameters, const named_matrices& gradients,
                                 const std::function<double(const named_matrices&)>& cost,
                                 double epsilon = course_epsilon, double threshold = course_threshold);

}  // namespace tapegrad
