// node: one recorded value of a tape and how to push its gradient back to its
// inputs. The engine's own record; ops reach it through op_builder and
// backward_context.
#pragma once

#include <array>
#include <cstddef>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/parameter.hpp>

namespace tapegrad {

// One recorded value and how to push its gradient back to its inputs.
struct node {
    static constexpr std::size_t max_inputs = 3;

    const char* op = "";                  // op name, for error messages
    matrix value;                          // owned forward value
    const matrix* external = nullptr;      // value held elsewhere (parameters, references)
    matrix grad;                           // dJ/d(value), valid when has_grad
    static constexpr std::size_t max_saved = 2;
    std::array<matrix, max_saved> saved;   // extra state an op keeps for backward
    std::array<std::size_t, max_inputs> inputs{};
    std::size_t input_count = 0;
    std::array<double, 2> scalars{};
    backward_fn backward = nullptr;        // null for leaves
    parameter* param = nullptr;            // leaf watching a parameter
    std::size_t param_primary = 0;         // the first leaf of the same parameter (set by backward)
    bool requires_grad = false;            // some parameter lies below this node
    bool has_grad = false;
    bool grad_consumed = false;            // the backward rule reused grad in place (see consume_grad)

    const matrix& current_value() const noexcept { return external ? *external : value; }
};

}  // namespace tapegrad
