// expect: tapegrad's values are 2-D matrices
// constant copies any matrix-shaped expression, but not a tensor of another rank.
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(tapegrad::tape& t, const xt::xtensor<double, 3>& T) { return t.constant(T); }
