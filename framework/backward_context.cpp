#include <tapegrad/framework/backward_context.hpp>

#include <string>

#include <cblas.h>

#include <tapegrad/framework/detail/blas_memory.hpp>
#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

matrix* backward_context::begin_contribution(std::size_t i, const char* how, bool& fresh) {
    if (i >= arity_) detail::throw_bad_slot(op_, "input", i, arity_);
    const target& t = targets_[i];
    if (t.grad == nullptr) return nullptr;
    const shape2 shape = shape_of(*inputs_[i]);
    fresh = !*t.written;
    if (fresh) {
        ensure_shape(*t.grad, shape);
        *t.written = true;
    } else if (shape_of(*t.grad) != shape) {
        // Another consumer left a buffer of another shape: the input changed shape
        // between the forward pass and now.
        throw shape_error(std::string("op '") + op_ + "': " + how + " to input " + std::to_string(i) + " of shape " +
                          to_string(shape) + ", but its gradient holds shape " + shape_string(*t.grad) +
                          "; did a parameter change shape after the forward pass?");
    }
    return t.grad;
}

void backward_context::contribute(std::size_t i, const matrix& m) {
    if (i < arity_ && shape_of(m) != shape_of(*inputs_[i])) {
        throw shape_error(std::string("op '") + op_ + "': the contribution to input " + std::to_string(i) +
                          " has shape " + shape_string(m) + " but the input has shape " + shape_string(*inputs_[i]));
    }
    const double* p = m.data();
    contribute(i, [p](std::size_t k) { return p[k]; });
}

void backward_context::contribute_product(std::size_t i, const matrix& a, bool transpose_a, const matrix& b,
                                          bool transpose_b) {
    const std::size_t m = transpose_a ? a.shape()[1] : a.shape()[0];
    const std::size_t k = transpose_a ? a.shape()[0] : a.shape()[1];
    const std::size_t k2 = transpose_b ? b.shape()[1] : b.shape()[0];
    const std::size_t n = transpose_b ? b.shape()[0] : b.shape()[1];
    if (i < arity_ && (k != k2 || shape2{m, n} != shape_of(*inputs_[i]))) {
        throw shape_error(std::string("op '") + op_ + "': contribute_product to input " + std::to_string(i) +
                          " of shape " + shape_string(*inputs_[i]) + " from factors " + shape_string(a) +
                          (transpose_a ? "^T" : "") + " and " + shape_string(b) + (transpose_b ? "^T" : "") +
                          ", which do not multiply to that shape");
    }
    bool fresh = false;
    matrix* g = begin_contribution(i, "contribute_product", fresh);
    if (g == nullptr || m == 0 || n == 0) return;
    if (k == 0) {
        if (fresh) std::fill(g->begin(), g->end(), 0.0);
        return;
    }
    // Row-major, contiguous: a row's length is the leading dimension (xtensor's
    // strides are 0 for a dimension of size 1, so they are not read). beta = 0
    // overwrites a fresh buffer, beta = 1 accumulates.
    detail::require_blas_memory(op_);
    cblas_dgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
                static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), 1.0, a.data(),
                static_cast<blasint>(a.shape()[1]), b.data(), static_cast<blasint>(b.shape()[1]), fresh ? 0.0 : 1.0,
                g->data(), static_cast<blasint>(n));
}

namespace detail {

backward_context context_access::backward(const char* op, std::size_t arity, const matrix* const* inputs,
                                          const matrix& value, matrix& grad, bool& grad_consumed,
                                          const matrix* const* saved, const double* scalars) {
    backward_context c;
    c.op_ = op;
    c.arity_ = arity;
    for (std::size_t i = 0; i < arity; ++i) c.inputs_[i] = inputs[i];
    c.value_ = &value;
    c.grad_ = &grad;
    c.grad_consumed_ = &grad_consumed;
    for (std::size_t k = 0; k < max_op_saved; ++k) c.saved_[k] = saved[k];
    c.scalars_ = scalars;
    return c;
}

void context_access::set_target(backward_context& c, std::size_t i, matrix* grad, bool* written) {
    c.targets_[i] = {grad, written};
}

}  // namespace detail

}  // namespace tapegrad
