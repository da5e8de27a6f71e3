// tape_access: the engine files' way into a tape's nodes (record_op,
// evaluate_op, the tape audit). Internal, not installed.
#pragma once

#include <cstddef>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad::detail {

struct tape_access {
    static node& at(tape& t, std::size_t i) noexcept { return t.nodes_[i]; }
    static const node& at(const tape& t, std::size_t i) noexcept { return t.nodes_[i]; }
    static const node& checked(const tape& t, const var& v, const char* op) { return t.node_of(v, op); }
    static node& push(tape& t, const char* op) { return t.push(op); }
    // Takes back the last node (a forward that threw).
    static void pop(tape& t) noexcept { --t.size_; }
    static var handle(tape& t, std::size_t i) noexcept { return t.handle(i); }
    static void check_forward(const tape& t, std::size_t i) { t.check_forward(i); }
    // Held while an op records: refuses a second thread meanwhile.
    static tape::usage_guard guard(const tape& t, const char* op) { return tape::usage_guard(t, op); }

    // The value of node i's input k.
    static const matrix& input_value(const tape& t, const node& n, std::size_t k) noexcept {
        return t.nodes_[n.inputs[k]].current_value();
    }

    // The context of node i's backward rule, its contributions routed to the
    // inputs' gradient buffers (a parameter leaf's is p.grad, shared by every
    // leaf of the parameter through its first one's has_grad).
    static backward_context backward_context_of(tape& t, std::size_t i) {
        node& n = t.nodes_[i];
        const matrix* inputs[max_op_inputs] = {};
        for (std::size_t k = 0; k < n.input_count; ++k) inputs[k] = &input_value(t, n, k);
        const matrix* saved[max_op_saved] = {&n.saved[0], &n.saved[1]};
        backward_context c = context_access::backward(n.op, n.input_count, inputs, n.current_value(), n.grad,
                                                      n.grad_consumed, saved, n.scalars.data());
        for (std::size_t k = 0; k < n.input_count; ++k) {
            node& in = t.nodes_[n.inputs[k]];
            if (!in.requires_grad) continue;
            matrix* g = in.param != nullptr ? &in.param->grad : &in.grad;
            context_access::set_target(c, k, g, &t.grad_owner(n.inputs[k]).has_grad);
        }
        return c;
    }
};

}  // namespace tapegrad::detail
