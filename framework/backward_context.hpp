// backward_context: what a backward rule sees of its node. A rule reads the
// node's gradient and saved values and accumulates into its inputs' gradients.
#pragma once

#include <cstddef>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class tape;
struct node;

class backward_context {
public:
    backward_context(tape& t, node& n) noexcept : tape_(t), node_(n) {}

    // dJ/d(output) of this node.
    const matrix& grad() const;
    // The same buffer, to transform in place when nothing else needs it: a rule
    // that passes on a function of its gradient (linear_relu's masked dZ) saves a
    // buffer and the memory traffic of filling it. Afterwards var::grad() of this
    // node throws instead of returning a gradient that is no longer there.
    matrix& consume_grad();
    // The node's forward output.
    const matrix& value() const;
    // The forward value of input i.
    const matrix& input(std::size_t i) const;
    // Whether input i leads to anything that needs a gradient (skip work if not).
    bool needs_grad(std::size_t i) const;
    // The gradient buffer of input i, in the input's shape: zero-filled on first
    // use in this backward pass, then shared by every consumer, so rules add into it.
    matrix& input_grad(std::size_t i);

    // The same buffer without the zero fill: `fresh` says this is its first use
    // in the pass and its contents are garbage, so the rule must overwrite every
    // element (assign instead of add, or a BLAS beta of 0). Saves a pass over
    // memory per gradient; kernels::deposit does it for elementwise rules.
    struct buffer {
        matrix& grad;
        bool fresh;
    };
    buffer gradient_buffer(std::size_t i);
    // A constant the op saved (e.g. the c of a * c).
    double scalar(std::size_t k) const;
    // Extra matrix k the op saved (e.g. a dropout mask).
    const matrix& saved(std::size_t k = 0) const;

private:
    tape& tape_;
    node& node_;
};

// How an op pushes its gradient to its inputs. A plain function pointer (a
// captureless lambda converts to one), so recording an op never allocates.
using backward_fn = void (*)(backward_context&);

}  // namespace tapegrad
