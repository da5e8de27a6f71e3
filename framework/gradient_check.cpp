#include <tapegrad/framework/gradient_check.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <iomanip>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

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

// See gradient_report::noise_floor.
double noise_floor(double cost_scale, double epsilon) { return 1024.0 * 0x1.0p-52 * cost_scale / epsilon; }

// The report common to every check: overall and per-block differences and
// the worst element. cost_scale: the largest |J| met while differencing, which
// sets the noise floor.
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
    // Emptied first, so a parameter the function never watches shows as one
    // without a gradient instead of keeping an old one.
    for (parameter* p : params) p->grad = matrix();
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

namespace {

// Copies of the parameters' values that an evaluation tape reads instead of the
// originals (tape::substitute), on a tape that records nothing: perturbed
// forward passes never touch the caller's parameters and build no backward state.
class evaluator {
public:
    evaluator(const scalar_function& f, const std::vector<parameter*>& params) : f_(f) {
        t_.set_recording(false);
        for (parameter* p : params) values_.push_back(p->value);
        for (std::size_t i = 0; i < params.size(); ++i) t_.substitute(*params[i], values_[i]);
    }
    std::vector<matrix>& values() noexcept { return values_; }
    double operator()(const char* fn) { return evaluate(fn, f_, t_); }

private:
    const scalar_function& f_;
    tape t_;
    std::vector<matrix> values_;
};

// J with some parameters moved by +eps, either for real (the caller's values,
// restored bit for bit afterwards, also on an exception; evaluated on `plain`,
// a tape that does not record) or through the evaluator's substitutes (restored
// to the parameters' values afterwards). Tapes are reused: a fresh one would
// allocate and fault in every buffer again.
double moved_for_real(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                      const std::vector<std::size_t>& which, double eps, tape& plain) {
    std::vector<matrix> originals;
    for (std::size_t i : which) originals.push_back(params[i]->value);
    auto restore = [&] {
        for (std::size_t k = 0; k < which.size(); ++k) params[which[k]]->value = originals[k];
    };
    try {
        for (std::size_t i : which) {
            for (double& x : params[i]->value) x += eps;
        }
        const double j = evaluate(fn, f, plain);
        restore();
        return j;
    } catch (...) {
        restore();
        throw;
    }
}

void reset_substitutes(evaluator& eval, const std::vector<parameter*>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        std::copy(params[i]->value.begin(), params[i]->value.end(), eval.values()[i].begin());
    }
}

double moved_by_substitutes(const char* fn, const std::vector<parameter*>& params, const std::vector<std::size_t>& which,
                            double eps, evaluator& eval) {
    for (std::size_t i : which) {
        for (double& x : eval.values()[i]) x += eps;
    }
    const double j = eval(fn);
    reset_substitutes(eval, params);
    return j;
}

bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// The perturbed evaluations move substitutes of the watched parameters (so they
// can run in parallel without touching the caller's values). Two things would
// make that differ from moving the parameters themselves, and the check
// meaningless: a function that reads a parameter some other way
// (tape.reference(W.value)), whose use neither gradient would see, and a
// function that is not deterministic (a fresh dropout mask per call). Two
// evaluations rule both out; a mismatch is then narrowed down and named.
void check_function_is_checkable(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                                 double eps, tape& plain, evaluator& eval) {
    std::vector<std::size_t> all(params.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (same_value(moved_for_real(fn, f, params, all, eps, plain), moved_by_substitutes(fn, params, all, eps, eval))) {
        return;
    }
    if (!same_value(evaluate(fn, f, plain), evaluate(fn, f, plain))) {
        throw value_error(std::string(fn) + ": the function gives different values for the same parameters (a fresh "
                          "random draw on every call, such as a new dropout mask?); hold its randomness fixed, e.g. "
                          "reseed its generator inside the function, so central differences mean something");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!same_value(moved_for_real(fn, f, params, {i}, eps, plain), moved_by_substitutes(fn, params, {i}, eps, eval))) {
            throw value_error(std::string(fn) + ": the function reads parameter '" + params[i]->name +
                              "' without tape.watch (for example through tape.reference(" + params[i]->name +
                              ".value)); gradients flow only through watched parameters, so watch it");
        }
    }
}

unsigned worker_count(unsigned requested, std::size_t work) {
    unsigned n = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(work, 1)));
}

