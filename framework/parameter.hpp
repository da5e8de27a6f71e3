// parameter: a named trainable matrix that lives outside any tape, so its value
// and gradient survive tape.clear(). tape.watch(p) makes a leaf on a tape whose
// gradient lands in p.grad when the tape runs backward.
#pragma once

#include <string>
#include <utility>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class parameter {
public:
    parameter() = default;
    parameter(std::string name, matrix value) : name(std::move(name)), value(std::move(value)) {}

    std::string name;
    matrix value;
    // d(root)/d(value) after the last backward of a tape that watched it; set
    // (not accumulated across backward calls) by tape::backward.
    matrix grad;

    // Whether grad is current: the latest backward of a tape that watched this
    // parameter reached it, and nothing has used the gradient since. A backward
    // whose root does not depend on a watched parameter sets its grad to 0 and
    // marks it not current; an optimizer marks each gradient used after its step,
    // so a parameter the next backward misses is skipped instead of being stepped
    // again with a stale gradient.
    bool grad_current() const noexcept { return grad_current_; }
    void mark_grad_used() noexcept { grad_current_ = false; }

private:
    friend class tape;
    bool grad_current_ = false;
};

}  // namespace tapegrad
