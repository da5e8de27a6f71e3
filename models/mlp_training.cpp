#include <tapegrad/models/mlp_training.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/models/gradient_descent.hpp>
#include <tapegrad/models/training.hpp>

namespace tapegrad {

namespace {

void check_options(const training_options& o) {
    if (!(o.learning_rate > 0.0) || !std::isfinite(o.learning_rate)) {
        throw value_error("train: the learning rate must be a finite number > 0, got " + number_text(o.learning_rate));
    }
    if (o.iterations < 0) {
        throw value_error("train: the number of iterations must be >= 0, got " + std::to_string(o.iterations));
    }
    if (o.record_every < 1) {
        throw value_error("train: record_every must be >= 1, got " + std::to_string(o.record_every));
    }
    if (!(o.cost.lambda >= 0.0) || !std::isfinite(o.cost.lambda)) {
        throw value_error("train: lambda must be a finite number >= 0, got " + number_text(o.cost.lambda));
    }
    if (o.divergence_patience < 0) {
        throw value_error("train: divergence_patience must be >= 0 (0 turns it off), got " +
                          std::to_string(o.divergence_patience));
    }
    if (!(o.keep_prob > 0.0 && o.keep_prob <= 1.0)) {
        throw value_error("train: keep_prob must be in (0, 1], got " + number_text(o.keep_prob));
    }
}

}  // namespace

training_result train(mlp& model, const matrix& X, const matrix& Y, const training_options& options) {
    check_options(options);
    model.check_inputs(X, Y, "train");
    random_state rng(options.dropout_seed);
    const dropout_options dropout{options.keep_prob, &rng};
    gradient_descent optimizer(model.parameters(), options.learning_rate);
    auto cost = [&](tape& t, const batch& b) {
        if (options.masks == mask_policy::reseed_each_iteration) rng.seed(options.dropout_seed);
        return model.cost(t, t.reference(b.X), t.reference(b.Y), options.cost, dropout);
    };
    train_options loop;
    loop.epochs = options.iterations;
    loop.record_every = options.record_every;
    loop.stop_on_non_finite = options.stop_on_non_finite;
    loop.divergence_patience = options.divergence_patience;
    loop.on_record = options.on_record;
    training_result result;
    result.costs = train(cost, optimizer, X, Y, loop).costs;
    return result;
}

}  // namespace tapegrad
