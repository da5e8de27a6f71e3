#include <tapegrad/framework/gradient_report.hpp>

#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

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

}  // namespace

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) {
        throw value_error("relative_difference: the vectors have " + std::to_string(a.size()) + " and " +
                          std::to_string(b.size()) + " elements; they must have the same length");
    }
    return relative_difference(a, b, 0, a.size());
}


void check_tolerances(const std::string& fn, double epsilon, double threshold) {
    if (!(epsilon > 0.0) || !std::isfinite(epsilon)) {
        throw value_error(fn + ": epsilon must be a positive finite number, got " +
                          std::to_string(epsilon));
    }
    if (!(threshold > 0.0) || !std::isfinite(threshold)) {
        throw value_error(fn + ": threshold must be a positive finite number, got " +
                          std::to_string(threshold));
    }
}

double noise_floor(double cost_scale, double epsilon) { return 1024.0 * 0x1.0p-52 * cost_scale / epsilon; }

double euclidean_norm(const std::vector<double>& v) { return norm(v, 0, v.size()); }

gradient_report compare_gradients(const std::string& method, const std::vector<gradient_block>& blocks,
                                  const std::vector<double>& analytic, const std::vector<double>& numeric,
                                  double epsilon, double threshold, double cost_scale) {
    if (analytic.size() != numeric.size()) {
        throw value_error("compare_gradients: the analytic gradient has " + std::to_string(analytic.size()) +
                          " elements and the numeric one " + std::to_string(numeric.size()) +
                          "; they must have the same length");
    }
    std::size_t total = 0;
    for (const gradient_block& b : blocks) total += b.shape.rows * b.shape.cols;
    if (total != analytic.size()) {
        throw value_error("compare_gradients: the blocks hold " + std::to_string(total) + " elements but the gradients " +
                          std::to_string(analytic.size()) + "; they must cover the gradients exactly");
    }
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
    for (const gradient_block& b : blocks) {
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
    if (r.audited) {
        std::istringstream lines(r.audit.to_string());
        for (std::string line; std::getline(lines, line);) s << "  " << line << "\n";
        if (r.audit.passed() && !r.passed) {
            s << "  note: every op's backward agrees with its forward, so the error is not in an op's backward "
                 "rule but in how the function is built from them\n";
        }
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
