#include <tapegrad/framework/backward_context.hpp>

#include <algorithm>

#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

const matrix& backward_context::grad() const { return node_.grad; }

matrix& backward_context::consume_grad() {
    node_.grad_consumed = true;
    return node_.grad;
}

const matrix& backward_context::value() const { return node_.current_value(); }

const matrix& backward_context::input(std::size_t i) const {
    return tape_.node_at(node_.inputs[i]).current_value();
}

bool backward_context::needs_grad(std::size_t i) const { return tape_.node_at(node_.inputs[i]).requires_grad; }

backward_context::buffer backward_context::gradient_buffer(std::size_t i) {
    const std::size_t index = node_.inputs[i];
    node& in = tape_.node_at(index);
    node& owner = tape_.grad_owner(index);
    matrix& g = in.param != nullptr ? in.param->grad : in.grad;
    const bool fresh = !owner.has_grad;
    if (fresh) {
        ensure_shape(g, shape_of(in.current_value()));
        owner.has_grad = true;
    }
    return {g, fresh};
}

matrix& backward_context::input_grad(std::size_t i) {
    buffer b = gradient_buffer(i);
    if (b.fresh) std::fill(b.grad.begin(), b.grad.end(), 0.0);
    return b.grad;
}

double backward_context::scalar(std::size_t k) const { return node_.scalars[k]; }

const matrix& backward_context::saved(std::size_t k) const { return node_.saved[k]; }

}  // namespace tapegrad
