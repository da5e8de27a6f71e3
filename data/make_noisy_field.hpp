// make_noisy_field: a 2-D data set that invites overfitting, for the
// regularization experiment when the course's football file is not at hand.
// Points are uniform on [-0.75, 0.75]^2 (the football field's scale); the label
// is 1 above a wavy boundary x2 = 0.25 sin(4 x1) and 0 below, and a fraction of
// the labels near the boundary is flipped, so a large network that fits every
// training point learns noise.
#pragma once

#include <cstddef>

#include <tapegrad/data/dataset.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

// n points; each point within `band` of the boundary has its label flipped with
// probability `flip`.
dataset make_noisy_field(std::size_t n, random_state& rng, double flip = 0.3, double band = 0.2);

}  // namespace tapegrad
