// The same training step with libtorch's autograd, in float64 and on one
// thread. Built as a module (training_step_libtorch.so) only when CMake found
// Debian's libtorch-dev, and loaded with dlopen only in the process that
// measures it, so libtorch's start-up work and memory stay out of the others.
#include <torch/torch.h>

#include <exception>
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

class libtorch_step final : public implementation {
public:
    explicit libtorch_step(const problem_view& p)
        : X_(copy_of(p.X)),
          Y_(copy_of(p.Y)),
          m_(static_cast<double>(p.X.cols)),
          lambda_(p.lambda),
          lr_(p.learning_rate) {
        for (std::size_t l = 0; l < p.W.size(); ++l) {
            W_.push_back(copy_of(p.W[l]).requires_grad_(true));
            b_.push_back(copy_of(p.b[l]).requires_grad_(true));
        }
    }

    double step() override {
        const std::size_t L = W_.size();
        torch::Tensor A = X_;
        for (std::size_t l = 0; l + 1 < L; ++l) A = torch::relu(torch::matmul(W_[l], A) + b_[l]);
        const torch::Tensor AL = torch::sigmoid(torch::matmul(W_[L - 1], A) + b_[L - 1]);
        // The course's cost: (1/m) * nansum(-log(A) * Y - log(1 - A) * (1 - Y)).
        const torch::Tensor logprobs = (-torch::log(AL)) * Y_ + (-torch::log(1.0 - AL)) * (1.0 - Y_);
        torch::Tensor J = (1.0 / m_) * torch::nansum(logprobs);
        if (lambda_ != 0.0) {
            torch::Tensor total = torch::sum(torch::square(W_[0]));
            for (std::size_t l = 1; l < L; ++l) total = total + torch::sum(torch::square(W_[l]));
            J = J + total * ((1.0 / m_) * (lambda_ / 2.0));
        }
        const double cost = J.item<double>();
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
        return cost;
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

private:
    torch::Tensor X_, Y_;
    std::vector<torch::Tensor> W_, b_;
    double m_;
    double lambda_;
    double lr_;
};

}  // namespace

}  // namespace tapegrad::bench

extern "C" __attribute__((visibility("default"))) tapegrad::bench::implementation* tapegrad_bench_make_libtorch(
    const tapegrad::bench::problem_view& p, std::string& error) {
    try {
        torch::set_num_threads(1);
        return new tapegrad::bench::libtorch_step(p);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}
