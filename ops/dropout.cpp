#include <tapegrad/ops/dropout.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

void check_keep_prob(double keep_prob) {
    if (!(keep_prob > 0.0 && keep_prob <= 1.0)) {
        throw value_error("dropout: keep_prob must be in (0, 1], got " + std::to_string(keep_prob));
    }
}

void check_mask(const matrix& a, const matrix& mask) {
    if (shape_of(mask) != shape_of(a)) {
        throw shape_error("dropout: the mask has shape " + shape_string(mask) + " but A has shape " +
                          shape_string(a) + "; they must match");
    }
    for (double v : mask) {
        if (v != 0.0 && v != 1.0) {
            throw value_error("dropout: mask values must be 0 or 1, got " + std::to_string(v));
        }
    }
}

void fill_mask(matrix& mask, shape2 shape, double keep_prob, random_state& rng) {
    kernels::resize(mask, shape);
    for (double& x : mask) x = rng.uniform() < keep_prob ? 1.0 : 0.0;
}

// The course's order: A * D, then / keep_prob.
void dropout_forward(forward_context& f) {
    const matrix& a = f.input(0);
    const matrix& mask = f.input(1);
    const double keep_prob = f.scalar(0);
    check_keep_prob(keep_prob);
    check_mask(a, mask);
    matrix& out = f.output();
    kernels::resize(out, shape_of(a));
    for (std::size_t k = 0; k < a.size(); ++k) out.data()[k] = (a.data()[k] * mask.data()[k]) / keep_prob;
}

// dA = (G * D) / keep_prob
void dropout_backward(backward_context& c) {
    const double* g = c.grad().data();
    const double* mask = c.input(1).data();
    const double keep_prob = c.scalar(0);
    c.contribute(0, [&](std::size_t k) { return (g[k] * mask[k]) / keep_prob; });
}

constexpr scalar_case test_keep_prob[] = {{0.8}};

}  // namespace

const op_descriptor dropout_op{"dropout", 2, {input_domain::any, input_domain::zero_one}, dropout_forward,
                               dropout_backward, test_shapes::paired, test_keep_prob};

matrix dropout_mask(shape2 shape, double keep_prob, random_state& rng) {
    check_keep_prob(keep_prob);
    if (keep_prob == 1.0) return make_matrix(shape, 1.0);
    matrix mask;
    fill_mask(mask, shape, keep_prob, rng);
    return mask;
}

var dropout(const var& A, double keep_prob, random_state& rng, dropout_mode mode) {
    check_keep_prob(keep_prob);
    tape& t = A.owner();  // rejects an empty or stale var
    if (mode == dropout_mode::evaluation || keep_prob == 1.0) return A;
    const shape2 shape = A.shape();
    const var mask = t.constant(shape, [&](matrix& m) { fill_mask(m, shape, keep_prob, rng); });
    return record_op(dropout_op, {A, mask}, {keep_prob});
}

matrix dropout(const matrix& A, double keep_prob, random_state& rng, dropout_mode mode) {
    check_keep_prob(keep_prob);
    if (mode == dropout_mode::evaluation || keep_prob == 1.0) return A;
    matrix mask;
    fill_mask(mask, shape_of(A), keep_prob, rng);
    return evaluate_op(dropout_op, {A, mask}, {keep_prob});
}

var dropout(const var& A, double keep_prob, const matrix& mask) {
    check_keep_prob(keep_prob);
    check_mask(A.value(), mask);
    return record_op(dropout_op, {A, A.owner().constant(mask)}, {keep_prob});
}

matrix dropout(const matrix& A, double keep_prob, const matrix& mask) {
    check_keep_prob(keep_prob);
    return evaluate_op(dropout_op, {A, mask}, {keep_prob});
}

}  // namespace tapegrad
