// Full-batch gradient descent for an mlp, as the week-1 exercises train: every
// iteration runs forward and the cost on the whole set, backward, then
// W = W - learning_rate * dW for every parameter. A client of train()
// (training.hpp): one batch per epoch, an epoch per iteration, gradient_descent.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <tapegrad/models/mlp.hpp>

namespace tapegrad {

// How dropout masks change from one iteration to the next.
enum class mask_policy {
    fresh,                  // a new mask every iteration from one generator seeded once
    reseed_each_iteration,  // reseed before every forward pass, so the same masks every time (numpy code that seeds inside its forward)
};

struct training_options {
    double learning_rate = 0.01;
    std::int64_t iterations = 15000;
    std::int64_t record_every = 1000;  // the cost of iterations 0, k, 2k, ... is recorded
    cost_options cost;                 // loss and L2 lambda
    double keep_prob = 1.0;            // dropout on the hidden layers when < 1
    std::int64_t dropout_seed = 1;
    mask_policy masks = mask_policy::fresh;
    // Stop with anomaly_error, naming what and when, as soon as training is
    // broken: the cost is NaN, or a gradient holds NaN or infinity (both before
    // that iteration's update, so the parameters are those that produced it), or
    // a parameter becomes NaN or infinite in an update, or the cost stays
    // infinite for divergence_patience iterations in a row (0: never). A few
    // infinite costs are allowed: a saturated sigmoid_bce after large random
    // weights costs +inf for a while (the course's x10 run: its first 46
    // iterations, 98 in all) and recovers.
    bool stop_on_non_finite = true;
    std::int64_t divergence_patience = 1000;
    // Called with each recorded (iteration, cost), e.g. to print progress.
    std::function<void(std::int64_t, double)> on_record;
};

struct training_result {
    // (iteration, cost) every record_every iterations; the cost of iteration i is
    // the one computed by its forward pass, before its update.
    std::vector<std::pair<std::int64_t, double>> costs;
};

// Throws value_error for a learning rate that is not > 0, negative iterations,
// record_every < 1, lambda < 0 or keep_prob outside (0, 1]; shape_error when X
// and Y do not fit the network or have different numbers of examples.
training_result train(mlp& model, const matrix& X, const matrix& Y, const training_options& options);

}  // namespace tapegrad
