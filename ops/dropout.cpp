#include <tapegrad/ops/dropout.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/op_builder.hpp>
#include <tapegrad/ops/kernels.hpp>

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
void apply_mask(const matrix& a, const matrix& mask, double keep_prob, matrix& out) {
    kernels::resize(out, shape_of(a));
    for (std::size_t k = 0; k < a.size(); ++k) out.data()[k] = (a.data()[k] * mask.data()[k]) / keep_prob;
}

// dA = (g * D) / keep_prob, with the mask saved at forward time.
void dropout_backward(backward_context& c) {
    const double* g = c.grad().data();
    const double* mask = c.saved().data();
    const double keep_prob = c.scalar(0);
    kernels::deposit(c, 0, [&](std::size_t k) { return (g[k] * mask[k]) / keep_prob; });
}

// Records a dropout node; `make_mask` fills the node's saved mask.
template <class MakeMask>
var record_dropout(const var& a, double keep_prob, MakeMask make_mask) {
    op_builder r = a.owner().record("dropout", {a}, dropout_backward);
    r.scalar(0, keep_prob);
    make_mask(r.input(0), r.saved());
    apply_mask(r.input(0), r.saved(), keep_prob, r.value());
    return r.result();
}

}  // namespace

matrix dropout_mask(shape2 shape, double keep_prob, random_state& rng) {
    check_keep_prob(keep_prob);
    if (keep_prob == 1.0) return make_matrix(shape, 1.0);
    matrix mask;
    fill_mask(mask, shape, keep_prob, rng);
    return mask;
}

var dropout(const var& A, double keep_prob, random_state& rng, dropout_mode mode) {
    check_keep_prob(keep_prob);
    if (mode == dropout_mode::evaluation || keep_prob == 1.0) {
        A.owner();  // still reject an empty or stale var
        return A;
    }
    return record_dropout(A, keep_prob,
                          [&](const matrix& a, matrix& mask) { fill_mask(mask, shape_of(a), keep_prob, rng); });
}

matrix dropout(const matrix& A, double keep_prob, random_state& rng, dropout_mode mode) {
    check_keep_prob(keep_prob);
    if (mode == dropout_mode::evaluation || keep_prob == 1.0) return A;
    matrix mask, out;
    fill_mask(mask, shape_of(A), keep_prob, rng);
    apply_mask(A, mask, keep_prob, out);
    return out;
}

var dropout(const var& A, double keep_prob, const matrix& mask) {
    check_keep_prob(keep_prob);
    return record_dropout(A, keep_prob, [&](const matrix& a, matrix& saved) {
        check_mask(a, mask);
        kernels::resize(saved, shape_of(mask));
        std::copy(mask.begin(), mask.end(), saved.begin());
    });
}

matrix dropout(const matrix& A, double keep_prob, const matrix& mask) {
    check_keep_prob(keep_prob);
    check_mask(A, mask);
    matrix out;
    apply_mask(A, mask, keep_prob, out);
    return out;
}

}  // namespace tapegrad
