#include <tapegrad/framework/tape_audit.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/detail/tape_access.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/gradient_report.hpp>
#include <tapegrad/framework/op.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

namespace {

using detail::tape_access;

double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; }

void fill_random(matrix& m, shape2 shape, std::mt19937_64& rng) {
    ensure_shape(m, shape);
    for (double& x : m) x = uniform(rng);
}

double dot(const matrix& a, const matrix& b) {
    double s = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) s += a.data()[k] * b.data()[k];
    return s;
}

// One node under audit: its recorded inputs, scratch for its re-runs.
class node_audit {
public:
    node_audit(const tape& t, std::size_t index) : index_(index), n_(tape_access::at(t, index)) {
        for (std::size_t k = 0; k < n_.input_count; ++k) {
            x_[k] = &tape_access::input_value(t, n_, k);
            needs_[k] = tape_access::at(t, n_.inputs[k]).requires_grad;
        }
    }

    std::size_t arity() const { return n_.input_count; }
    bool needs(std::size_t k) const { return needs_[k]; }
    shape2 input_shape(std::size_t k) const { return shape_of(*x_[k]); }
    shape2 output_shape() const { return shape_of(n_.current_value()); }

    // The rule's gradient for every input that needs one, with G = r: into grads_.
    void run_backward(const matrix& r) {
        matrix incoming = r;  // the rule may transform its incoming gradient in place
        bool consumed = false;
        const matrix* saved[max_op_saved] = {&n_.saved[0], &n_.saved[1]};
        backward_context c = detail::context_access::backward(n_.op, n_.input_count, x_, n_.current_value(), incoming,
                                                              consumed, saved, n_.scalars.data());
        for (std::size_t k = 0; k < n_.input_count; ++k) {
            written_[k] = false;
            if (needs_[k]) detail::context_access::set_target(c, k, &grads_[k], &written_[k]);
        }
        n_.descriptor->backward(c);
        for (std::size_t k = 0; k < n_.input_count; ++k) {
            // An input the rule gave nothing has a zero gradient.
            if (needs_[k] && !written_[k]) grads_[k] = make_matrix(input_shape(k), 0.0);
        }
    }

    // sum over the inputs in `which` of <gradient_k, u_k>
    double analytic(const bool* which, const matrix* u) const {
        double a = 0.0;
        for (std::size_t k = 0; k < n_.input_count; ++k) {
            if (which[k]) a += dot(grads_[k], u[k]);
        }
        return a;
    }

    // <r, f(x + step u)> over the inputs in `which`, and sum |r f| for the noise floor.
    double weighted_forward(const bool* which, const matrix* u, double step, const matrix& r, double& scale) {
        const matrix* inputs[max_op_inputs] = {};
        for (std::size_t k = 0; k < n_.input_count; ++k) {
            if (!which[k]) {
                inputs[k] = x_[k];
                continue;
            }
            moved_[k] = *x_[k];
            for (std::size_t e = 0; e < moved_[k].size(); ++e) moved_[k].data()[e] += step * u[k].data()[e];
            inputs[k] = &moved_[k];
        }
        matrix* saved[max_op_saved] = {&saved_[0], &saved_[1]};
        forward_context f =
            detail::context_access::forward(n_.op, n_.input_count, inputs, output_, saved, n_.scalars.data());
        n_.descriptor->forward(f);
        if (shape_of(output_) != shape_of(r)) {
            throw shape_error("audit_tape: op '" + std::string(n_.op) + "' (node " + std::to_string(index_) +
                              ") gave an output of shape " + shape_string(output_) + " when re-run, but recorded " +
                              shape_string(r));
        }
        double s = 0.0;
        for (std::size_t e = 0; e < r.size(); ++e) {
            s += r.data()[e] * output_.data()[e];
            scale += std::fabs(r.data()[e] * output_.data()[e]);
        }
        return s;
    }

private:
    std::size_t index_;
    const detail::node& n_;
    const matrix* x_[max_op_inputs] = {};
    bool needs_[max_op_inputs] = {};
    bool written_[max_op_inputs] = {};
    matrix grads_[max_op_inputs], moved_[max_op_inputs], saved_[max_op_saved], output_;
};

struct comparison {
    double analytic = 0.0, numeric = 0.0, difference = 0.0;
    bool finite = true, wrong = false;
    bool kink = false;  // not differentiable here along u: the one-sided derivatives jump
};

