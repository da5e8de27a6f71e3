#include <tapegrad/data/shuffled_points.hpp>

namespace tapegrad {

dataset shuffled_points(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& label,
                        random_state& rng, double noise) {
    const std::size_t n = x.size();
    // sklearn's shuffle: a permutation of arange(n) by the generator, applied to rows.
    const std::vector<std::size_t> order = rng.permutation(n);
    dataset d{matrix::from_shape({2, n}), matrix::from_shape({1, n})};
    for (std::size_t j = 0; j < n; ++j) {
        d.X(0, j) = x[order[j]];
        d.X(1, j) = y[order[j]];
        d.Y(0, j) = label[order[j]];
    }
    // X += normal(scale=noise, size=(n, 2)): row-major over (point, coordinate).
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t c = 0; c < 2; ++c) d.X(c, j) += 0.0 + noise * rng.gauss();
    }
    return d;
}

}  // namespace tapegrad
