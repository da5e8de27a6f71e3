// backward_context: what an op's backward rule sees of its node, and the one
// way it passes gradients on. A rule reads the incoming gradient G = dJ/d(output),
// the inputs, the output, the scalars and saved matrices, and says what each
// input's gradient contribution is (contribute, contribute_summed,
// contribute_product). The engine decides whether a contribution is written into
// a fresh buffer (the input's first this pass) or added to what other consumers
// of the same input gave: a rule cannot overwrite another's contribution.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <tapegrad/framework/forward_context.hpp>
#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class backward_context {
public:
    const char* op() const noexcept { return op_; }
    std::size_t arity() const noexcept { return arity_; }
    // dJ/d(output) of this node.
    const matrix& grad() const noexcept { return *grad_; }
    // The node's output.
    const matrix& value() const noexcept { return *value_; }
    // The value of input i.
    const matrix& input(std::size_t i) const {
        if (i >= arity_) detail::throw_bad_slot(op_, "input", i, arity_);
        return *inputs_[i];
    }
    double scalar(std::size_t k) const {
        if (k >= max_op_scalars) detail::throw_bad_slot(op_, "scalar", k, max_op_scalars);
        return scalars_[k];
    }
    const matrix& saved(std::size_t k) const {
        if (k >= max_op_saved) detail::throw_bad_slot(op_, "saved matrix", k, max_op_saved);
        return *saved_[k];
    }
    // Whether anything below input i needs a gradient; contributions to an input
    // that needs none are skipped, so test this only to save computing them.
    bool needs_grad(std::size_t i) const {
        if (i >= arity_) detail::throw_bad_slot(op_, "input", i, arity_);
        return targets_[i].grad != nullptr;
    }

    // Input i's gradient gets f(k) for its element k (row-major), or f(row, col):
    // f is called once per element of input i's shape.
    template <class F>
    void contribute(std::size_t i, F f);
    // Input i's gradient gets m, of input i's shape (throws shape_error otherwise).
    void contribute(std::size_t i, const matrix& m);
    // For an input broadcast to the output's shape (a (n,1) column, a (1,m) row or
    // a (1,1) scalar against (n,m)): f(row, col) over the output's shape, summed
    // onto the input's shape; elementwise when the shapes are equal.
    template <class F>
    void contribute_summed(std::size_t i, F f);
    // Input i's gradient gets op(a) op(b), op = transpose where asked, by one BLAS
    // dgemm that writes or accumulates in place.
    void contribute_product(std::size_t i, const matrix& a, bool transpose_a, const matrix& b, bool transpose_b);

    // The incoming gradient's own buffer, to transform in place into what the
    // rule passes on (linear_relu's masked dZ): it saves a buffer and a pass over
    // memory. Afterwards var::grad() of this node throws instead of returning a
    // gradient that is no longer there.
    matrix& consume_grad() noexcept {
        *grad_consumed_ = true;
        return *grad_;
    }

private:
    friend struct detail::context_access;
    backward_context() = default;

    // Where input i's gradient goes: null when it needs none; *written says the
    // buffer already holds this pass's contributions (shared by every consumer).
    struct target {
        matrix* grad = nullptr;
        bool* written = nullptr;
    };
    // The checked target of input i, or nullptr when it needs no gradient. On a
    // fresh buffer, gives it input i's shape; on a written one, checks the shape.
    // `fresh` tells which, and the buffer counts as written from now on.
    matrix* begin_contribution(std::size_t i, const char* how, bool& fresh);

    const char* op_ = "";
    std::size_t arity_ = 0;
    const matrix* inputs_[max_op_inputs] = {};
    const matrix* value_ = nullptr;
    matrix* grad_ = nullptr;
    bool* grad_consumed_ = nullptr;
    const matrix* saved_[max_op_saved] = {};
    const double* scalars_ = nullptr;
    target targets_[max_op_inputs];
};

// An op's backward rule: a plain function, so recording an op never allocates.
using backward_fn = void (*)(backward_context&);

template <class F>
void backward_context::contribute(std::size_t i, F f) {
    bool fresh = false;
    matrix* g = begin_contribution(i, "contribute", fresh);
    if (g == nullptr) return;
    double* p = g->data();
    if constexpr (std::is_invocable_v<F, std::size_t>) {
        const std::size_t n = g->size();
        if (fresh) {
            for (std::size_t k = 0; k < n; ++k) p[k] = f(k);
        } else {
            for (std::size_t k = 0; k < n; ++k) p[k] += f(k);
        }
    } else {
        static_assert(std::is_invocable_v<F, std::size_t, std::size_t>,
                      "backward_context::contribute: f must take an element index (k) or a position (row, col)");
        const std::size_t rows = g->shape()[0], cols = g->shape()[1];
        for (std::size_t r = 0; r < rows; ++r) {
            double* row = p + r * cols;
            if (fresh) {
                for (std::size_t c = 0; c < cols; ++c) row[c] = f(r, c);
            } else {
                for (std::size_t c = 0; c < cols; ++c) row[c] += f(r, c);
            }
        }
    }
}

template <class F>
void backward_context::contribute_summed(std::size_t i, F f) {
    const matrix& out = *grad_;
    const std::size_t rows = out.shape()[0], cols = out.shape()[1];
    const matrix& x = input(i);
    if (x.shape()[0] == rows && x.shape()[1] == cols) {
        contribute(i, f);
        return;
    }
    if ((x.shape()[0] != rows && x.shape()[0] != 1) || (x.shape()[1] != cols && x.shape()[1] != 1)) {
        detail::throw_not_broadcast(op_, i, shape_of(x), shape_of(out));
    }
    bool fresh = false;
    matrix* g = begin_contribution(i, "contribute_summed", fresh);
    if (g == nullptr) return;
    if (fresh) std::fill(g->begin(), g->end(), 0.0);
    // Element by element, in row-major order, onto the broadcast element. A sum
    // over columns is kept in a local, not in memory: the same additions in the
    // same order, without a store and load per element.
    double* p = g->data();
    const bool one_row = x.shape()[0] == 1, one_col = x.shape()[1] == 1;
    if (one_col) {  // a (n, 1) column, or a (1, 1) scalar summing every row
        double s = 0.0;
        for (std::size_t r = 0; r < rows; ++r) {
            if (!one_row || r == 0) s = p[one_row ? 0 : r];
            for (std::size_t c = 0; c < cols; ++c) s += f(r, c);
            if (!one_row) p[r] = s;
        }
        if (one_row) p[0] = s;
    } else {  // a (1, m) row: the output's rows added onto it one after another
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t c = 0; c < cols; ++c) p[c] += f(r, c);
        }
    }
}

}  // namespace tapegrad
