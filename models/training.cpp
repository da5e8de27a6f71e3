#include <tapegrad/models/training.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

void check_options(const training_options& o) {
    if (!(o.learning_rate > 0.0) || !std::isfinite(o.learning_rate)) {
        throw value_error("train: the learning rate must be a finite number > 0, got " + std::to_string(o.learning_rate));
    }
    if (o.iterations < 0) {
        throw value_error("train: the number of iterations must be >= 0, got " + std::to_string(o.iterations));
    }
    if (o.record_every < 1) {
        throw value_error("train: record_every must be >= 1, got " + std::to_string(o.record_every));
    }
    if (!(o.cost.lambda >= 0.0) || !std::isfinite(o.cost.lambda)) {
        throw value_error("train: lambda must be a finite number >= 0, got " + std::to_string(o.cost.lambda));
    }
    if (!(o.keep_prob > 0.0 && o.keep_prob <= 1.0)) {
        throw value_error("train: keep_prob must be in (0, 1], got " + std::to_string(o.keep_prob));
    }
}

}  // namespace

training_result train(mlp& model, const matrix& X, const matrix& Y, const training_options& options) {
    check_options(options);
    model.check_inputs(X, Y, "train");
    training_result result;
    tape t;
    random_state rng(options.dropout_seed);
    const dropout_options dropout{options.keep_prob, &rng};
    const std::vector<parameter*> params = model.parameters();
    const double lr = options.learning_rate;
    for (std::int64_t i = 0; i < options.iterations; ++i) {
        t.clear();
        if (options.masks == mask_policy::reseed_each_iteration) rng.seed(options.dropout_seed);
        var J = model.cost(t, t.reference(X), t.reference(Y), options.cost, dropout);
        const double cost = J.item();
        if (options.stop_on_nan && std::isnan(cost)) {
            throw anomaly_error("train: the cost became NaN at iteration " + std::to_string(i) +
                                " (the parameters are left as they were before it); a learning rate too large for "
                                "this problem (it is " + std::to_string(lr) + ") or NaN in the data are the usual causes");
        }
        t.backward(J);
        // W = W - lr * dW, elementwise, in numpy's order of operations.
        for (parameter* p : params) {
            double* w = p->value.data();
            const double* g = p->grad.data();
            for (std::size_t k = 0, n = p->value.size(); k < n; ++k) w[k] = w[k] - lr * g[k];
        }
        if (i % options.record_every == 0) {
            result.costs.emplace_back(i, cost);
            if (options.on_record) options.on_record(i, cost);
        }
    }
    return result;
}

}  // namespace tapegrad
