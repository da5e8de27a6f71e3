// The op table: one row per differentiable op, so the gradient test and the
// check_ops program cover every op automatically. Adding an op means adding a
// row here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <tapegrad/framework/gradient_check.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// Where an op's inputs may be drawn so that central differences are valid:
// positive for log and sqrt, away from 0 for divisors and relu's kink,
// probabilities in (0, 1) for the faithful loss. Labels (0/1) are constants:
// they are not differentiated, so not checked.
enum class input_domain { any, positive, away_from_zero, probability, labels };

struct op_row {
    std::string name;
    std::size_t arity = 1;
    // The domain of each input (size arity).
    std::vector<input_domain> domains;
    // The op on the tape, and the same op evaluated without recording.
    std::function<var(const std::vector<var>&)> apply;
    std::function<matrix(const std::vector<matrix>&)> evaluate;
    // Input shapes to test, one list of `arity` shapes per case.
    std::vector<std::vector<shape2>> shapes;
};

const std::vector<op_row>& op_table();

// A matrix of the given shape with values drawn from the domain (portable:
// the same values on every platform for the same engine state).
matrix random_input(input_domain domain, shape2 shape, std::mt19937_64& rng);

// Gradient-checks one op at one case: J = sum(op(inputs) * R) with a random
// fixed R, so every output element's gradient is weighted differently.
gradient_report check_op(const op_row& row, const std::vector<shape2>& shapes, std::uint64_t seed,
                         const gradient_check_options& options = {});

}  // namespace tapegrad
