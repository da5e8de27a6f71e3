// var: a cheap handle to one node of a tape (the tape, the node's index, and
// the tape's generation, so a handle kept across tape.clear() is caught).
#pragma once

#include <cstddef>
#include <cstdint>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class tape;

class var {
public:
    // An empty handle; using it throws tape_error.
    var() = default;

    // The tape this var lives on (throws tape_error for an empty or stale var).
    tape& owner() const;
    std::size_t index() const noexcept { return index_; }
    bool empty() const noexcept { return tape_ == nullptr; }

    // The forward value, evaluated when the op was recorded.
    const matrix& value() const;
    shape2 shape() const;
    // The value of a 1x1 var (throws shape_error otherwise).
    double item() const;

    // d(root)/d(this var) after tape.backward(root): zeros where no gradient reached.
    matrix grad() const;
    // Whether a watched parameter lies below this var, so backward passes
    // gradients through it (false for constants, references and whatever is
    // computed from them alone, and on a tape that does not record).
    bool requires_grad() const;
    // The name of what made it: an op's name, or "constant", "reference", "watch".
    const char* op() const;

    // Shorthands for owner().backward(*this[, seed]).
    void backward() const;
    void backward(const matrix& seed) const;

private:
    friend class tape;
    var(tape* t, std::size_t index, std::uint64_t generation) noexcept
        : tape_(t), index_(index), generation_(generation) {}

    tape* tape_ = nullptr;
    std::size_t index_ = 0;
    std::uint64_t generation_ = 0;
};

}  // namespace tapegrad
