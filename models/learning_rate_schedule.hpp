// Learning-rate schedules: the rate to train epoch e (0, 1, ...) at. train()
// sets the optimizer's rate from one before every epoch. Each factory checks its
// settings (value_error naming the setting).
#pragma once

#include <cstdint>
#include <functional>

namespace tapegrad {

using learning_rate_schedule = std::function<double(std::int64_t epoch)>;

// lr0 throughout.
learning_rate_schedule constant_rate(double lr0);

// lr0 / (1 + decay_rate * floor(epoch / interval)): the course's update_lr
// (interval 1) and schedule_lr_decay (time_interval, 1000 in the course).
learning_rate_schedule inverse_time_decay(double lr0, double decay_rate, std::int64_t interval = 1);

// lr0 * gamma^floor(epoch / step_size) (PyTorch's StepLR).
learning_rate_schedule step_decay(double lr0, double gamma, std::int64_t step_size);

// lr0 * gamma^epoch (PyTorch's ExponentialLR).
learning_rate_schedule exponential_decay(double lr0, double gamma);

// min_rate + (lr0 - min_rate) (1 + cos(pi epoch / epochs)) / 2 for epoch < epochs,
// then min_rate (PyTorch's CosineAnnealingLR without restarts).
learning_rate_schedule cosine_decay(double lr0, std::int64_t epochs, double min_rate = 0.0);

// The schedule `epochs` epochs late: epoch e trains at s(max(e - epochs, 0)). The
// course applies its decay after each epoch, so its epoch e >= 1 trains at
// decay(e - 1): delayed(inverse_time_decay(...), 1).
learning_rate_schedule delayed(learning_rate_schedule s, std::int64_t epochs);

}  // namespace tapegrad
