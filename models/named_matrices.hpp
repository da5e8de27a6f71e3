// An ordered list of named matrices (W1, b1, W2, ... or dW1, db1, ...): how
// initializers hand out parameters and an mlp exchanges them, like a Python
// dict of numpy arrays whose order is fixed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

using named_matrices = std::vector<std::pair<std::string, matrix>>;

// The matrix named `name`; throws value_error naming the missing key.
const matrix& find_named(const named_matrices& d, const std::string& name);

}  // namespace tapegrad
