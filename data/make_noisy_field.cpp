#include <tapegrad/data/make_noisy_field.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

dataset make_noisy_field(std::size_t n, random_state& rng, double flip, double band) {
    if (n == 0) throw value_error("make_noisy_field: needs at least 1 point");
    if (!(flip >= 0.0 && flip <= 1.0)) {
        throw value_error("make_noisy_field: flip must be a probability in [0, 1], got " + std::to_string(flip));
    }
    if (!(band >= 0.0) || !std::isfinite(band)) {
        throw value_error("make_noisy_field: band must be a finite number >= 0, got " + std::to_string(band));
    }
    dataset d{matrix::from_shape({2, n}), matrix::from_shape({1, n})};
    for (std::size_t j = 0; j < n; ++j) {
        const double x1 = 1.5 * rng.uniform() - 0.75;
        const double x2 = 1.5 * rng.uniform() - 0.75;
        const double distance = x2 - 0.25 * std::sin(4.0 * x1);
        double label = distance > 0.0 ? 1.0 : 0.0;
        const double u = rng.uniform();  // drawn for every point, so the sequence does not depend on `band`
        if (std::fabs(distance) < band && u < flip) label = 1.0 - label;
        d.X(0, j) = x1;
        d.X(1, j) = x2;
        d.Y(0, j) = label;
    }
    return d;
}

}  // namespace tapegrad
