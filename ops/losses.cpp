#include <tapegrad/ops/losses.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/ops/test_shapes.hpp>
#include <tapegrad/ops/vector_math.hpp>

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
    kernels::map_array(z, a, kernels::sigmoid);
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

// log(1 + e^z) - z y as max(z, 0) - z y + log1p(e^-|z|): e^-|z| never overflows.
// The exp and log1p run over the whole row (ops/vector_math.hpp).
double bce_logits_forward(const matrix& z, const matrix& y, matrix& terms) {
    check_inputs("binary_cross_entropy_with_logits", z, y);
    kernels::resize(terms, shape_of(z));
    const std::size_t n = z.size();
    double* t = terms.data();
    for (std::size_t k = 0; k < n; ++k) t[k] = -std::fabs(z.data()[k]);
    kernels::exp(t, t, n);
    kernels::log1p(t, t, n);
    for (std::size_t k = 0; k < n; ++k) {
        const double zk = z.data()[k], yk = y.data()[k];
        t[k] = (zk > 0.0 ? zk : 0.0) - zk * yk + t[k];
    }
    const double m = static_cast<double>(z.shape()[1]);
    return (1.0 / m) * kernels::pairwise_sum(terms.data(), terms.size(), 1);
}

// dZ = (sigmoid(Z) - Y) / m, with the sigmoid from e = e^-|z|, which never
// overflows: 1 / (1 + e) for z >= 0, e / (1 + e) below.
void bce_logits_backward(backward_context& c) {
    if (!c.needs_grad(0)) return;
    const double g = c.grad()(0, 0);
    const matrix& z = c.input(0);
    const matrix& y = c.input(1);
    const double m = static_cast<double>(z.shape()[1]);
    const std::size_t n = z.size();
    double* e = kernels::scratch(n);
    for (std::size_t k = 0; k < n; ++k) e[k] = -std::fabs(z.data()[k]);
    kernels::exp(e, e, n);
    c.contribute(0, [&](std::size_t k) {
        const double s = z.data()[k] >= 0.0 ? 1.0 / (1.0 + e[k]) : e[k] / (1.0 + e[k]);
        return g * (s - y.data()[k]) / m;
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

// ---- Multi-class and regression losses ----

// Whether labels of shape `y` are class indices (a (1, m) row) or probabilities
// ((K, m), K > 1), against logits `z` (K, m); shape_error naming both otherwise.
bool labels_are_indices(const char* op, const matrix& z, const matrix& y) {
    const std::size_t k = z.shape()[0], m = z.shape()[1];
    if (k == 0 || m == 0) throw shape_error(std::string(op) + ": got empty logits of shape " + shape_string(z));
    if (y.shape()[1] == m && y.shape()[0] == 1) return true;
    if (y.shape()[1] == m && y.shape()[0] == k) return false;
    throw shape_error(std::string(op) + ": the logits have shape " + shape_string(z) + " but the labels " +
                      shape_string(y) + "; labels must be (1, " + std::to_string(m) + ") class indices or (" +
                      std::to_string(k) + ", " + std::to_string(m) + ") probabilities");
}

// Each index a whole number in [0, K); each probability finite and >= 0.
void check_class_labels(const char* op, const matrix& y, std::size_t classes, bool indices) {
    for (std::size_t k = 0; k < y.size(); ++k) {
        const double v = y.data()[k];
        const std::size_t example = k % y.shape()[1];
        if (indices && !(v >= 0.0 && v < static_cast<double>(classes) && std::floor(v) == v)) {
            throw value_error(std::string(op) + ": the class index of example " + std::to_string(example) + " is " +
                              number_text(v) + "; expected a whole number in [0, " + std::to_string(classes) + ")");
        }
        if (!indices && !(v >= 0.0 && std::isfinite(v))) {
            throw value_error(std::string(op) + ": the label probability of class " + std::to_string(k / y.shape()[1]) +
                              " of example " + std::to_string(example) + " is " + number_text(v) +
                              "; expected a finite number >= 0");
        }
    }
}

// saved(0) = log_softmax(Z); for probabilities, saved(1) = the column sums of Y.
// loss = -(1/m) sum_j log_softmax(Z)[y_j, j], or -(1/m) sum_j sum_k Y_kj log_softmax(Z)_kj:
// each example's term, then the m terms added in numpy's order and divided by m.
void softmax_cross_entropy_forward(forward_context& f) {
    const char* op = "softmax_cross_entropy";
    const matrix& z = f.input(0);
    const matrix& y = f.input(1);
    const bool indices = labels_are_indices(op, z, y);
    check_class_labels(op, y, z.shape()[0], indices);
    matrix& logp = f.saved(0);
    matrix& terms = f.saved(1);
    const std::size_t rows = z.shape()[0], m = z.shape()[1];
    kernels::resize(terms, 2, m);  // row 0: each example's loss; row 1: its labels' sum
    detail::log_softmax_columns(z, logp, terms.data());  // row 0 as scratch first
    for (std::size_t j = 0; j < m; ++j) {
        double t = 0.0, mass = 0.0;
        if (indices) {
            t = -logp(static_cast<std::size_t>(y(0, j)), j);
            mass = 1.0;
        } else {
            for (std::size_t i = 0; i < rows; ++i) {
                t -= y(i, j) * logp(i, j);
                mass += y(i, j);
            }
        }
        terms(0, j) = t;
        terms(1, j) = mass;
    }
    set_cost(f, kernels::pairwise_sum(terms.data(), m, 1) / static_cast<double>(m));
}

// dZ = (softmax(Z) colsum(Y) - Y) / m; for indices colsum(Y) = 1 and Y is one-hot.
void softmax_cross_entropy_backward(backward_context& c) {
    if (!c.needs_grad(0)) return;
    const double g = c.grad()(0, 0);
    const matrix& logp = c.saved(0);
    const matrix& terms = c.saved(1);
    const matrix& y = c.input(1);
    const bool indices = y.shape()[0] == 1;
    const double m = static_cast<double>(logp.shape()[1]);
    double* p = kernels::scratch(logp.size());  // softmax(Z) = exp(log softmax(Z))
    kernels::exp(logp.data(), p, logp.size());
    const std::size_t cols = logp.shape()[1];
    c.contribute(0, [&](std::size_t i, std::size_t j) {
        const double label = indices ? (static_cast<double>(i) == y(0, j) ? 1.0 : 0.0) : y(i, j);
        return g * (p[i * cols + j] * terms(1, j) - label) / m;
    });
}

void check_same_shape(const char* op, const matrix& p, const matrix& t) {
    if (shape_of(p) != shape_of(t)) {
        throw shape_error(std::string(op) + ": the predictions have shape " + shape_string(p) + " but the targets " +
                          shape_string(t) + "; they must match");
    }
    if (p.size() == 0) throw shape_error(std::string(op) + ": got empty inputs of shape " + shape_string(p));
}

// mean(e(p - t)) over all n elements: the terms into saved(0), added in numpy's order.
template <class E>
void mean_error_forward(forward_context& f, const char* op, E e) {
    const matrix& p = f.input(0);
    const matrix& t = f.input(1);
    check_same_shape(op, p, t);
    matrix& terms = f.saved(0);
    kernels::resize(terms, shape_of(p));
    for (std::size_t k = 0; k < p.size(); ++k) terms.data()[k] = e(p.data()[k] - t.data()[k]);
    set_cost(f, kernels::pairwise_sum(terms.data(), terms.size(), 1) / static_cast<double>(p.size()));
}

// dp = G e'(p - t) / n, dt = -dp.
template <class D>
void mean_error_backward(backward_context& c, D de) {
    const double* p = c.input(0).data();
    const double* t = c.input(1).data();
    const double scale = c.grad()(0, 0) / static_cast<double>(c.input(0).size());
    if (c.needs_grad(0)) c.contribute(0, [&](std::size_t k) { return scale * de(p[k] - t[k]); });
    if (c.needs_grad(1)) c.contribute(1, [&](std::size_t k) { return -(scale * de(p[k] - t[k])); });
}

void mse_forward(forward_context& f) { mean_error_forward(f, "mse_loss", [](double d) { return d * d; }); }
void mse_backward(backward_context& c) { mean_error_backward(c, [](double d) { return 2.0 * d; }); }
void mae_forward(forward_context& f) { mean_error_forward(f, "mae_loss", [](double d) { return std::fabs(d); }); }
// sign(p - t), 0 at p == t (PyTorch's l1_loss), NaN for NaN.
void mae_backward(backward_context& c) {
    mean_error_backward(c, [](double d) { return d > 0.0 ? 1.0 : d < 0.0 ? -1.0 : d; });
}

// Logits (K, m) against (1, m) class indices or (K, m) probabilities.
constexpr shape_case class_index_shapes[] = {{{{3, 4}, {1, 4}}}, {{{5, 1}, {1, 1}}}, {{{1, 3}, {1, 3}}},
                                             {{{2, 5}, {1, 5}}}};
constexpr shape_case distribution_shapes[] = {{{{3, 4}, {3, 4}}}, {{{5, 1}, {5, 1}}}, {{{2, 5}, {2, 5}}}};

}  // namespace

using d = input_domain;
const op_descriptor binary_cross_entropy_op{"binary_cross_entropy", 2, {d::probability, d::zero_one},
                                            bce_op_forward, bce_backward, test_shapes::paired};
const op_descriptor binary_cross_entropy_with_logits_op{"binary_cross_entropy_with_logits", 2, {d::any, d::zero_one},
                                                        bce_logits_op_forward, bce_logits_backward,
                                                        test_shapes::paired};
const op_descriptor sigmoid_binary_cross_entropy_op{"sigmoid_binary_cross_entropy", 2, {d::any, d::zero_one},
                                                    sigmoid_bce_op_forward, sigmoid_bce_backward, test_shapes::paired};

// One forward and backward, two descriptors: the label form is in the labels'
// shape, and each form gets its own gradient test (and node name).
const op_descriptor softmax_cross_entropy_op{"softmax_cross_entropy", 2, {d::any, d::class_index},
                                             softmax_cross_entropy_forward, softmax_cross_entropy_backward,
                                             class_index_shapes};
const op_descriptor softmax_cross_entropy_probabilities_op{
    "softmax_cross_entropy_probabilities", 2,   {d::any, d::distribution}, softmax_cross_entropy_forward,
    softmax_cross_entropy_backward,        distribution_shapes};
const op_descriptor mse_loss_op{"mse_loss", 2, {d::any, d::any}, mse_forward, mse_backward, test_shapes::paired};
// The kink at p == t: random inputs meet it with probability 0.
const op_descriptor mae_loss_op{"mae_loss", 2, {d::any, d::any}, mae_forward, mae_backward, test_shapes::paired};

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


namespace {
// The descriptor for these labels: the form is in their shape (a (1, m) row is indices).
const op_descriptor& cross_entropy_for(shape2 labels) {
    return labels.rows == 1 ? softmax_cross_entropy_op : softmax_cross_entropy_probabilities_op;
}
}  // namespace

var softmax_cross_entropy(const var& Z, const var& Y) {
    check_labels("softmax_cross_entropy", Y);
    return record_op(cross_entropy_for(shape_of(Y.value())), {Z, Y});
}
matrix softmax_cross_entropy(const matrix& Z, const matrix& Y) {
    return evaluate_op(cross_entropy_for(shape_of(Y)), {Z, Y});
}
var mse_loss(const var& P, const var& T) { return record_op(mse_loss_op, {P, T}); }
matrix mse_loss(const matrix& P, const matrix& T) { return evaluate_op(mse_loss_op, {P, T}); }
var mae_loss(const var& P, const var& T) { return record_op(mae_loss_op, {P, T}); }
matrix mae_loss(const matrix& P, const matrix& T) { return evaluate_op(mae_loss_op, {P, T}); }

}  // namespace tapegrad
