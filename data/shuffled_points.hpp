// What scikit-learn's make_circles and make_moons do last, shared by their
// ports: the points (x, y, label), in their rows' order, shuffled by a
// permutation of the generator, then normal(0, noise) added to each coordinate,
// row-major over (point, coordinate). X is (2, n), Y is (1, n).
#pragma once

#include <vector>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

dataset shuffled_points(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& label,
                        random_state& rng, double noise);

}  // namespace tapegrad
