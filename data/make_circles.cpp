#include <tapegrad/data/make_circles.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <tapegrad/data/linspace.hpp>
#include <tapegrad/data/shuffled_points.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

dataset make_circles(std::size_t n, random_state& rng, double noise, double factor) {
    if (n < 2) throw value_error("make_circles: needs at least 2 points, got " + std::to_string(n));
    if (!(noise >= 0.0) || !std::isfinite(noise)) {
        throw value_error("make_circles: noise must be a finite number >= 0, got " + std::to_string(noise));
    }
    if (!(factor >= 0.0 && factor < 1.0)) {
        throw value_error("make_circles: factor must be in [0, 1), got " + std::to_string(factor));
    }
    const std::size_t n_out = n / 2, n_in = n - n_out;
    const double two_pi = 2.0 * M_PI;
    // Rows in sklearn's order: the outer circle, then the inner one.
    std::vector<double> x(n), y(n), label(n);
    const std::vector<double> t_out = linspace(0.0, two_pi, n_out, false), t_in = linspace(0.0, two_pi, n_in, false);
    for (std::size_t i = 0; i < n_out; ++i) {
        const double t = t_out[i];
        x[i] = std::cos(t);
        y[i] = std::sin(t);
        label[i] = 0.0;
    }
    for (std::size_t i = 0; i < n_in; ++i) {
        const double t = t_in[i];
        x[n_out + i] = std::cos(t) * factor;
        y[n_out + i] = std::sin(t) * factor;
        label[n_out + i] = 1.0;
    }
    return shuffled_points(x, y, label, rng, noise);
}

}  // namespace tapegrad
