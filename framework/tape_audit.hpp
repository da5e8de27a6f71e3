// The tape audit: checks every recorded op's backward rule against central
// differences of that op's own forward, at the inputs the tape recorded for it.
// When a model's gradient is wrong, the audit names the op whose backward is
// wrong (its name, its position on the tape, the input, the shapes), not only
// the parameters below it.
//
// For each node with a backward rule it draws a random output weighting R and a
// random unit direction u over the inputs that need a gradient, and compares
//   analytic: sum_i <backward_i(R), u_i>   (the rule run into scratch buffers)
//   numeric:  (<R, f(x + eps u)> - <R, f(x - eps u)>) / (2 eps)
// (two forward evaluations of the op alone). Only a node that disagrees is
// looked at input by input, to name the input. Nothing on the tape changes.
//
// At a point where the op is not differentiable along u (relu of an exact 0,
// which a data point at the origin and zero biases give; a tie of max) the
// central difference is the mean of the two one-sided derivatives, which no
// convention need match. A disagreeing node is therefore also evaluated at x
// and at +-eps/10: when its one-sided derivatives differ by far more than the
// threshold, and by as much at eps/10 as at eps (a jump; curvature at a smooth
// point gives a gap that shrinks with the step), it is counted in
// ops_not_differentiable, not judged, instead of being reported wrong. A wrong
// rule of an op that sits at a kink goes unseen there; the full gradient check
// of the model still sees its effect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class tape;

// One op whose backward disagrees with its forward.
struct op_fault {
    std::string op;          // the op's name
    std::size_t node = 0;    // its position on the tape
    std::size_t input = 0;   // the input whose gradient is wrong
    shape2 input_shape;      // that input's shape
    shape2 output_shape;
    double analytic = 0.0;   // the directional derivatives compared
    double numeric = 0.0;
    double difference = 0.0; // |analytic - numeric| / (|analytic| + |numeric|)

    // "backward of op 17 'swish' (input 0, shape (16, 300)) is wrong: difference 0.35"
    std::string to_string() const;
};

struct tape_audit_options {
    double epsilon = 1e-6;
    double threshold = 1e-6;
    std::uint64_t seed = 0;
};

struct tape_audit_report {
    std::size_t ops_checked = 0;     // nodes with a backward rule, audited
    std::size_t ops_skipped = 0;     // not checkable here: a non-finite value at or near the recorded inputs
    std::size_t ops_not_differentiable = 0;  // of ops_checked: at a kink (one-sided derivatives differ), not judged
    std::size_t evaluations = 0;     // forward evaluations of single ops
    std::vector<op_fault> faults;    // in tape order
    bool passed() const { return faults.empty(); }
    // The op names of the faults, in tape order, without repeats.
    std::vector<std::string> faulty_ops() const;
    // "tape audit: 14 ops checked, ..." and one line per fault.
    std::string to_string() const;
};

// Audits every node of `t` that has a backward rule. The tape must hold a
// recorded forward pass (recording on; backward need not have run).
tape_audit_report audit_tape(const tape& t, const tape_audit_options& options = {});

}  // namespace tapegrad
