// The same training step with libtorch's autograd, in float64 and on one
// thread; the mini-batch epoch with torch::optim::Adam on the same batches.
// Built as a module (training_step_libtorch.so) only when CMake found Debian's
// libtorch-dev, and loaded with dlopen only in the process that measures it,
// so libtorch's start-up work and memory stay out of the others.
#include <torch/torch.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "implementation.hpp"

namespace tapegrad::bench {

namespace {

torch::Tensor copy_of(const matrix_view& m) {
    return torch::from_blob(const_cast<double*>(m.data),
                            {static_cast<std::int64_t>(m.rows), static_cast<std::int64_t>(m.cols)},
                            torch::kFloat64)
        .clone();
}

// The network's parameters and data as tensors, its forward pass and the
// course's cost; the two ways of training it derive from this.
class libtorch_network : public implementation {
public:
    explicit libtorch_network(const problem_view& p) : X_(copy_of(p.X)), Y_(copy_of(p.Y)) {
        for (std::size_t l = 0; l < p.W.size(); ++l) {
            W_.push_back(copy_of(p.W[l]).requires_grad_(true));
            b_.push_back(copy_of(p.b[l]).requires_grad_(true));
        }
    }

    std::vector<double> w1() const override {
        const torch::Tensor w = W_[0].detach().contiguous();
        const double* d = w.data_ptr<double>();
        return std::vector<double>(d, d + w.numel());
    }

    std::vector<std::pair<std::string, std::string>> info() const override {
        return {{"torch_version", TORCH_VERSION},
                {"torch_num_threads", std::to_string(torch::get_num_threads())},
                {"torch_num_interop_threads", std::to_string(torch::get_num_interop_threads())}};
    }

protected:
    // The course's cost of the examples X, Y: (1/m) * nansum(-log(A) * Y - log(1 - A) * (1 - Y)).
    torch::Tensor cost(const torch::Tensor& X, const torch::Tensor& Y) const {
        const std::size_t L = W_.size();
        torch::Tensor A = X;
        for (std::size_t l = 0; l + 1 < L; ++l) A = torch::relu(torch::matmul(W_[l], A) + b_[l]);
        const torch::Tensor AL = torch::sigmoid(torch::matmul(W_[L - 1], A) + b_[L - 1]);
        const torch::Tensor logprobs = (-torch::log(AL)) * Y + (-torch::log(1.0 - AL)) * (1.0 - Y);
        return (1.0 / static_cast<double>(X.size(1))) * torch::nansum(logprobs);
    }

    torch::Tensor X_, Y_;
    std::vector<torch::Tensor> W_, b_;
};

// A full-batch step with the update written out, as the course's loop does.
class libtorch_step final : public libtorch_network {
public:
    explicit libtorch_step(const problem_view& p)
        : libtorch_network(p), m_(static_cast<double>(p.X.cols)), lambda_(p.lambda), lr_(p.learning_rate) {}

    double step() override {
        torch::Tensor J = cost(X_, Y_);
        if (lambda_ != 0.0) {
            torch::Tensor total = torch::sum(torch::square(W_[0]));
            for (std::size_t l = 1; l < W_.size(); ++l) total = total + torch::sum(torch::square(W_[l]));
            J = J + total * ((1.0 / m_) * (lambda_ / 2.0));
        }
        const double value = J.item<double>();
        J.backward();
        {
            torch::NoGradGuard no_grad;
            for (std::vector<torch::Tensor>* group : {&W_, &b_}) {
                for (torch::Tensor& p : *group) {
                    p.sub_(p.grad(), lr_);     // W = W - lr * dW (alpha form: no temporary)
                    p.mutable_grad().reset();  // set_to_none, PyTorch's optimizers' default since 2.0
                }
            }
        }
        return value;
    }

private:
    double m_;
    double lambda_;
    double lr_;
};

// The skip network (network_kind::tanh_skip), full batch, as a PyTorch user
// writes it: the mean binary_cross_entropy_with_logits and W -= lr * dW.
class libtorch_skip final : public libtorch_network {
public:
    explicit libtorch_skip(const problem_view& p) : libtorch_network(p), lr_(p.learning_rate) {}

    double step() override {
        const torch::Tensor h1 = torch::tanh(torch::matmul(W_[0], X_) + b_[0]);
        const torch::Tensor h2 = torch::tanh(torch::matmul(W_[1], h1) + b_[1]) + h1;
        const torch::Tensor z = torch::matmul(W_[2], h2) + b_[2];
        const torch::Tensor J = torch::binary_cross_entropy_with_logits(z, Y_);  // mean reduction
        const double value = J.item<double>();
        J.backward();
        {
            torch::NoGradGuard no_grad;
            for (std::vector<torch::Tensor>* group : {&W_, &b_}) {
                for (torch::Tensor& p : *group) {
                    p.sub_(p.grad(), lr_);
                    p.mutable_grad().reset();
                }
            }
        }
        return value;
    }

private:
    double lr_;
};

// An epoch of mini-batches as a PyTorch user writes it: index_select the
// batch's columns, forward, the mean cost, zero_grad, backward, Adam's step.
class libtorch_epoch final : public libtorch_network {
public:
    explicit libtorch_epoch(const problem_view& p)
        : libtorch_network(p),
          m_(p.X.cols),
          batch_(p.batch_size),
          seed_(p.shuffle_seed),
          permutation_(p.permutation),
          order_(p.X.cols) {
        std::vector<torch::Tensor> params;
        for (std::size_t l = 0; l < W_.size(); ++l) {
            params.push_back(W_[l]);
            params.push_back(b_[l]);
        }
        optimizer_ = std::make_unique<torch::optim::Adam>(
            params, torch::optim::AdamOptions(p.learning_rate).betas({p.beta1, p.beta2}).eps(p.epsilon));
    }

    double step() override {
        permutation_(seed_ + epoch_++, m_, order_.data());
        const torch::Tensor order = torch::from_blob(order_.data(), {static_cast<std::int64_t>(m_)}, torch::kInt64);
        double total = 0.0;
        for (std::size_t begin = 0; begin < m_; begin += batch_) {
            const std::size_t mb = std::min(batch_, m_ - begin);
            const torch::Tensor idx =
                order.slice(0, static_cast<std::int64_t>(begin), static_cast<std::int64_t>(begin + mb));
            const torch::Tensor J = cost(X_.index_select(1, idx), Y_.index_select(1, idx));
            total += J.item<double>() * static_cast<double>(mb);
            optimizer_->zero_grad();
            J.backward();
            optimizer_->step();
        }
        return total / static_cast<double>(m_);
    }

private:
    std::size_t m_, batch_;
    std::int64_t seed_, epoch_ = 0;
    permutation_fn permutation_;
    std::vector<std::size_t> order_;  // read by torch as int64: the same width
    std::unique_ptr<torch::optim::Adam> optimizer_;
};

}  // namespace

}  // namespace tapegrad::bench

extern "C" __attribute__((visibility("default"))) tapegrad::bench::implementation* tapegrad_bench_make_libtorch(
    const tapegrad::bench::problem_view& p, std::string& error) {
    try {
        torch::set_num_threads(1);
        if (p.network == tapegrad::bench::network_kind::tanh_skip) return new tapegrad::bench::libtorch_skip(p);
        if (p.batch_size > 0) return new tapegrad::bench::libtorch_epoch(p);
        return new tapegrad::bench::libtorch_step(p);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}
