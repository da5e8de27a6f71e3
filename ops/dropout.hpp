// Inverted dropout: in training, keep each unit when a uniform draw is <
// keep_prob and scale the kept ones by 1/keep_prob, so the expected value is
// unchanged; in evaluation, do nothing (docs/ops.md).
#pragma once

#include <tapegrad/framework/op.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

enum class dropout_mode { training, evaluation };

// mask = (rand(rows, cols) < keep_prob) drawn from `rng` row-major, in numpy's
// order, as 0/1 values. keep_prob = 1 draws nothing and keeps everything.
matrix dropout_mask(shape2 shape, double keep_prob, random_state& rng);

// The op: (A * mask) / keep_prob for a 0/1 mask of A's shape (input 1, a
// constant of the tape) and keep_prob (scalar attribute 0); backward passes
// (G * mask) / keep_prob.
extern const op_descriptor dropout_op;

// A fresh mask per call from the caller's generator, as a constant leaf whose
// buffer is reused across tape.clear(). In evaluation mode, or with keep_prob =
// 1, it returns A itself and draws nothing. (To draw the same masks every
// iteration, reseed the generator before every forward pass.)
var dropout(const var& A, double keep_prob, random_state& rng, dropout_mode mode = dropout_mode::training);
matrix dropout(const matrix& A, double keep_prob, random_state& rng, dropout_mode mode = dropout_mode::training);

// A fixed mask (0/1 values, A's shape), copied onto the tape: for reproducing a
// run or holding the mask still while gradient checking.
var dropout(const var& A, double keep_prob, const matrix& mask);
matrix dropout(const matrix& A, double keep_prob, const matrix& mask);

}  // namespace tapegrad
