#include <tapegrad/framework/gradient_check.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <random>
#include <sstream>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

// One named block of the flat parameter vector.
struct block {
    std::string name;
    shape2 shape;
};

void check_settings(const char* fn, double epsilon, double threshold) {
    if (!(epsilon > 0.0) || !std::isfinite(epsilon)) {
        throw value_error(std::string(fn) + ": epsilon must be a positive finite number, got " +
                          std::to_string(epsilon));
    }
    if (!(threshold > 0.0) || !std::isfinite(threshold)) {
        throw value_error(std::string(fn) + ": threshold must be a positive finite number, got " +
                          std::to_string(threshold));
    }
}

double norm(const std::vector<double>& v, std::size_t begin, std::size_t end) {
    double s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += v[i] * v[i];
    return std::sqrt(s);
}

double relative_difference(const std::vector<double>& a, const std::vector<double>& b, std::size_t begin,
                           std::size_t end) {
    double d = 0.0;
    for (std::size_t i = begin; i < end; ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
    const double num = std::sqrt(d);
    const double den = norm(a, begin, end) + norm(b, begin, end);
    // Both gradients zero: they agree. (A NaN anywhere stays NaN and fails.)
    if (den == 0.0 && num == 0.0) return 0.0;
    return num / den;
}

// The report common to every check: overall and per-block differences and
// the worst element.
// See gradient_report::noise_floor.
double noise_floor(double cost_scale, double epsilon) { return 1024.0 * 0x1.0p-52 * cost_scale / epsilon; }

// cost_scale: the largest |J| met while differencing, which sets the noise floor.
gradient_report make_report(const char* method, const std::vector<block>& blocks,
                            const std::vector<double>& analytic, const std::vector<double>& numeric,
                            double epsilon, double threshold, double cost_scale) {
    gradient_report r;
    r.noise_floor = noise_floor(cost_scale, epsilon);
    r.method = method;
    r.epsilon = epsilon;
    r.threshold = threshold;
    r.difference = relative_difference(analytic, numeric, 0, analytic.size());
    r.gradient_norm = norm(analytic, 0, analytic.size());
    r.passed = r.difference <= threshold;
    std::size_t offset = 0;
    double worst = -1.0;
    for (const block& b : blocks) {
        const std::size_t n = b.shape.rows * b.shape.cols;
        double e = 0.0;
        for (std::size_t k = offset; k < offset + n; ++k) e += (analytic[k] - numeric[k]) * (analytic[k] - numeric[k]);
        parameter_difference d{b.name, relative_difference(analytic, numeric, offset, offset + n), std::sqrt(e), false};
        d.at_fault = !(d.difference <= threshold) && !(d.error <= std::sqrt(static_cast<double>(n)) * r.noise_floor);
        r.parameters.push_back(d);
        for (std::size_t k = 0; k < n; ++k) {
            const double a = analytic[offset + k], g = numeric[offset + k];
            double e = std::fabs(a - g);
            if (std::isnan(e)) e = INFINITY;
            if (e > worst) {
                worst = e;
                r.worst = {b.name, k / b.shape.cols, k % b.shape.cols, a, g};
            }
        }
        offset += n;
    }
    return r;
}

// Sets an element for the duration of one evaluation and always puts the
// original bits back, even when the function throws.
class perturbation {
public:
    perturbation(double& x, double value) : x_(x), saved_(x) { x_ = value; }
    ~perturbation() { x_ = saved_; }
    perturbation(const perturbation&) = delete;
    perturbation& operator=(const perturbation&) = delete;

private:
    double& x_;
    double saved_;
};

void check_params(const char* fn, const std::vector<parameter*>& params) {
    if (params.empty()) throw value_error(std::string(fn) + ": no parameters to check; pass at least one");
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i] == nullptr) {
            throw value_error(std::string(fn) + ": parameter " + std::to_string(i) + " is a null pointer");
        }
    }
}

