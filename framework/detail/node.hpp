// node: one recorded value of a tape and how to push its gradient back to its
// inputs. Internal to the engine (not installed): ops see a node only through
// forward_context and backward_context.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/forward_context.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/parameter.hpp>

namespace tapegrad {

struct op_descriptor;

namespace detail {

struct node {
    const char* op = "";                           // op name, for messages
    const op_descriptor* descriptor = nullptr;     // null for leaves
    matrix value;                                  // owned forward value
    const matrix* external = nullptr;              // value held elsewhere (parameters, references)
    matrix grad;                                   // dJ/d(value), valid when has_grad
    std::array<matrix, max_op_saved> saved;        // extra state the op keeps for backward
    std::array<std::size_t, max_op_inputs> inputs{};
    std::size_t input_count = 0;
    std::array<double, max_op_scalars> scalars{};
    bool has_backward = false;                     // some parameter lies below: backward runs its rule
    parameter* param = nullptr;                    // leaf watching a parameter
    std::uint64_t watched_version = 0;             // the parameter's version when it was watched
    std::size_t param_primary = 0;                 // the first leaf of the same parameter (set by backward)
    bool requires_grad = false;                    // some parameter lies below this node
    bool has_grad = false;
    bool grad_consumed = false;                    // the backward rule reused grad in place (consume_grad)

    const matrix& current_value() const noexcept { return external ? *external : value; }
};

// Builds the contexts the engine hands to ops (their constructors are private).
struct context_access {
    static forward_context forward(const char* op, std::size_t arity, const matrix* const* inputs, matrix& output,
                                   matrix* const* saved, const double* scalars);
    static backward_context backward(const char* op, std::size_t arity, const matrix* const* inputs,
                                     const matrix& value, matrix& grad, bool& grad_consumed,
                                     const matrix* const* saved, const double* scalars);
    // Input i's gradient goes to `grad` (null: none needed); `written` is shared
    // by every consumer of that gradient buffer.
    static void set_target(backward_context& c, std::size_t i, matrix* grad, bool* written);
};

}  // namespace detail
}  // namespace tapegrad
