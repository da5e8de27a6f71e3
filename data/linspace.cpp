#include <tapegrad/data/linspace.hpp>

namespace tapegrad {

std::vector<double> linspace(double start, double stop, std::size_t n, bool endpoint) {
    std::vector<double> v(n, start);
    const std::size_t div = endpoint ? n - 1 : n;
    if (n == 0 || div == 0) return v;
    // numpy multiplies by the step (it divides first only when the step is 0,
    // which needs a zero range, where both give start).
    const double step = (stop - start) / static_cast<double>(div);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i) * step + start;
    if (endpoint) v[n - 1] = stop;
    return v;
}

}  // namespace tapegrad
