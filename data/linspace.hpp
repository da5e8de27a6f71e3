// linspace: numpy's np.linspace(start, stop, n[, endpoint]) bit for bit, so
// generated data sets match numpy's: value i is i * step + start with step =
// (stop - start) / (n - 1) (n without the endpoint), and with the endpoint the
// last value is exactly stop.
#pragma once

#include <cstddef>
#include <vector>

namespace tapegrad {

std::vector<double> linspace(double start, double stop, std::size_t n, bool endpoint = true);

}  // namespace tapegrad
