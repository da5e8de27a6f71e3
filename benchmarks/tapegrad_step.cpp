// tapegrad's training step: the loop body of train() (models/training.cpp),
// written out so the tape lives across steps and is cleared, not rebuilt.
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/models/mlp.hpp>

#include "implementations.hpp"

namespace tapegrad::bench {

namespace {

class tapegrad_step final : public implementation {
public:
    explicit tapegrad_step(const problem& p)
        : X_(p.X),
          Y_(p.Y),
          net_(p.spec.layer_sizes, p.spec.init, p.spec.seed),
          options_{loss_kind::sigmoid_bce, p.spec.lambda},
          learning_rate_(p.spec.learning_rate) {
        net_.set_parameter_values(p.params);  // the very matrices the other implementations start from
        params_ = net_.parameters();
    }

    double step() override {
        t_.clear();
        var J = net_.cost(t_, t_.reference(X_), t_.reference(Y_), options_);
        const double cost = J.item();
        t_.backward(J);
        // W = W - lr * dW, as train() does it.
        const double lr = learning_rate_;
        for (parameter* p : params_) {
            double* w = p->mutable_value().data();
            const double* g = p->grad.data();
            for (std::size_t k = 0, n = p->value().size(); k < n; ++k) w[k] = w[k] - lr * g[k];
        }
        return cost;
    }

    std::vector<double> w1() const override {
        const matrix& W1 = net_.weight(1).value();
        return std::vector<double>(W1.data(), W1.data() + W1.size());
    }

private:
    const matrix& X_;
    const matrix& Y_;
    mlp net_;
    cost_options options_;
    double learning_rate_;
    tape t_;
    std::vector<parameter*> params_;
};

}  // namespace

std::unique_ptr<implementation> make_tapegrad(const problem& p) { return std::make_unique<tapegrad_step>(p); }

}  // namespace tapegrad::bench
