// check_op: the gradient test an op gets from its declaration. For every test
// case of the descriptor (each shape case with each scalar case) it draws
// inputs from their domains, records the op, and checks
//   J = sum(op(inputs) * R), R a fixed random matrix,
// with the full gradient checker over the inputs that are not constants
// (zero_one, class_index, distribution), and that evaluate_op gives the recorded value bit for bit. The
// library's ops are tested this way (tests/test_op_gradients.cpp), and a user's
// op is checked with the same call.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <tapegrad/framework/gradient_check.hpp>
#include <tapegrad/framework/op.hpp>

namespace tapegrad {

struct op_case_result {
    std::vector<shape2> shapes;   // of the inputs
    scalar_case scalars{};        // the attributes it was recorded with
    gradient_report report;       // the check of J (inputs named a, b, c by position)
    bool values_agree = false;    // evaluate_op gave the recorded value, bit for bit
    bool passed() const { return report.passed && values_agree; }
    // "(3, 4) x (3, 1)", with ", scalar 0.7" when the op has scalar test cases.
    std::string describe(bool with_scalars) const;
};

struct op_check_report {
    std::string op;
    bool has_scalar_cases = false;
    std::vector<op_case_result> cases;
    bool passed() const;
    // One line per case, and the gradient report of every failed one.
    std::string to_string() const;
};

struct op_check_options {
    gradient_check_options gradient;  // epsilon, threshold, threads of each check
    std::uint64_t seed = 1;           // the inputs and R of case k are drawn with seed + k
};

// Checks every test case of `d` (a descriptor without test shapes throws value_error).
op_check_report check_op(const op_descriptor& d, const op_check_options& options = {});

// One case: inputs of the given shapes, recorded with the given scalars.
op_case_result check_op_case(const op_descriptor& d, const shape_case& shapes, const scalar_case& scalars,
                             std::uint64_t seed, const gradient_check_options& options = {});

// A matrix of the given shape with values drawn from the domain (portable: the
// same values on every platform for the same engine state). class_index draws
// whole numbers in [0, classes) and needs classes > 0 (value_error otherwise).
matrix random_input(input_domain domain, shape2 shape, std::mt19937_64& rng, std::size_t classes = 0);

// The inputs of one test case of `d`, drawn one after another from their domains
// (class indices in [0, K), K the rows of input 0).
std::vector<matrix> random_inputs(const op_descriptor& d, const shape_case& shapes, std::mt19937_64& rng);

}  // namespace tapegrad
