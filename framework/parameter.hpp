// parameter: a named trainable matrix that lives outside any tape, so its value
// and gradient survive tape.clear(). tape.watch(p) makes a leaf on a tape whose
// gradient lands in p.grad when the tape runs backward.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class parameter {
public:
    parameter();
    parameter(std::string name, matrix value);
    // The special members are the implicit ones, defined in parameter.cpp so a
    // user's file does not compile and optimize them (two matrices and a
    // string each) wherever a parameter is made, moved or destroyed.
    parameter(const parameter&);
    parameter(parameter&&) noexcept;
    parameter& operator=(const parameter&);
    parameter& operator=(parameter&&) noexcept;
    ~parameter();

    std::string name;
    // d(root)/d(value) after the last backward of a tape that watched it; set
    // (not accumulated across backward calls) by tape::backward.
    matrix grad;

    const matrix& value() const noexcept { return value_; }
    // Changes the value. Every change counts (version()), so a tape that watched
    // the parameter before it refuses to differentiate afterwards: its forward
    // values were computed from the old value, and a gradient from them would be
    // silently wrong.
    void set_value(matrix v) {
        value_ = std::move(v);
        ++version_;
    }
    // The value to change in place (an update step): counts as a change when it
    // is asked for, so take it after backward, not between forward and backward.
    matrix& mutable_value() noexcept {
        ++version_;
        return value_;
    }
    // How many times the value has been changed.
    std::uint64_t version() const noexcept { return version_; }

    // Whether grad is current: the latest backward of a tape that watched this
    // parameter reached it, and nothing has used the gradient since. A backward
    // whose root does not depend on a watched parameter sets its grad to 0 and
    // marks it not current; an optimizer marks each gradient used after its step,
    // so a parameter the next backward misses is skipped instead of being stepped
    // again with a stale gradient.
    bool grad_current() const noexcept { return grad_current_; }
    void mark_grad_used() noexcept { grad_current_ = false; }
    // For a gradient that was not made by a backward (the course's hand-written
    // formulas, or one summed over processes): the next optimizer step uses grad.
    void mark_grad_current() noexcept { grad_current_ = true; }

private:
    friend class tape;
    matrix value_;
    std::uint64_t version_ = 0;
    bool grad_current_ = false;
};

}  // namespace tapegrad
