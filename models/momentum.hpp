// Gradient descent with momentum, in the two forms people use:
//   momentum_form::average (the course's): v = beta v + (1 - beta) dW, W = W - lr v
//   momentum_form::classic (PyTorch's SGD): v = beta v + dW,           W = W - lr v
//   momentum_form::nesterov (PyTorch's nesterov=True): v = beta v + dW, W = W - lr (dW + beta v)
// v starts at zero, with no bias correction. Weight decay (PyTorch's) adds
// decay * W to dW first.
#pragma once

#include <vector>

#include <tapegrad/models/optimizer.hpp>

namespace tapegrad {

enum class momentum_form { average, classic, nesterov };

class momentum : public optimizer {
public:
    // beta in [0, 1); value_error otherwise.
    momentum(std::vector<parameter*> params, double learning_rate = 0.01, double beta = 0.9,
             momentum_form form = momentum_form::average, double weight_decay = 0.0);

    // "momentum (average)", "(classic)" or "(nesterov)": v means different things.
    std::string state_kind() const override;

private:
    void update(std::size_t i, parameter& p, const matrix& g) override;
    double beta_;
    momentum_form form_;
    double weight_decay_;
};

}  // namespace tapegrad
