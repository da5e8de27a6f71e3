#include <tapegrad/framework/forward_context.hpp>

#include <string>

#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad::detail {

void throw_bad_slot(const char* op, const char* what, std::size_t index, std::size_t count) {
    throw tape_error(std::string("op '") + op + "': " + what + " " + std::to_string(index) + " does not exist; it has " +
                     std::to_string(count) + " (numbered from 0)");
}

void throw_not_broadcast(const char* op, std::size_t index, shape2 input, shape2 output) {
    throw shape_error(std::string("op '") + op + "': input " + std::to_string(index) + " has shape " +
                      to_string(input) + ", which does not broadcast to the output's shape " + to_string(output));
}

forward_context context_access::forward(const char* op, std::size_t arity, const matrix* const* inputs, matrix& output,
                                        matrix* const* saved, const double* scalars) {
    forward_context f;
    f.op_ = op;
    f.arity_ = arity;
    for (std::size_t i = 0; i < arity; ++i) f.inputs_[i] = inputs[i];
    f.output_ = &output;
    for (std::size_t k = 0; k < max_op_saved; ++k) f.saved_[k] = saved[k];
    f.scalars_ = scalars;
    return f;
}

}  // namespace tapegrad::detail
