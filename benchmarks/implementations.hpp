// The implementations built into the benchmark executable. (libtorch lives in
// its own module, libtorch_step.cpp, loaded only where it is measured.)
#pragma once

#include <memory>

#include "implementation.hpp"
#include "problems.hpp"

namespace tapegrad::bench {

// tapegrad's mlp on a tape kept across steps, exactly as train() runs an iteration.
std::unique_ptr<implementation> make_tapegrad(const problem& p);

// The hand-written baseline: cblas_dgemm and plain loops on buffers allocated once.
std::unique_ptr<implementation> make_floor(const problem_view& p);

}  // namespace tapegrad::bench
