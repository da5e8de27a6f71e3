#include <tapegrad/course/dictionary_check.hpp>

#include <algorithm>
#include <cmath>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

gradient_report gradient_check_1d(const std::function<double(double)>& J, const std::function<double(double)>& dJ,
                                  double theta, double epsilon, double threshold) {
    check_tolerances("gradient_check_1d", epsilon, threshold);
    const double plus = J(theta + epsilon);
    const double minus = J(theta - epsilon);
    const double approx = (plus - minus) / (2.0 * epsilon);
    gradient_report r = compare_gradients("full", {{"theta", {1, 1}}}, {dJ(theta)}, {approx}, epsilon, threshold,
                                    std::max(std::fabs(plus), std::fabs(minus)));
    r.evaluations = 2;
    return r;
}

flat_parameters dictionary_to_vector(const named_matrices& parameters) {
    flat_parameters flat;
    for (const auto& [name, m] : parameters) {
        flat.values.insert(flat.values.end(), m.begin(), m.end());
        flat.keys.insert(flat.keys.end(), m.size(), name);
    }
    return flat;
}

named_matrices vector_to_dictionary(const std::vector<double>& values, const named_matrices& layout) {
    std::size_t total = 0;
    for (const auto& entry : layout) total += entry.second.size();
    if (values.size() != total) {
        throw value_error("vector_to_dictionary: got " + std::to_string(values.size()) +
                          " values, but the layout holds " + std::to_string(total));
    }
    named_matrices out;
    std::size_t k = 0;
    for (const auto& [name, m] : layout) {
        matrix v = matrix::from_shape({m.shape()[0], m.shape()[1]});
        for (double& x : v) x = values[k++];
        out.emplace_back(name, std::move(v));
    }
    return out;
}

std::vector<double> gradients_to_vector(const named_matrices& gradients) {
    return dictionary_to_vector(gradients).values;
}

gradient_report gradient_check_n(const named_matrices& parameters, const named_matrices& gradients,
                                 const std::function<double(const named_matrices&)>& cost, double epsilon,
                                 double threshold) {
    const char* fn = "gradient_check_n";
    check_tolerances(fn, epsilon, threshold);
    if (parameters.size() != gradients.size()) {
        throw value_error(std::string(fn) + ": " + std::to_string(parameters.size()) + " parameters but " +
                          std::to_string(gradients.size()) + " gradients; give one gradient per parameter");
    }
    std::vector<gradient_block> blocks;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const matrix& p = parameters[i].second;
        const matrix& g = gradients[i].second;
        if (shape_of(p) != shape_of(g)) {
            throw shape_error(std::string(fn) + ": gradient '" + gradients[i].first + "' has shape " +
                              shape_string(g) + " but parameter '" + parameters[i].first + "' has shape " +
                              shape_string(p));
        }
        blocks.push_back({gradients[i].first, shape_of(g)});
    }
    const flat_parameters theta = dictionary_to_vector(parameters);
    const std::vector<double> grad = gradients_to_vector(gradients);
    std::vector<double> approx(theta.values.size());
    std::vector<double> shifted = theta.values;
    double scale = 0.0;
    for (std::size_t i = 0; i < shifted.size(); ++i) {
        shifted[i] = theta.values[i] + epsilon;
        const double plus = cost(vector_to_dictionary(shifted, parameters));
        shifted[i] = theta.values[i] - epsilon;
        const double minus = cost(vector_to_dictionary(shifted, parameters));
        shifted[i] = theta.values[i];
        approx[i] = (plus - minus) / (2.0 * epsilon);
        scale = std::max({scale, std::fabs(plus), std::fabs(minus)});
    }
    gradient_report r = compare_gradients("full", blocks, grad, approx, epsilon, threshold, scale);
    r.evaluations = 2 * shifted.size();
    return r;
}

}  // namespace tapegrad
