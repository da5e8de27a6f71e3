// tapegrad's training step. Full batch: the loop body of train()
// (models/training.cpp) written out, so the tape lives across steps and is
// cleared, not rebuilt. Mini-batches: an epoch of train()'s own loop (a trainer,
// with its checks for NaN), with Adam. The skip network (S4): a model written
// with plain ops, as a user writes one that is not an mlp.
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/models/adam.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/models/gradient_descent.hpp>
#include <tapegrad/models/mlp.hpp>
#include <tapegrad/models/training.hpp>

#include "implementations.hpp"

namespace tapegrad::bench {

namespace {

std::function<void()> step_alone(optimizer& opt) {
    return [&opt] {
        for (parameter* p : opt.parameters()) p->mark_grad_current();
        opt.step();
    };
}

class tapegrad_step final : public implementation {
public:
    explicit tapegrad_step(const problem& p)
        : X_(p.X),
          Y_(p.Y),
          net_(p.spec.layer_sizes, p.spec.init, p.spec.seed),
          options_{loss_kind::sigmoid_bce, p.spec.lambda},
          optimizer_(net_.parameters(), p.spec.learning_rate) {
        net_.set_parameter_values(p.params);  // the very matrices the other implementations start from
    }

    double step() override {
        t_.clear();
        var J = net_.cost(t_, t_.reference(X_), t_.reference(Y_), options_);
        const double cost = J.item();
        t_.backward(J);
        optimizer_.step();  // W = W - lr * dW
        return cost;
    }

    std::function<void()> optimizer_step() override { return step_alone(optimizer_); }

    std::vector<double> w1() const override {
        const matrix& W1 = net_.weight(1).value();
        return std::vector<double>(W1.data(), W1.data() + W1.size());
    }

private:
    const matrix& X_;
    const matrix& Y_;
    mlp net_;
    cost_options options_;
    gradient_descent optimizer_;
    tape t_;
};

class tapegrad_epoch final : public implementation {
public:
    explicit tapegrad_epoch(const problem& p)
        : net_(p.spec.layer_sizes, p.spec.init, p.spec.seed),
          optimizer_(net_.parameters(), options(p.view())),
          trainer_(
              [this](tape& t, const batch& b) {
                  return net_.cost(t, t.reference(b.X), t.reference(b.Y), {loss_kind::sigmoid_bce, 0.0});
              },
              optimizer_, p.X, p.Y, loop(p.view())) {
        net_.set_parameter_values(p.params);
    }

    double step() override { return trainer_.run_epoch(); }

    std::function<void()> optimizer_step() override { return step_alone(optimizer_); }

    std::vector<double> w1() const override {
        const matrix& W1 = net_.weight(1).value();
        return std::vector<double>(W1.data(), W1.data() + W1.size());
    }

private:
    static adam_options options(const problem_view& v) {
        adam_options o;
        o.learning_rate = v.learning_rate;
        o.beta1 = v.beta1;
        o.beta2 = v.beta2;
        o.epsilon = v.epsilon;
        return o;
    }
    static train_options loop(const problem_view& v) {
        train_options o;
        o.batch_size = v.batch_size;
        o.shuffle_seed = v.shuffle_seed;
        o.record_every = 1000000000;  // the benchmark keeps the costs itself
        return o;
    }

    mlp net_;
    adam optimizer_;
    trainer trainer_;
};

// h1 = tanh(W1 X + b1), h2 = tanh(W2 h1 + b2) + h1, z = W3 h2 + b3, the mean
// binary_cross_entropy_with_logits(z, Y); one gradient-descent step.
class tapegrad_skip final : public implementation {
public:
    explicit tapegrad_skip(const problem& p)
        : X_(p.X),
          Y_(p.Y),
          W1_("W1", p.params[0].second),
          b1_("b1", p.params[1].second),
          W2_("W2", p.params[2].second),
          b2_("b2", p.params[3].second),
          W3_("W3", p.params[4].second),
          b3_("b3", p.params[5].second),
          optimizer_({&W1_, &b1_, &W2_, &b2_, &W3_, &b3_}, p.spec.learning_rate) {}

    double step() override {
        t_.clear();
        const var X = t_.reference(X_), Y = t_.reference(Y_);
        const var h1 = tanh(add(matmul(t_.watch(W1_), X), t_.watch(b1_)));
        const var h2 = add(tanh(add(matmul(t_.watch(W2_), h1), t_.watch(b2_))), h1);
        const var z = add(matmul(t_.watch(W3_), h2), t_.watch(b3_));
        const var J = binary_cross_entropy_with_logits(z, Y);
        const double cost = J.item();
        t_.backward(J);
        optimizer_.step();
        return cost;
    }

    std::function<void()> optimizer_step() override { return step_alone(optimizer_); }

    std::vector<double> w1() const override {
        const matrix& W1 = W1_.value();
        return std::vector<double>(W1.data(), W1.data() + W1.size());
    }

private:
    const matrix& X_;
    const matrix& Y_;
    parameter W1_, b1_, W2_, b2_, W3_, b3_;
    gradient_descent optimizer_;
    tape t_;
};

}  // namespace

std::unique_ptr<implementation> make_tapegrad(const problem& p) {
    if (p.spec.network == network_kind::tanh_skip) return std::make_unique<tapegrad_skip>(p);
    if (p.spec.batch_size > 0) return std::make_unique<tapegrad_epoch>(p);
    return std::make_unique<tapegrad_step>(p);
}

}  // namespace tapegrad::bench