// Central differences over every scalar of every parameter, the scalars dealt
// round-robin to `threads` workers, each with its own tape and copies. Returns
// the largest |J| seen in `scale`. The first exception of any worker is rethrown.
std::vector<double> numeric_gradient(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                                     double eps, unsigned threads, double& scale) {
    std::vector<std::size_t> offsets{0};
    for (parameter* p : params) offsets.push_back(offsets.back() + p->value.size());
    const std::size_t total = offsets.back();
    const unsigned workers = worker_count(threads, total);
    std::vector<double> numeric(total);
    std::vector<double> scales(workers, 0.0);
    std::vector<std::exception_ptr> errors(workers);
    std::atomic<bool> stop{false};
    auto work = [&](unsigned w) {
        try {
            evaluator eval(f, params);
            std::size_t pi = 0;
            for (std::size_t k = w; k < total && !stop; k += workers) {
                while (k >= offsets[pi + 1]) ++pi;
                double& x = eval.values()[pi].data()[k - offsets[pi]];
                const double x0 = x;
                x = x0 + eps;
                const double plus = eval(fn);
                x = x0 - eps;
                const double minus = eval(fn);
                x = x0;
                numeric[k] = (plus - minus) / (2.0 * eps);
                scales[w] = std::max({scales[w], std::fabs(plus), std::fabs(minus)});
            }
        } catch (...) {
            errors[w] = std::current_exception();
            stop = true;
        }
    };
    if (workers == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work, w);
        for (std::thread& th : pool) th.join();
    }
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    scale = *std::max_element(scales.begin(), scales.end());
    return numeric;
}

}  // namespace

gradient_report check_gradients(const scalar_function& f, const std::vector<parameter*>& params,
                                const gradient_check_options& options) {
    const char* fn = "check_gradients";
    check_settings(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    tape t;
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);
    {
        t.set_recording(false);  // the analytic pass's tape serves the plain evaluations
        evaluator eval(f, params);
        check_function_is_checkable(fn, f, params, options.epsilon, t, eval);
    }
    double scale = 0.0;
    const std::vector<double> numeric = numeric_gradient(fn, f, params, options.epsilon, options.threads, scale);
    gradient_report r =
        make_report("full", blocks_of(params), analytic, numeric, options.epsilon, options.threshold, scale);
    r.evaluations = 3 + 2 * numeric.size();
    return r;
}

gradient_report check_gradients_fast(const scalar_function& f, const std::vector<parameter*>& params,
                                     const fast_check_options& options) {
    const char* fn = "check_gradients_fast";
    check_settings(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    if (options.directions == 0) throw value_error(std::string(fn) + ": directions must be at least 1, got 0");
    tape t;
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);

    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    const double eps = options.epsilon;
    double worst = 0.0;
    double scale = 0.0;
    std::size_t evaluations = 3;
    t.set_recording(false);  // the analytic pass's tape serves the plain evaluations
    evaluator eval(f, params);
    check_function_is_checkable(fn, f, params, eps, t, eval);
    std::vector<double> u(analytic.size());
    for (std::size_t d = 0; d < options.directions; ++d) {
        // A unit direction: the step eps u then moves the whole parameter vector by
        // eps, however many parameters there are, so few ReLU kinks are crossed
        // (with |u_i| ~ 1 a large network crosses thousands and the difference is
        // dominated by them).
        double length = 0.0;
        for (double& x : u) {
            x = uniform(rng);
            length += x * x;
        }
        length = std::sqrt(length);
        for (double& x : u) x /= length;
        double directional = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i) directional += analytic[i] * u[i];
        // The copies moved to theta +- eps u (the caller's parameters stay as they are).
        auto shift = [&](double sign) {
            std::size_t k = 0;
            for (std::size_t i = 0; i < params.size(); ++i) {
                const double* original = params[i]->value.data();
                double* x = eval.values()[i].data();
                for (std::size_t e = 0; e < params[i]->value.size(); ++e, ++k) x[e] = original[e] + sign * eps * u[k];
            }
        };
        shift(+1.0);
        const double plus = eval(fn);
        shift(-1.0);
        const double minus = eval(fn);
        evaluations += 2;
        const double numeric = (plus - minus) / (2.0 * eps);
        scale = std::max({scale, std::fabs(plus), std::fabs(minus)});
        const double diff = relative_difference({directional}, {numeric});
        if (!(diff <= worst)) worst = diff;  // keeps a NaN
    }

    if (worst <= options.threshold || analytic.size() > options.full_check_limit) {
        gradient_report r;
        r.method = "fast";
        r.difference = worst;
        r.threshold = options.threshold;
        r.epsilon = eps;
        r.passed = worst <= options.threshold;
        r.evaluations = evaluations;
        r.gradient_norm = norm(analytic, 0, analytic.size());
        r.noise_floor = noise_floor(scale, eps);
        if (!r.passed) {
            r.note = "no full check followed: " + std::to_string(analytic.size()) + " scalars is more than "
                     "full_check_limit (" + std::to_string(options.full_check_limit) + "); run check_gradients on "
                     "the parameters you suspect to name the culprit";
        }
        return r;
    }
    gradient_report r = check_gradients(f, params, {options.epsilon, options.threshold, options.threads});
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
    if (!r.note.empty()) s << "  note: " << r.note << "\n";
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
