#include <tapegrad/ops/losses.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

void check_inputs(const char* op, const matrix& a, const matrix& y) {
    if (shape_of(a) != shape_of(y)) {
        throw shape_error(std::string(op) + ": the predictions have shape " + shape_string(a) +
                          " but the labels Y have shape " + shape_string(y) + "; they must match");
    }
    if (a.size() == 0) throw shape_error(std::string(op) + ": got empty inputs of shape " + shape_string(a));
    // One branch-free pass (the usual case), then the search for the first bad label.
    const double* labels = y.data();
    bool binary = true;
    for (std::size_t k = 0; k < y.size(); ++k) binary &= (labels[k] == 0.0) | (labels[k] == 1.0);
    if (binary) return;
    for (std::size_t k = 0; k < y.size(); ++k) {
        const double v = labels[k];
        if (v != 0.0 && v != 1.0) {
            throw value_error(std::string(op) + ": labels Y must be 0 or 1, got " + std::to_string(v) +
                              " at (" + std::to_string(k / y.shape()[1]) + ", " + std::to_string(k % y.shape()[1]) +
                              ")");
        }
    }
}

// Per-element terms into `terms`, then (1/m) * nansum(terms), in numpy's order;
// the inputs already checked.
double bce_terms(const matrix& a, const matrix& y, matrix& terms) {
    kernels::resize(terms, shape_of(a));
    // The term is (-log a) y + (-log(1 - a))(1 - y). With y exactly 0 or 1 one log
    // gives the same bits: the other product is +0 (added without effect) or,
    // when its log is infinite or NaN, NaN (0 * inf), just as the full formula.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < a.size(); ++k) {
        const double ak = a.data()[k];
        terms.data()[k] = y.data()[k] == 1.0 ? (1.0 - ak > 0.0 ? -std::log(ak) : nan)
                                            : (ak > 0.0 ? -std::log(1.0 - ak) : nan);
    }
    // nansum: NaN terms count as 0; `terms` keeps the NaNs so backward knows
    // which elements were dropped.
    const double m = static_cast<double>(a.shape()[1]);
    return (1.0 / m) * kernels::pairwise_nansum(terms.data(), terms.size(), 1);
}

double bce_forward(const matrix& a, const matrix& y, matrix& terms) {
    check_inputs("binary_cross_entropy", a, y);
    return bce_terms(a, y, terms);
}

// d/dA = (1/m) (-y/a + (1-y)/(1-a)); y is 0 or 1, so one of the two terms.
void bce_backward(backward_context& c) {
    if (!c.needs_grad(0)) return;
    const double g = c.grad()(0, 0);
    const matrix& a = c.input(0);
    const matrix& y = c.input(1);
    const matrix& terms = c.saved(0);
    const double inv_m = 1.0 / static_cast<double>(a.shape()[1]);
    c.contribute(0, [&](std::size_t k) {
        if (std::isnan(terms.data()[k])) return 0.0;  // dropped by nansum: constant 0
        const double ak = a.data()[k];
        const double d = y.data()[k] == 1.0 ? -1.0 / ak : 1.0 / (1.0 - ak);
        return g * inv_m * d;
    });
}

