// The course's data recipes: the circles of its initialization exercise, and
// the generated stand-in for its regularization exercise's football data (used
// when the course's football.mat is not at hand).
#pragma once

#include <tapegrad/data/dataset.hpp>

namespace tapegrad {

// The course's initialization data: make_circles(300) after seed 1 for
// training, make_circles(100) after seed 2 for testing.
split_dataset course_circles();

// The generated stand-in for the football data: 211 training points (seed 1)
// with noisy labels, and 200 test points (seed 2) with clean labels, so the test
// accuracy measures how well the true boundary was learned. A [2, 20, 3, 1]
// network with the course's settings overfits it (98.6% train, 89% test), and L2
// (95.3% / 98.5%) and dropout (94.3% / 97%) close the gap.
split_dataset generated_field();

// The optimization exercise's data: np.random.seed(3), then make_moons(300,
// noise=0.2). It has no test set: accuracy is measured on these 300 points.
dataset course_moons();

}  // namespace tapegrad
