// expect: tape::watch takes a named, non-const tapegrad::parameter
// backward writes the gradient into the parameter, so a const one cannot be watched.
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(tapegrad::tape& t, const tapegrad::parameter& p) { return t.watch(p); }
