// Adam with bias correction, the course's and PyTorch's update:
//   v = beta1 v + (1 - beta1) dW,   v_c = v / (1 - beta1^t)
//   s = beta2 s + (1 - beta2) dW^2, s_c = s / (1 - beta2^t)
//   W = W - (lr v_c) / (sqrt(s_c) + eps)       (adam_epsilon::outside, the default)
//   W = W - (lr v_c) / sqrt(s_c + eps)         (adam_epsilon::inside: what the course's
//                                                published unit-test output used)
// t counts this parameter's updates (1, 2, ...). Weight decay is PyTorch's:
// L2 (dW + decay W) for adam, decoupled (W = W (1 - lr decay) before the step) for adamw.
#pragma once

#include <vector>

#include <tapegrad/models/optimizer.hpp>

namespace tapegrad {

enum class adam_epsilon { outside, inside };

struct adam_options {
    double learning_rate = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    adam_epsilon placement = adam_epsilon::outside;
    double weight_decay = 0.0;
    bool decoupled_weight_decay = false;  // AdamW
};

class adam : public optimizer {
public:
    // betas in [0, 1), epsilon > 0, weight_decay >= 0 (value_error otherwise).
    explicit adam(std::vector<parameter*> params, const adam_options& options = {});

private:
    void update(std::size_t i, parameter& p, const matrix& g) override;
    adam_options o_;
};

// AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, PyTorch's
// defaults; other settings through adam_options with decoupled_weight_decay.
adam adamw(std::vector<parameter*> params, double learning_rate = 0.001, double weight_decay = 0.01);

}  // namespace tapegrad
