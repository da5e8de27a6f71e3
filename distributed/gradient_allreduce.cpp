#include <tapegrad/distributed/gradient_allreduce.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include <tapegrad/distributed/parameter_sync.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad::distributed {

gradient_allreduce::gradient_allreduce(const communicator& comm, std::vector<parameter*> params)
    : comm_(comm), params_(std::move(params)) {
    check_same_parameters(comm_, params_, "gradient_allreduce");  // first: an empty list on one process differs
    if (params_.empty()) throw value_error("gradient_allreduce: no parameters; pass the model's parameter list");
    broadcast_parameters(comm_, params_);
    std::size_t n = 0;
    for (const parameter* p : params_) n += p->value().size();
    buffer_.assign(n + params_.size() + 1, 0.0);
}

std::size_t gradient_allreduce::total(std::size_t n) { return static_cast<std::size_t>(comm_.sum(std::uint64_t{n})); }

double gradient_allreduce::combine(const std::vector<parameter*>& params, double cost, double weight) {
    return reduce(cost, weight, "gradient_allreduce::combine", &params);
}

void gradient_allreduce::sum() { reduce(0.0, 1.0, "gradient_allreduce::sum", nullptr); }

void gradient_allreduce::average() { reduce(0.0, 1.0 / comm_.size(), "gradient_allreduce::average", nullptr); }

double gradient_allreduce::reduce(double cost, double weight, const char* where,
                                  const std::vector<parameter*>* given) {
    if (given != nullptr && *given != params_) {
        throw value_error(std::string(where) + ": the optimizer's parameters are not the " +
                          std::to_string(params_.size()) + " this gradient_allreduce was made for; make it from the "
                          "optimizer's list");
    }
    // Pack: weight * grad, or zeros for a gradient that is not current (or a
    // process with no examples in this batch).
    const std::size_t n = buffer_.size() - params_.size() - 1;
    double* flags = buffer_.data() + n;
    std::size_t k = 0;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const parameter& p = *params_[i];
        const std::size_t size = p.value().size();
        const bool used = weight != 0.0 && p.grad_current() && p.grad.size() == size;
        if (used) {
            std::transform(p.grad.begin(), p.grad.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(k),
                           [weight](double g) { return weight * g; });
        } else {
            std::fill_n(buffer_.begin() + static_cast<std::ptrdiff_t>(k), size, 0.0);
        }
        flags[i] = used ? 1.0 : 0.0;
        k += size;
    }
    buffer_.back() = weight != 0.0 ? weight * cost : 0.0;
    comm_.sum(buffer_.data(), buffer_.size());
    k = 0;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        parameter& p = *params_[i];
        const std::size_t size = p.value().size();
        if (flags[i] > 0.0) {
            ensure_shape(p.grad, shape_of(p.value()));
            std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(k), size, p.grad.begin());
            p.mark_grad_current();
        } else {
            p.mark_grad_used();
        }
        k += size;
    }
    return buffer_.back();
}

}  // namespace tapegrad::distributed
