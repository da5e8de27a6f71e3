// forward_context: what an op's forward sees. It reads the inputs' values and
// the op's scalar attributes, and fills the output (and, if backward needs
// more than the inputs and the output, up to two saved matrices). The same
// forward runs when an op is recorded, when it is evaluated on plain matrices,
// and when the tape audit re-runs a node at perturbed inputs, so it must depend
// on nothing else (no generator, no global state).
#pragma once

#include <cstddef>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

inline constexpr std::size_t max_op_inputs = 3;   // inputs of one op
inline constexpr std::size_t max_op_scalars = 2;  // scalar attributes of one op
inline constexpr std::size_t max_op_saved = 2;    // matrices an op saves for backward

namespace detail {
struct context_access;
// tape_error: op `op` asked for `what` number `index`, of which it has `count`.
[[noreturn]] void throw_bad_slot(const char* op, const char* what, std::size_t index, std::size_t count);
// shape_error: input `index` of `op` does not broadcast to the output's shape.
[[noreturn]] void throw_not_broadcast(const char* op, std::size_t index, shape2 input, shape2 output);
}  // namespace detail

class forward_context {
public:
    const char* op() const noexcept { return op_; }
    std::size_t arity() const noexcept { return arity_; }
    // The value of input i (throws tape_error for an input the op does not have).
    const matrix& input(std::size_t i) const {
        if (i >= arity_) detail::throw_bad_slot(op_, "input", i, arity_);
        return *inputs_[i];
    }
    // The output to fill. Its memory is kept across tape.clear(): resize it with
    // ensure_shape, which keeps the memory when the shape is unchanged.
    matrix& output() noexcept { return *output_; }
    // Scalar attribute k, as given to record_op (throws tape_error past max_op_scalars).
    double scalar(std::size_t k) const {
        if (k >= max_op_scalars) detail::throw_bad_slot(op_, "scalar", k, max_op_scalars);
        return scalars_[k];
    }
    // Saved matrix k, for backward (throws tape_error past max_op_saved).
    matrix& saved(std::size_t k) {
        if (k >= max_op_saved) detail::throw_bad_slot(op_, "saved matrix", k, max_op_saved);
        return *saved_[k];
    }

private:
    friend struct detail::context_access;
    forward_context() = default;

    const char* op_ = "";
    std::size_t arity_ = 0;
    const matrix* inputs_[max_op_inputs] = {};
    matrix* output_ = nullptr;
    matrix* saved_[max_op_saved] = {};
    const double* scalars_ = nullptr;
};

// An op's forward: a plain function (a captureless lambda converts to one), so
// recording an op never allocates.
using forward_fn = void (*)(forward_context&);

}  // namespace tapegrad
