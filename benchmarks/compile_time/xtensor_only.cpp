// The baseline of benchmarks/compile_time.sh: the one header a tapegrad user
// cannot do without (tapegrad::matrix is xt::xtensor<double, 2>), and nothing else.
#include <xtensor/xtensor.hpp>

int main() { return 0; }