// f built on a cleared tape; checks that its result is 1x1.
var build(const char* fn, const scalar_function& f, tape& t) {
    t.clear();
    var y = f(t);
    const matrix& v = y.value();
    if (v.shape()[0] != 1 || v.shape()[1] != 1) {
        throw shape_error(std::string(fn) + ": the function must return a 1x1 var, got shape " + shape_string(v));
    }
    return y;
}

double evaluate(const char* fn, const scalar_function& f, tape& t) { return build(fn, f, t).item(); }

// Analytic gradients of every parameter, flattened in order.
std::vector<double> analytic_gradient(const char* fn, const scalar_function& f,
                                      const std::vector<parameter*>& params, tape& t) {
    t.backward(build(fn, f, t));
    std::vector<double> g;
    for (parameter* p : params) {
        if (shape_of(p->grad) != shape_of(p->value)) {
            throw value_error(std::string(fn) + ": parameter '" + p->name +
                              "' got no gradient; the function must watch it on the tape it is given");
        }
        g.insert(g.end(), p->grad.begin(), p->grad.end());
    }
    return g;
}

std::vector<block> blocks_of(const std::vector<parameter*>& params) {
    std::vector<block> b;
    for (parameter* p : params) b.push_back({p->name, shape_of(p->value)});
    return b;
}

}  // namespace

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) {
        throw value_error("relative_difference: the vectors have " + std::to_string(a.size()) + " and " +
                          std::to_string(b.size()) + " elements; they must have the same length");
    }
    return relative_difference(a, b, 0, a.size());
}

gradient_report check_gradients(const scalar_function& f, const std::vector<parameter*>& params,
                                const gradient_check_options& options) {
    const char* fn = "check_gradients";
    check_settings(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    tape t;
    for (parameter* p : params) p->grad = matrix();
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);

    std::vector<double> numeric;
    numeric.reserve(analytic.size());
    const double eps = options.epsilon;
    std::size_t evaluations = 1;
    double scale = 0.0;
    for (parameter* p : params) {
        for (double& x : p->value) {
            const double x0 = x;
            double plus, minus;
            {
                perturbation at(x, x0 + eps);
                plus = evaluate(fn, f, t);
            }
            {
                perturbation at(x, x0 - eps);
                minus = evaluate(fn, f, t);
            }
            numeric.push_back((plus - minus) / (2.0 * eps));
            scale = std::max({scale, std::fabs(plus), std::fabs(minus)});
            evaluations += 2;
        }
    }
    gradient_report r = make_report("full", blocks_of(params), analytic, numeric, eps, options.threshold, scale);
    r.evaluations = evaluations;
    return r;
}

gradient_report check_gradients_fast(const scalar_function& f, const std::vector<parameter*>& params,
                                     const fast_check_options& options) {
    const char* fn = "check_gradients_fast";
    check_settings(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    if (options.directions == 0) throw value_error(std::string(fn) + ": directions must be at least 1, got 0");
    tape t;
    for (parameter* p : params) p->grad = matrix();
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);

    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    const double eps = options.epsilon;
    double worst = 0.0;
    double scale = 0.0;
    std::size_t evaluations = 1;
    for (std::size_t d = 0; d < options.directions; ++d) {
        std::vector<double> u(analytic.size());
        for (double& x : u) x = uniform(rng);
        double directional = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i) directional += analytic[i] * u[i];

        // Move every parameter along +-eps u; keep the originals to restore bit for bit.
        std::vector<double> saved;
        for (parameter* p : params) saved.insert(saved.end(), p->value.begin(), p->value.end());
        auto shift = [&](double sign) {
            std::size_t k = 0;
            for (parameter* p : params) {
                for (double& x : p->value) {
                    x = saved[k] + sign * eps * u[k];
                    ++k;
                }
            }
        };
        auto restore = [&] {
            std::size_t k = 0;
            for (parameter* p : params) {
                for (double& x : p->value) x = saved[k++];
            }
        };
        double plus, minus;
        try {
            shift(+1.0);
            plus = evaluate(fn, f, t);
            shift(-1.0);
            minus = evaluate(fn, f, t);
        } catch (...) {
            restore();
            throw;
        }
        restore();
        evaluations += 2;
        const double numeric = (plus - minus) / (2.0 * eps);
        scale = std::max({scale, std::fabs(plus), std::fabs(minus)});
        const double diff = relative_difference({directional}, {numeric});
        if (!(diff <= worst)) worst = diff;  // keeps a NaN
    }

    if (worst <= options.threshold) {
        gradient_report r;
        r.method = "fast";
        r.difference = worst;
        r.threshold = options.threshold;
        r.epsilon = eps;
        r.passed = true;
        r.evaluations = evaluations;
        r.gradient_norm = norm(analytic, 0, analytic.size());
        r.noise_floor = noise_floor(scale, eps);
        return r;
    }
    gradient_report r = check_gradients(f, params, {options.epsilon, options.threshold});
    r.method = "fast, then full";
    r.evaluations += evaluations;
    return r;
}