// The directional derivative along u over the inputs in `which`, both ways.
comparison compare(node_audit& a, const bool* which, const matrix* u, const matrix& r, const tape_audit_options& o,
                   std::size_t& evaluations) {
    comparison c;
    double scale = 0.0;
    const double plus = a.weighted_forward(which, u, o.epsilon, r, scale);
    const double minus = a.weighted_forward(which, u, -o.epsilon, r, scale);
    evaluations += 2;
    c.analytic = a.analytic(which, u);
    c.numeric = (plus - minus) / (2.0 * o.epsilon);
    c.finite = std::isfinite(c.analytic) && std::isfinite(c.numeric) && std::isfinite(scale);
    const double error = std::fabs(c.analytic - c.numeric);
    const double den = std::fabs(c.analytic) + std::fabs(c.numeric);
    c.difference = den == 0.0 ? 0.0 : error / den;
    // As the checker's noise floor: rounding in the two weighted sums, magnified by 1 / (2 eps).
    const double floor = noise_floor(scale, o.epsilon);
    c.wrong = c.finite && c.difference > o.threshold && error > floor;
    if (!c.wrong) return c;
    // One-sided derivatives at steps eps and eps / 10. At a smooth point they
    // differ by about step |f''|, so a tenth of the step gives a tenth of the
    // gap; at a kink the gap is the jump in slope, the same at both steps. Only
    // a gap far above the threshold that does not shrink counts as a kink. With
    // several elements at their kinks no single value is right along every u
    // (each element's convention picks a side), so the rule is not judged there.
    const double centre = a.weighted_forward(which, u, 0.0, r, scale);
    const double small = o.epsilon / 10.0;
    const double plus_small = a.weighted_forward(which, u, small, r, scale);
    const double minus_small = a.weighted_forward(which, u, -small, r, scale);
    evaluations += 3;
    const double gap = std::fabs((plus - centre) / o.epsilon - (centre - minus) / o.epsilon);
    const double gap_small = std::fabs((plus_small - centre) / small - (centre - minus_small) / small);
    const double size = std::fabs(plus - minus) / o.epsilon;
    if (gap > 100.0 * o.threshold * size + 2.0 * floor && gap_small > 0.5 * gap) {
        c.kink = true;
        c.wrong = false;
    }
    return c;
}

// A random unit direction over the inputs in `which` (zero elsewhere).
void draw_direction(node_audit& a, const bool* which, matrix* u, std::mt19937_64& rng) {
    double length = 0.0;
    for (std::size_t k = 0; k < a.arity(); ++k) {
        if (!which[k]) continue;
        fill_random(u[k], a.input_shape(k), rng);
        length += dot(u[k], u[k]);
    }
    length = std::sqrt(length);
    for (std::size_t k = 0; k < a.arity(); ++k) {
        if (!which[k] || length == 0.0) continue;
        for (double& x : u[k]) x /= length;
    }
}

}  // namespace

std::string op_fault::to_string() const {
    std::ostringstream s;
    s << "backward of op " << node << " '" << op << "' (input " << input << ", shape " << tapegrad::to_string(input_shape)
      << ") is wrong: difference " << difference << " (directional derivative " << analytic << ", numeric " << numeric
      << ")";
    return s.str();
}

std::vector<std::string> tape_audit_report::faulty_ops() const {
    std::vector<std::string> names;
    for (const op_fault& f : faults) {
        bool seen = false;
        for (const std::string& n : names) seen = seen || n == f.op;
        if (!seen) names.push_back(f.op);
    }
    return names;
}

std::string tape_audit_report::to_string() const {
    std::ostringstream s;
    s << "tape audit: " << ops_checked << " op" << (ops_checked == 1 ? "" : "s") << " checked";
    if (ops_skipped > 0) s << " (" << ops_skipped << " not checkable: non-finite values)";
    if (ops_not_differentiable > 0) {
        s << " (" << ops_not_differentiable << " at a non-differentiable point, not judged: the one-sided "
          << "derivatives differ)";
    }
    if (faults.empty()) {
        s << ", every backward agrees with its forward\n";
    } else {
        s << ", " << faults.size() << " wrong:\n";
        for (const op_fault& f : faults) s << "  " << f.to_string() << "\n";
    }
    return s.str();
}

tape_audit_report audit_tape(const tape& t, const tape_audit_options& o) {
    check_tolerances("audit_tape", o.epsilon, o.threshold);
    if (!t.recording()) {
        throw tape_error("audit_tape: this tape does not record (set_recording(false)), so it holds no backward "
                         "rules to audit");
    }
    tape_audit_report report;
    std::mt19937_64 rng(o.seed);
    matrix r, u[max_op_inputs];
    for (std::size_t i = 0; i < t.size(); ++i) {
        const detail::node& n = tape_access::at(t, i);
        if (!n.has_backward || n.descriptor == nullptr) continue;
        node_audit a(t, i);
        bool all[max_op_inputs] = {};
        for (std::size_t k = 0; k < a.arity(); ++k) all[k] = a.needs(k);
        fill_random(r, a.output_shape(), rng);
        draw_direction(a, all, u, rng);
        a.run_backward(r);
        const comparison joint = compare(a, all, u, r, o, report.evaluations);
        if (!joint.finite) {
            ++report.ops_skipped;
            continue;
        }
        ++report.ops_checked;
        if (joint.kink) ++report.ops_not_differentiable;
        if (!joint.wrong) continue;
        // Which input: each one alone along its own unit direction.
        const std::size_t before = report.faults.size();
        for (std::size_t k = 0; k < a.arity(); ++k) {
            if (!a.needs(k)) continue;
            bool only[max_op_inputs] = {};
            only[k] = true;
            draw_direction(a, only, u, rng);
            const comparison c = compare(a, only, u, r, o, report.evaluations);
            if (c.wrong || !c.finite) {
                report.faults.push_back({n.op, i, k, a.input_shape(k), a.output_shape(), c.analytic, c.numeric,
                                         c.difference});
            }
        }
        if (report.faults.size() == before) {  // wrong only jointly: blame the first input that needs a gradient
            std::size_t k = 0;
            while (!a.needs(k)) ++k;
            report.faults.push_back({n.op, i, k, a.input_shape(k), a.output_shape(), joint.analytic, joint.numeric,
                                     joint.difference});
        }
    }
    return report;
}

}  // namespace tapegrad
