#include <tapegrad/models/training.hpp>

#include <cmath>
#include <sstream>
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
    if (o.divergence_patience < 0) {
        throw value_error("train: divergence_patience must be >= 0 (0 turns it off), got " +
                          std::to_string(o.divergence_patience));
    }
    if (!(o.keep_prob > 0.0 && o.keep_prob <= 1.0)) {
        throw value_error("train: keep_prob must be in (0, 1], got " + std::to_string(o.keep_prob));
    }
}

// What stops a broken training run (training_options::stop_on_non_finite).
class divergence_watch {
public:
    divergence_watch(double learning_rate, std::int64_t patience) : lr_(learning_rate), patience_(patience) {}

    void check_cost(std::int64_t i, double cost) {
        if (std::isnan(cost)) {
            throw anomaly_error("train: the cost became NaN at iteration " + std::to_string(i) +
                                " (the parameters are left as they were before it); a learning rate too large for "
                                "this problem (it is " + number(lr_) + ") or NaN in the data are the usual causes");
        }
        if (!std::isinf(cost)) {
            infinite_since_ = -1;
            return;
        }
        if (infinite_since_ < 0) infinite_since_ = i;
        if (patience_ > 0 && i - infinite_since_ + 1 >= patience_) {
            throw anomaly_error("train: the cost has been infinite for " + std::to_string(patience_) +
                                " iterations in a row (since iteration " + std::to_string(infinite_since_) +
                                "): training diverged; lower the learning rate (it is " + number(lr_) + ")");
        }
    }

    void check_gradients(std::int64_t i, double cost, const std::vector<parameter*>& params) const {
        for (const parameter* p : params) {
            if (all_finite(p->grad)) continue;
            throw anomaly_error("train: the gradient of parameter '" + p->name + "' holds NaN or infinity at "
                                "iteration " + std::to_string(i) + " (cost " + number(cost) + "; the parameters are "
                                "left as they were before it). NaN or values too large in the data, or a learning "
                                "rate too large (it is " + number(lr_) + "), are the usual causes");
        }
    }

    void check_parameters(std::int64_t i, const std::vector<parameter*>& params) const {
        for (const parameter* p : params) {
            if (all_finite(p->value())) continue;
            throw anomaly_error("train: parameter '" + p->name + "' became NaN or infinite in the update of "
                                "iteration " + std::to_string(i) + ": the learning rate (" + number(lr_) +
                                ") is too large for this problem");
        }
    }

private:
    static std::string number(double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    }

    double lr_;
    std::int64_t patience_;
    std::int64_t infinite_since_ = -1;
};

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
    divergence_watch watch{lr, options.divergence_patience};
    for (std::int64_t i = 0; i < options.iterations; ++i) {
        t.clear();
        if (options.masks == mask_policy::reseed_each_iteration) rng.seed(options.dropout_seed);
        var J = model.cost(t, t.reference(X), t.reference(Y), options.cost, dropout);
        const double cost = J.item();
        if (options.stop_on_non_finite) watch.check_cost(i, cost);
        t.backward(J);
        if (options.stop_on_non_finite) watch.check_gradients(i, cost, params);
        // W = W - lr * dW, elementwise, in numpy's order of operations.
        for (parameter* p : params) {
            double* w = p->mutable_value().data();
            const double* g = p->grad.data();
            for (std::size_t k = 0, n = p->value().size(); k < n; ++k) w[k] = w[k] - lr * g[k];
        }
        if (options.stop_on_non_finite) watch.check_parameters(i, params);
        if (i % options.record_every == 0) {
            result.costs.emplace_back(i, cost);
            if (options.on_record) options.on_record(i, cost);
        }
    }
    return result;
}

}  // namespace tapegrad
