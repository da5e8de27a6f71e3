// make_moons: scikit-learn's two interleaving half circles, ported bit for bit
// on the numpy-compatible generator (the course's optimization exercise calls
// it with the global RandomState after np.random.seed(3), 300 points, noise 0.2).
#pragma once

#include <cstddef>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

// n points: n/2 on the upper half circle (cos t, sin t), label 0, the rest on
// the lower one (1 - cos t, 1 - sin t - 0.5), label 1, t in linspace(0, pi);
// shuffled, plus normal(0, noise) on each coordinate. X is (2, n), Y is (1, n).
dataset make_moons(std::size_t n, random_state& rng, double noise = 0.0);

}  // namespace tapegrad
