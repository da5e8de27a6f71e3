#include <tapegrad/course/course_network.hpp>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/reductions.hpp>
#include <tapegrad/ops/regularization.hpp>

namespace tapegrad {

namespace {

// Plain matrix arithmetic, written out like the course's numpy.
matrix dot(const matrix& a, const matrix& b) { return tapegrad::matmul(a, b); }
matrix T(const matrix& a) { return tapegrad::transpose(a); }

// np.int64(A > 0)
matrix positive(const matrix& a) {
    matrix m = a;
    for (double& v : m) v = v > 0.0 ? 1.0 : 0.0;
    return m;
}

// (A * D) / keep_prob
matrix drop(const matrix& a, const matrix& d, double keep_prob) {
    return tapegrad::div_scalar(tapegrad::mul(a, d), keep_prob);
}

enum class variant { plain, l2, dropout };

named_matrices backward(const matrix& X, const matrix& Y, const course_cache& c, const named_matrices& p,
                        variant v, double lambda, double keep_prob) {
    const double inv_m = 1.0 / static_cast<double>(X.shape()[1]);
    const matrix& W2 = find_named(p, "W2");
    const matrix& W3 = find_named(p, "W3");

    const matrix dZ3 = tapegrad::sub(c.A3, Y);
    matrix dW3 = tapegrad::mul_scalar(dot(dZ3, T(c.A2)), inv_m);
    const matrix db3 = tapegrad::mul_scalar(tapegrad::sum(dZ3, 1), inv_m);
    matrix dA2 = dot(T(W3), dZ3);
    if (v == variant::dropout) dA2 = drop(dA2, c.D2, keep_prob);
    const matrix dZ2 = tapegrad::mul(dA2, positive(c.A2));
    matrix dW2 = tapegrad::mul_scalar(dot(dZ2, T(c.A1)), inv_m);
    const matrix db2 = tapegrad::mul_scalar(tapegrad::sum(dZ2, 1), inv_m);
    matrix dA1 = dot(T(W2), dZ2);
    if (v == variant::dropout) dA1 = drop(dA1, c.D1, keep_prob);
    const matrix dZ1 = tapegrad::mul(dA1, positive(c.A1));
    matrix dW1 = tapegrad::mul_scalar(dot(dZ1, T(X)), inv_m);
    const matrix db1 = tapegrad::mul_scalar(tapegrad::sum(dZ1, 1), inv_m);

    if (v == variant::l2) {
        const double k = lambda / static_cast<double>(X.shape()[1]);  // the course's lambd / m * W
        dW1 = tapegrad::add(dW1, tapegrad::mul_scalar(find_named(p, "W1"), k));
        dW2 = tapegrad::add(dW2, tapegrad::mul_scalar(W2, k));
        dW3 = tapegrad::add(dW3, tapegrad::mul_scalar(W3, k));
    }
    return {{"dW1", dW1}, {"db1", db1}, {"dW2", dW2}, {"db2", db2}, {"dW3", dW3}, {"db3", db3}};
}

course_cache forward(const matrix& X, const named_matrices& p, const matrix* D1, const matrix* D2,
                     double keep_prob) {
    course_cache c;
    c.Z1 = tapegrad::add(dot(find_named(p, "W1"), X), find_named(p, "b1"));
    c.A1 = tapegrad::relu(c.Z1);
    if (D1 != nullptr) {
        c.D1 = *D1;
        c.A1 = drop(c.A1, c.D1, keep_prob);
    }
    c.Z2 = tapegrad::add(dot(find_named(p, "W2"), c.A1), find_named(p, "b2"));
    c.A2 = tapegrad::relu(c.Z2);
    if (D2 != nullptr) {
        c.D2 = *D2;
        c.A2 = drop(c.A2, c.D2, keep_prob);
    }
    c.Z3 = tapegrad::add(dot(find_named(p, "W3"), c.A2), find_named(p, "b3"));
    c.A3 = tapegrad::sigmoid(c.Z3);
    return c;
}

}  // namespace

course_cache course_forward(const matrix& X, const named_matrices& p) {
    return forward(X, p, nullptr, nullptr, 1.0);
}

course_cache course_forward_with_dropout(const matrix& X, const named_matrices& p, double keep_prob,
                                         const matrix& D1, const matrix& D2) {
    if (!(keep_prob > 0.0 && keep_prob <= 1.0)) {
        throw value_error("course_forward_with_dropout: keep_prob must be in (0, 1], got " + std::to_string(keep_prob));
    }
    return forward(X, p, &D1, &D2, keep_prob);
}

double course_cost(const matrix& A3, const matrix& Y) { return tapegrad::binary_cross_entropy(A3, Y)(0, 0); }

double course_cost_with_regularization(const matrix& A3, const matrix& Y, const named_matrices& p, double lambda) {
    const double m = static_cast<double>(Y.shape()[1]);
    const std::vector<matrix> W = {find_named(p, "W1"), find_named(p, "W2"), find_named(p, "W3")};
    return course_cost(A3, Y) + tapegrad::l2_penalty(W, lambda, m)(0, 0);
}

named_matrices course_backward(const matrix& X, const matrix& Y, const course_cache& cache, const named_matrices& p) {
    return backward(X, Y, cache, p, variant::plain, 0.0, 1.0);
}

named_matrices course_backward_with_regularization(const matrix& X, const matrix& Y, const course_cache& cache,
                                                   const named_matrices& p, double lambda) {
    return backward(X, Y, cache, p, variant::l2, lambda, 1.0);
}

named_matrices course_backward_with_dropout(const matrix& X, const matrix& Y, const course_cache& cache,
                                            const named_matrices& p, double keep_prob) {
    return backward(X, Y, cache, p, variant::dropout, 0.0, keep_prob);
}

}  // namespace tapegrad
