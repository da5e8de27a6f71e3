// gradient_report: the outcome of a gradient check (the overall and
// per-parameter relative differences, the parameters at fault, the worst
// element), and how one is made from an analytic and a numeric gradient.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/tape_audit.hpp>

namespace tapegrad {

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
    // near 1) makes them hundreds of ulps. On a 3-layer ReLU network with a
    // cross-entropy cost the correct gradients' errors stay below 4% of this bound at epsilon 1e-5 to
    // 1e-7. A parameter of n scalars is at fault only when its error exceeds
    // sqrt(n) times this.
    double noise_floor = 0.0;
    // A failed check of a function on a tape also audits that tape (audit_tape):
    // audit.faults names the ops whose backward disagrees with their forward.
    bool audited = false;
    tape_audit_report audit;

    // Names of the parameters at fault, in order.
    std::vector<std::string> culprits() const;
    // Names of the ops the audit found wrong, in tape order (empty when not audited).
    std::vector<std::string> faulty_ops() const { return audit.faulty_ops(); }

    // A multi-line report a person can act on.
    std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const gradient_report& r);

// ||a - b|| / (||a|| + ||b||), and 0 when both are zero vectors.
double relative_difference(const std::vector<double>& a, const std::vector<double>& b);

// Throws value_error naming `fn` unless epsilon and threshold are positive and finite.
void check_tolerances(const std::string& fn, double epsilon, double threshold);

// The rounding error bound of one central difference (gradient_report::noise_floor).
double noise_floor(double cost_scale, double epsilon);

// The Euclidean norm of a flat gradient.
double euclidean_norm(const std::vector<double>& v);

// One named block (a parameter) of a flat gradient vector.
struct gradient_block {
    std::string name;
    shape2 shape;
};

// The report comparing `analytic` with `numeric` (flat, the blocks' elements in
// order, each row-major): overall and per-block differences, the blocks at
// fault and the worst element. cost_scale is the largest |J| met while
// differencing, which sets the noise floor. `evaluations` is left 0.
gradient_report compare_gradients(const std::string& method, const std::vector<gradient_block>& blocks,
                                  const std::vector<double>& analytic, const std::vector<double>& numeric,
                                  double epsilon, double threshold, double cost_scale);

}  // namespace tapegrad
