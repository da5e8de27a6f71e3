#include <tapegrad/data/make_spirals.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <tapegrad/data/linspace.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>

namespace tapegrad {

dataset make_spirals(std::size_t points_per_class, std::size_t classes, random_state& rng, double noise) {
    if (points_per_class < 2) {
        throw value_error("make_spirals: needs at least 2 points per class, got " + std::to_string(points_per_class));
    }
    if (classes < 2) throw value_error("make_spirals: needs at least 2 classes, got " + std::to_string(classes));
    if (!(noise >= 0.0) || !std::isfinite(noise)) {
        throw value_error("make_spirals: noise must be a finite number >= 0, got " + number_text(noise));
    }
    const std::size_t n = points_per_class;
    dataset d{matrix::from_shape({2, n * classes}), matrix::from_shape({1, n * classes})};
    const std::vector<double> r = linspace(0.0, 1.0, n);
    for (std::size_t j = 0; j < classes; ++j) {
        const double k = static_cast<double>(j);
        const std::vector<double> t0 = linspace(k * 4.0, (k + 1.0) * 4.0, n);
        for (std::size_t i = 0; i < n; ++i) {
            // randn(N) * noise, drawn in order, added to the angle as numpy does
            const double t = t0[i] + rng.gauss() * noise;
            d.X(0, j * n + i) = r[i] * std::sin(t);
            d.X(1, j * n + i) = r[i] * std::cos(t);
            d.Y(0, j * n + i) = k;
        }
    }
    return d;
}

}  // namespace tapegrad
