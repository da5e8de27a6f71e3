// make_circles: scikit-learn's two concentric circles, ported bit for bit on
// the numpy-compatible generator (the course calls it with the global
// RandomState after np.random.seed: seed 1 then 300 points is its training
// set, seed 2 then 100 points its test set).
#pragma once

#include <cstddef>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

// n points: n/2 on the outer circle (label 0), the rest on the inner one
// (radius `factor`, label 1), shuffled, plus normal(0, noise) on each coordinate.
// X is (2, n), Y is (1, n).
dataset make_circles(std::size_t n, random_state& rng, double noise = 0.05, double factor = 0.8);

}  // namespace tapegrad
