// RMSprop, PyTorch's form: s = alpha s + (1 - alpha) dW^2, W = W - lr dW / (sqrt(s) + eps);
// weight decay adds decay * W to dW first.
#pragma once

#include <vector>

#include <tapegrad/models/optimizer.hpp>

namespace tapegrad {

class rmsprop : public optimizer {
public:
    // alpha in [0, 1), epsilon > 0 (value_error otherwise). PyTorch's defaults.
    explicit rmsprop(std::vector<parameter*> params, double learning_rate = 0.01, double alpha = 0.99,
                     double epsilon = 1e-8, double weight_decay = 0.0);

private:
    void update(std::size_t i, parameter& p, const matrix& g) override;
    double alpha_, epsilon_, weight_decay_;
};

}  // namespace tapegrad
