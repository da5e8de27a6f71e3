// expect: no member named.+input_grad
// A backward rule cannot write an input's gradient buffer (and so cannot assign
// where it must add): it says what the contribution is, and the engine adds it.
#include <tapegrad/tapegrad.hpp>

void wrong_backward(tapegrad::backward_context& c) { c.input_grad(0) = c.grad(); }