// ---- The course's interface --------------------------------------------------

gradient_report gradient_check_1d(const std::function<double(double)>& J, const std::function<double(double)>& dJ,
                                  double theta, double epsilon, double threshold) {
    check_settings("gradient_check_1d", epsilon, threshold);
    const double plus = J(theta + epsilon);
    const double minus = J(theta - epsilon);
    const double approx = (plus - minus) / (2.0 * epsilon);
    gradient_report r = make_report("full", {{"theta", {1, 1}}}, {dJ(theta)}, {approx}, epsilon, threshold,
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
    check_settings(fn, epsilon, threshold);
    if (parameters.size() != gradients.size()) {
        throw value_error(std::string(fn) + ": " + std::to_string(parameters.size()) + " parameters but " +
                          std::to_string(gradients.size()) + " gradients; give one gradient per parameter");
    }
    std::vector<block> blocks;
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
    gradient_report r = make_report("full", blocks, grad, approx, epsilon, threshold, scale);
    r.evaluations = 2 * shifted.size();
    return r;
}

// ---- Reporting -----------------------------------------------------------------

std::vector<std::string> gradient_report::culprits() const {
    std::vector<std::string> names;
    for (const parameter_difference& p : parameters) {
        if (p.at_fault) names.push_back(p.name);
    }
    return names;
}

std::string gradient_report::to_string() const {
    std::ostringstream os;
    os << *this;
    return os.str();
}

std::ostream& operator<<(std::ostream& os, const gradient_report& r) {
    std::ostringstream s;
    s << std::setprecision(6);
    s << "gradient check (" << r.method << ", epsilon " << r.epsilon << ", threshold " << r.threshold
      << "): " << (r.passed ? "passed" : "FAILED") << ", difference " << std::setprecision(10) << r.difference
      << std::setprecision(6) << ", " << r.evaluations << " evaluations\n";
    if (r.gradient_norm == 0.0 && r.difference == 0.0) {
        s << "  note: the gradient is zero everywhere here, so this check says nothing\n";
    }
    for (const parameter_difference& p : r.parameters) {
        std::ostringstream line;
        line << std::setprecision(6) << "  " << std::left << std::setw(12) << p.name << " difference "
             << std::setw(12) << p.difference;
        if (p.at_fault) {
            line << "  <-- at fault";
        } else if (!(p.difference <= r.threshold)) {
            line << "  (above the threshold, but within rounding noise: a small gradient)";
        }
        std::string text = line.str();
        text.erase(text.find_last_not_of(' ') + 1);  // no padding at the end of a line
        s << text << "\n";
    }
    if (!r.passed && !r.parameters.empty() && r.culprits().empty()) {
        s << "  note: no parameter's error stands out from rounding noise; the function may be badly scaled "
             "for this epsilon (try a larger one)\n";
    }
    if (!r.parameters.empty()) {
        s << "  worst element: " << r.worst.parameter << "(" << r.worst.row << ", " << r.worst.col
          << "): analytic " << std::setprecision(10) << r.worst.analytic << ", numeric " << r.worst.numeric
          << "\n";
    }
    return os << s.str();
}

}  // namespace tapegrad
