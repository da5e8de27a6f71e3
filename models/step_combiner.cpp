#include <tapegrad/models/step_combiner.hpp>

namespace tapegrad {

// The key function: the vtable is emitted here, once.
step_combiner::~step_combiner() = default;

}  // namespace tapegrad
