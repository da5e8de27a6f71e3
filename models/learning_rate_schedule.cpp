#include <tapegrad/models/learning_rate_schedule.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>

namespace tapegrad {

namespace {

void check_rate(const char* schedule, double lr0) {
    if (!(lr0 > 0.0) || !std::isfinite(lr0)) {
        throw value_error(std::string(schedule) + ": the initial learning rate must be a finite number > 0, got " +
                          number_text(lr0));
    }
}

void check_positive_epochs(const char* schedule, const char* setting, std::int64_t n) {
    if (n < 1) {
        throw value_error(std::string(schedule) + ": " + setting + " must be at least 1 epoch, got " +
                          std::to_string(n));
    }
}

void check_gamma(const char* schedule, double gamma) {
    if (!(gamma > 0.0 && gamma <= 1.0)) {
        throw value_error(std::string(schedule) + ": gamma must be in (0, 1], got " + number_text(gamma));
    }
}

}  // namespace

learning_rate_schedule constant_rate(double lr0) {
    check_rate("constant_rate", lr0);
    return [lr0](std::int64_t) { return lr0; };
}

learning_rate_schedule inverse_time_decay(double lr0, double decay_rate, std::int64_t interval) {
    check_rate("inverse_time_decay", lr0);
    if (!(decay_rate >= 0.0) || !std::isfinite(decay_rate)) {
        throw value_error("inverse_time_decay: the decay rate must be a finite number >= 0, got " + number_text(decay_rate));
    }
    check_positive_epochs("inverse_time_decay", "the interval", interval);
    // The course's expressions: lr0 / (1 + rate * epoch), and with np.floor(epoch / interval).
    return [=](std::int64_t epoch) {
        const double steps = interval == 1 ? static_cast<double>(epoch)
                                           : std::floor(static_cast<double>(epoch) / static_cast<double>(interval));
        return lr0 / (1.0 + decay_rate * steps);
    };
}

learning_rate_schedule step_decay(double lr0, double gamma, std::int64_t step_size) {
    check_rate("step_decay", lr0);
    check_gamma("step_decay", gamma);
    check_positive_epochs("step_decay", "the step size", step_size);
    return [=](std::int64_t epoch) { return lr0 * std::pow(gamma, static_cast<double>(epoch / step_size)); };
}

learning_rate_schedule exponential_decay(double lr0, double gamma) {
    check_rate("exponential_decay", lr0);
    check_gamma("exponential_decay", gamma);
    return [=](std::int64_t epoch) { return lr0 * std::pow(gamma, static_cast<double>(epoch)); };
}

learning_rate_schedule cosine_decay(double lr0, std::int64_t epochs, double min_rate) {
    check_rate("cosine_decay", lr0);
    check_positive_epochs("cosine_decay", "the number of epochs", epochs);
    if (!(min_rate >= 0.0 && min_rate < lr0)) {
        throw value_error("cosine_decay: the minimum rate must be in [0, " + number_text(lr0) + "), got " + number_text(min_rate));
    }
    return [=](std::int64_t epoch) {
        if (epoch >= epochs) return min_rate;
        const double pi = 3.14159265358979323846;
        return min_rate + (lr0 - min_rate) * (1.0 + std::cos(pi * static_cast<double>(epoch) /
                                                              static_cast<double>(epochs))) / 2.0;
    };
}

learning_rate_schedule delayed(learning_rate_schedule s, std::int64_t epochs) {
    if (!s) throw value_error("delayed: no schedule given");
    if (epochs < 0) throw value_error("delayed: the delay must be >= 0 epochs, got " + std::to_string(epochs));
    return [s = std::move(s), epochs](std::int64_t epoch) { return s(std::max<std::int64_t>(epoch - epochs, 0)); };
}

}  // namespace tapegrad
