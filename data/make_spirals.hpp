// make_spirals: the classic K-class spiral data set (CS231n's "spiral data"),
// K arms of points winding out from the origin; no line or single bend
// separates them, so it needs a hidden layer and a softmax output. Made on the
// numpy-compatible generator with numpy's recipe, so numpy gives the same points:
//
//     np.random.seed(seed)
//     for j in range(K):
//         r = np.linspace(0.0, 1, N)
//         t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * noise
//         X[N j : N (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)];  y[...] = j
//
// (sin and cos are the C library's; numpy's own may differ in the last bit.)
#pragma once

#include <cstddef>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

// N = points_per_class points per arm, class j's arm first for j = 0 .. K-1
// (not shuffled). X is (2, N K), Y is (1, N K) with class indices 0 .. K-1.
// Throws value_error for fewer than 2 points per class or 2 classes, or a noise
// that is not finite and >= 0.
dataset make_spirals(std::size_t points_per_class, std::size_t classes, random_state& rng, double noise = 0.2);

}  // namespace tapegrad
