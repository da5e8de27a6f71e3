// expect: tape::watch takes a named, non-const tapegrad::parameter
// The gradient would be written into a parameter that no longer exists.
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(tapegrad::tape& t) { return t.watch(tapegrad::parameter("p", tapegrad::make_matrix(2, 2))); }
