#include <tapegrad/ops/regularization.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/elementwise_math.hpp>
#include <tapegrad/ops/reductions.hpp>

namespace tapegrad {

namespace {

void check_settings(std::size_t count, double lambda, double m) {
    if (count == 0) throw value_error("l2_penalty: the list of weight matrices is empty; pass at least one");
    if (!(lambda >= 0.0) || !std::isfinite(lambda)) {
        throw value_error("l2_penalty: lambda must be a finite number >= 0, got " + std::to_string(lambda));
    }
    if (!(m > 0.0) || !std::isfinite(m)) {
        throw value_error("l2_penalty: m (the number of examples) must be > 0, got " + std::to_string(m));
    }
}

// Written once for var and matrix: the primitives give the gradient for free.
// Qualified calls: unqualified, argument-dependent lookup would pick xtensor's
// lazy xt::sum for a matrix temporary.
template <class T>
T penalty(const std::vector<T>& weights, double lambda, double m) {
    check_settings(weights.size(), lambda, m);
    T total = tapegrad::sum(tapegrad::square(weights[0]));
    for (std::size_t l = 1; l < weights.size(); ++l) {
        total = tapegrad::add(total, tapegrad::sum(tapegrad::square(weights[l])));
    }
    return tapegrad::mul_scalar(total, (1.0 / m) * (lambda / 2.0));
}

}  // namespace

var l2_penalty(const std::vector<var>& weights, double lambda, double m) { return penalty(weights, lambda, m); }

matrix l2_penalty(const std::vector<matrix>& weights, double lambda, double m) {
    return penalty(weights, lambda, m);
}

}  // namespace tapegrad
