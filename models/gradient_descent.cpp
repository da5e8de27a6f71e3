#include <tapegrad/models/gradient_descent.hpp>

#include <utility>

namespace tapegrad {

gradient_descent::gradient_descent(std::vector<parameter*> params, double learning_rate, double weight_decay)
    : optimizer("gradient_descent", std::move(params), learning_rate, {}), weight_decay_(weight_decay) {
    check_non_negative("weight_decay", weight_decay);
}

void gradient_descent::update(std::size_t, parameter& p, const matrix& g) {
    const double lr = learning_rate(), wd = weight_decay_;
    double* w = p.mutable_value().data();
    const double* d = g.data();
    const std::size_t n = g.size();
    if (wd == 0.0) {
        for (std::size_t k = 0; k < n; ++k) w[k] = w[k] - lr * d[k];
    } else {
        for (std::size_t k = 0; k < n; ++k) w[k] = w[k] - lr * (d[k] + wd * w[k]);
    }
}

}  // namespace tapegrad
