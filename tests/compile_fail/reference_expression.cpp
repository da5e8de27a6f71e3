// expect: tape::reference refers to a matrix without copying
// A lazy xtensor expression refers to temporaries; it is no matrix to point at.
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xmanipulation.hpp>

tapegrad::var f(tapegrad::tape& t, const tapegrad::matrix& X) { return t.reference(xt::transpose(X)); }
