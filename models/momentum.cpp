#include <tapegrad/models/momentum.hpp>

#include <utility>

namespace tapegrad {

momentum::momentum(std::vector<parameter*> params, double learning_rate, double beta, momentum_form form,
                   double weight_decay)
    : optimizer("momentum", std::move(params), learning_rate, {"v"}), beta_(beta), form_(form),
      weight_decay_(weight_decay) {
    check_fraction("beta", beta);
    check_non_negative("weight_decay", weight_decay);
}

std::string momentum::state_kind() const {
    switch (form_) {
        case momentum_form::classic: return "momentum (classic)";
        case momentum_form::nesterov: return "momentum (nesterov)";
        case momentum_form::average: break;
    }
    return "momentum (average)";
}

void momentum::update(std::size_t i, parameter& p, const matrix& g) {
    const double lr = learning_rate(), beta = beta_, wd = weight_decay_;
    double* w = p.mutable_value().data();
    double* v = moment(i, 0).data();
    const double* d = g.data();
    for (std::size_t k = 0, n = g.size(); k < n; ++k) {
        const double dk = wd == 0.0 ? d[k] : d[k] + wd * w[k];
        switch (form_) {
            case momentum_form::average:
                v[k] = beta * v[k] + (1.0 - beta) * dk;
                w[k] = w[k] - lr * v[k];
                break;
            case momentum_form::classic:
                v[k] = beta * v[k] + dk;
                w[k] = w[k] - lr * v[k];
                break;
            case momentum_form::nesterov:
                v[k] = beta * v[k] + dk;
                w[k] = w[k] - lr * (dk + beta * v[k]);
                break;
        }
    }
}

}  // namespace tapegrad
