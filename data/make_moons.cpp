#include <tapegrad/data/make_moons.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <tapegrad/data/linspace.hpp>
#include <tapegrad/data/shuffled_points.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

dataset make_moons(std::size_t n, random_state& rng, double noise) {
    if (n < 2) throw value_error("make_moons: needs at least 2 points, got " + std::to_string(n));
    if (!(noise >= 0.0) || !std::isfinite(noise)) {
        throw value_error("make_moons: noise must be a finite number >= 0, got " + std::to_string(noise));
    }
    const std::size_t n_out = n / 2, n_in = n - n_out;
    // Rows in sklearn's order: the outer moon, then the inner one.
    std::vector<double> x(n), y(n), label(n);
    const std::vector<double> t_out = linspace(0.0, M_PI, n_out), t_in = linspace(0.0, M_PI, n_in);
    for (std::size_t i = 0; i < n_out; ++i) {
        x[i] = std::cos(t_out[i]);
        y[i] = std::sin(t_out[i]);
        label[i] = 0.0;
    }
    for (std::size_t i = 0; i < n_in; ++i) {
        x[n_out + i] = 1.0 - std::cos(t_in[i]);
        y[n_out + i] = 1.0 - std::sin(t_in[i]) - 0.5;
        label[n_out + i] = 1.0;
    }
    return shuffled_points(x, y, label, rng, noise);
}

}  // namespace tapegrad
