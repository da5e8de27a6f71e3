// expect: tape::reference refers to a matrix without copying
// A 3-D tensor is not a tapegrad value (it used to compile, then crash).
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(tapegrad::tape& t, const xt::xtensor<double, 3>& T) { return t.reference(T); }
