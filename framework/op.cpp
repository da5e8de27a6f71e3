#include <tapegrad/framework/op.hpp>

#include <string>

#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/detail/tape_access.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

namespace {

void check_arity(const op_descriptor& d, std::size_t given) {
    if (given != d.arity) {
        throw value_error(std::string("op '") + d.name + "' takes " + std::to_string(d.arity) + " input" +
                          (d.arity == 1 ? "" : "s") + ", got " + std::to_string(given));
    }
    if (d.arity == 0 || d.arity > max_op_inputs || d.forward == nullptr || d.backward == nullptr) {
        throw value_error(std::string("op '") + d.name + "': a descriptor needs 1 to " +
                          std::to_string(max_op_inputs) + " inputs, a forward and a backward");
    }
}

}  // namespace

var record_op(const op_descriptor& d, std::initializer_list<var> inputs, const scalar_case& scalars) {
    check_arity(d, inputs.size());
    tape& t = inputs.begin()->owner();
    const auto guard = detail::tape_access::guard(t, d.name);
    bool requires = false;
    for (const var& v : inputs) requires = detail::tape_access::checked(t, v, d.name).requires_grad || requires;
    detail::node& n = detail::tape_access::push(t, d.name);
    const std::size_t index = t.size() - 1;
    n.descriptor = &d;
    for (const var& v : inputs) n.inputs[n.input_count++] = v.index();
    n.scalars = scalars;
    // A node below which nothing needs a gradient runs no backward rule.
    n.requires_grad = requires;
    n.has_backward = requires;
    try {
        const matrix* in[max_op_inputs] = {};
        for (std::size_t k = 0; k < n.input_count; ++k) in[k] = &detail::tape_access::input_value(t, n, k);
        matrix* saved[max_op_saved] = {&n.saved[0], &n.saved[1]};
        forward_context f = detail::context_access::forward(d.name, d.arity, in, n.value, saved, n.scalars.data());
        d.forward(f);
        if (t.anomaly_detection()) detail::tape_access::check_forward(t, index);
    } catch (...) {
        detail::tape_access::pop(t);  // the tape is as it was
        throw;
    }
    return detail::tape_access::handle(t, index);
}

matrix evaluate_op(const op_descriptor& d, std::initializer_list<std::reference_wrapper<const matrix>> inputs,
                   const scalar_case& scalars) {
    check_arity(d, inputs.size());
    const matrix* in[max_op_inputs] = {};
    std::size_t k = 0;
    for (const matrix& m : inputs) in[k++] = &m;
    matrix out, saved0, saved1;
    matrix* saved[max_op_saved] = {&saved0, &saved1};
    forward_context f = detail::context_access::forward(d.name, d.arity, in, out, saved, scalars.data());
    d.forward(f);
    return out;
}

}  // namespace tapegrad
