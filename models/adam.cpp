#include <tapegrad/models/adam.hpp>

#include <cmath>
#include <utility>

namespace tapegrad {

adam::adam(std::vector<parameter*> params, const adam_options& options)
    : optimizer(options.decoupled_weight_decay ? "adamw" : "adam", std::move(params), options.learning_rate,
                {"v", "s"}),
      o_(options) {
    check_fraction("beta1", options.beta1);
    check_fraction("beta2", options.beta2);
    check_positive("epsilon", options.epsilon);
    check_non_negative("weight_decay", options.weight_decay);
}

namespace {

enum class decay { none, l2, decoupled };

// One loop per epsilon placement and kind of weight decay, so that no test
// runs per element. The course's order of operations, so its numbers
// reproduce bit for bit.
template <bool inside, decay kind>
void adam_loop(double* w, double* v, double* s, const double* d, std::size_t n, double lr, double b1, double b2,
               double eps, double wd, double c1, double c2) {
    for (std::size_t k = 0; k < n; ++k) {
        if (kind == decay::decoupled) w[k] = w[k] * (1.0 - lr * wd);
        const double g = kind == decay::l2 ? d[k] + wd * w[k] : d[k];
        v[k] = b1 * v[k] + (1.0 - b1) * g;
        const double v_c = v[k] / c1;
        s[k] = b2 * s[k] + (1.0 - b2) * (g * g);
        const double s_c = s[k] / c2;
        w[k] = w[k] - (lr * v_c) / (inside ? std::sqrt(s_c + eps) : std::sqrt(s_c) + eps);
    }
}

template <bool inside>
void adam_loop(decay kind, double* w, double* v, double* s, const double* d, std::size_t n, double lr, double b1,
               double b2, double eps, double wd, double c1, double c2) {
    switch (kind) {
        case decay::none: return adam_loop<inside, decay::none>(w, v, s, d, n, lr, b1, b2, eps, wd, c1, c2);
        case decay::l2: return adam_loop<inside, decay::l2>(w, v, s, d, n, lr, b1, b2, eps, wd, c1, c2);
        case decay::decoupled:
            return adam_loop<inside, decay::decoupled>(w, v, s, d, n, lr, b1, b2, eps, wd, c1, c2);
    }
}

}  // namespace

void adam::update(std::size_t i, parameter& p, const matrix& g) {
    const double lr = learning_rate(), wd = o_.weight_decay;
    const double t = static_cast<double>(steps(i));
    const double c1 = 1.0 - std::pow(o_.beta1, t), c2 = 1.0 - std::pow(o_.beta2, t);
    const decay kind = wd == 0.0 ? decay::none : o_.decoupled_weight_decay ? decay::decoupled : decay::l2;
    double* w = p.mutable_value().data();
    double* v = moment(i, 0).data();
    double* s = moment(i, 1).data();
    if (o_.placement == adam_epsilon::inside) {
        adam_loop<true>(kind, w, v, s, g.data(), g.size(), lr, o_.beta1, o_.beta2, o_.epsilon, wd, c1, c2);
    } else {
        adam_loop<false>(kind, w, v, s, g.data(), g.size(), lr, o_.beta1, o_.beta2, o_.epsilon, wd, c1, c2);
    }
}

adam adamw(std::vector<parameter*> params, double learning_rate, double weight_decay) {
    adam_options o;
    o.learning_rate = learning_rate;
    o.weight_decay = weight_decay;
    o.decoupled_weight_decay = true;
    return adam(std::move(params), o);
}

}  // namespace tapegrad
