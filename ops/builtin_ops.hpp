// Every op the library declares, in the order of docs/ops.md: what the
// generated gradient test (tests/test_op_gradients.cpp) and check_ops walk.
#pragma once

#include <vector>

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

const std::vector<const op_descriptor*>& builtin_ops();

}  // namespace tapegrad
