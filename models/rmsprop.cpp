#include <tapegrad/models/rmsprop.hpp>

#include <cmath>
#include <utility>

namespace tapegrad {

rmsprop::rmsprop(std::vector<parameter*> params, double learning_rate, double alpha, double epsilon,
                 double weight_decay)
    : optimizer("rmsprop", std::move(params), learning_rate, {"s"}), alpha_(alpha), epsilon_(epsilon),
      weight_decay_(weight_decay) {
    check_fraction("alpha", alpha);
    check_positive("epsilon", epsilon);
    check_non_negative("weight_decay", weight_decay);
}

void rmsprop::update(std::size_t i, parameter& p, const matrix& g) {
    const double lr = learning_rate(), a = alpha_, eps = epsilon_, wd = weight_decay_;
    double* w = p.mutable_value().data();
    double* s = moment(i, 0).data();
    const double* d = g.data();
    for (std::size_t k = 0, n = g.size(); k < n; ++k) {
        const double dk = wd == 0.0 ? d[k] : d[k] + wd * w[k];
        s[k] = a * s[k] + (1.0 - a) * (dk * dk);
        w[k] = w[k] - lr * (dk / (std::sqrt(s[k]) + eps));
    }
}

}  // namespace tapegrad
