// Gradient descent: W = W - learning_rate * dW, in this order of operations
// (numpy's). With weight decay (PyTorch's SGD weight_decay), dW + decay * W.
#pragma once

#include <vector>

#include <tapegrad/models/optimizer.hpp>

namespace tapegrad {

class gradient_descent : public optimizer {
public:
    explicit gradient_descent(std::vector<parameter*> params, double learning_rate = 0.01, double weight_decay = 0.0);

private:
    void update(std::size_t i, parameter& p, const matrix& g) override;
    double weight_decay_;
};

}  // namespace tapegrad
