// Inverted dropout, the course's way: in training, keep each unit when a
// uniform draw is < keep_prob and scale the kept ones by 1/keep_prob, so the
// expected value is unchanged; in evaluation, do nothing.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/random_state.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

enum class dropout_mode { training, evaluation };

// mask = (rand(rows, cols) < keep_prob) drawn from `rng` row-major, in numpy's
// order, as 0/1 values. keep_prob = 1 draws nothing and keeps everything.
matrix dropout_mask(shape2 shape, double keep_prob, random_state& rng);

// A fresh mask per call from the caller's generator: (A * mask) / keep_prob;
// backward passes (dA * mask) / keep_prob with the same mask. In evaluation
// mode, or with keep_prob = 1, it returns A itself and draws nothing.
// (The course reseeds its generator before every forward pass, so every
// iteration draws the same masks; do the same with rng.seed(1) to reproduce it.)
var dropout(const var& A, double keep_prob, random_state& rng, dropout_mode mode = dropout_mode::training);
matrix dropout(const matrix& A, double keep_prob, random_state& rng, dropout_mode mode = dropout_mode::training);

// A fixed mask (0/1 values, A's shape), reused as given: for reproducing a run
// or holding the mask still while gradient checking.
var dropout(const var& A, double keep_prob, const matrix& mask);
matrix dropout(const matrix& A, double keep_prob, const matrix& mask);

}  // namespace tapegrad
