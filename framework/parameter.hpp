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
};

}  // namespace tapegrad