// saved(0) = A = sigmoid(Z), saved(1) = the cost's terms.
double sigmoid_bce_forward(const matrix& z, const matrix& y, matrix& a, matrix& terms) {
    check_inputs("sigmoid_binary_cross_entropy", z, y);
    kernels::map(z, a, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    return bce_terms(a, y, terms);
}

// dZ = (1/m) (A - Y), the course's formula
void sigmoid_bce_backward(backward_context& c) {
    if (!c.needs_grad(0)) return;
    const double g = c.grad()(0, 0);
    const matrix& a = c.saved(0);
    const matrix& y = c.input(1);
    const double inv_m = 1.0 / static_cast<double>(a.shape()[1]);
    c.contribute(0, [&](std::size_t k) { return g * (inv_m * (a.data()[k] - y.data()[k])); });
}

double stable_sigmoid(double z) {
    if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

double bce_logits_forward(const matrix& z, const matrix& y, matrix& terms) {
    check_inputs("binary_cross_entropy_with_logits", z, y);
    kernels::resize(terms, shape_of(z));
    for (std::size_t k = 0; k < z.size(); ++k) {
        const double zk = z.data()[k], yk = y.data()[k];
        terms.data()[k] = (zk > 0.0 ? zk : 0.0) - zk * yk + std::log1p(std::exp(-std::fabs(zk)));
    }
    const double m = static_cast<double>(z.shape()[1]);
    return (1.0 / m) * kernels::pairwise_sum(terms.data(), terms.size(), 1);
}

void bce_logits_backward(backward_context& c) {
    if (!c.needs_grad(0)) return;
    const double g = c.grad()(0, 0);
    const matrix& z = c.input(0);
    const matrix& y = c.input(1);
    const double m = static_cast<double>(z.shape()[1]);
    c.contribute(0, [&](std::size_t k) {
        return g * (stable_sigmoid(z.data()[k]) - y.data()[k]) / m;
    });
}

// The 1x1 cost into the output.
void set_cost(forward_context& f, double cost) {
    kernels::resize(f.output(), 1, 1);
    f.output()(0, 0) = cost;
}

void bce_op_forward(forward_context& f) { set_cost(f, bce_forward(f.input(0), f.input(1), f.saved(0))); }
void bce_logits_op_forward(forward_context& f) {
    set_cost(f, bce_logits_forward(f.input(0), f.input(1), f.saved(0)));
}
void sigmoid_bce_op_forward(forward_context& f) {
    set_cost(f, sigmoid_bce_forward(f.input(0), f.input(1), f.saved(0), f.saved(1)));
}

// Labels are not differentiated: they must not depend on a parameter.
void check_labels(const char* op, const var& y) {
    if (y.requires_grad()) {
        throw value_error(std::string(op) + ": the labels Y depend on a watched parameter; labels are not "
                          "differentiated, pass them as tape.constant or tape.reference");
    }
}

}  // namespace

using d = input_domain;
const op_descriptor binary_cross_entropy_op{"binary_cross_entropy", 2, {d::probability, d::zero_one},
                                            bce_op_forward, bce_backward, test_shapes::paired};
const op_descriptor binary_cross_entropy_with_logits_op{"binary_cross_entropy_with_logits", 2, {d::any, d::zero_one},
                                                        bce_logits_op_forward, bce_logits_backward,
                                                        test_shapes::paired};
const op_descriptor sigmoid_binary_cross_entropy_op{"sigmoid_binary_cross_entropy", 2, {d::any, d::zero_one},
                                                    sigmoid_bce_op_forward, sigmoid_bce_backward, test_shapes::paired};

var binary_cross_entropy(const var& A, const var& Y) {
    check_labels("binary_cross_entropy", Y);
    return record_op(binary_cross_entropy_op, {A, Y});
}
var binary_cross_entropy_with_logits(const var& Z, const var& Y) {
    check_labels("binary_cross_entropy_with_logits", Y);
    return record_op(binary_cross_entropy_with_logits_op, {Z, Y});
}
var sigmoid_binary_cross_entropy(const var& Z, const var& Y) {
    check_labels("sigmoid_binary_cross_entropy", Y);
    return record_op(sigmoid_binary_cross_entropy_op, {Z, Y});
}
matrix binary_cross_entropy(const matrix& A, const matrix& Y) { return evaluate_op(binary_cross_entropy_op, {A, Y}); }
matrix binary_cross_entropy_with_logits(const matrix& Z, const matrix& Y) {
    return evaluate_op(binary_cross_entropy_with_logits_op, {Z, Y});
}
matrix sigmoid_binary_cross_entropy(const matrix& Z, const matrix& Y) {
    return evaluate_op(sigmoid_binary_cross_entropy_op, {Z, Y});
}

}  // namespace tapegrad
