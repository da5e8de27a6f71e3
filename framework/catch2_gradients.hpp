// Catch2 (v2) matchers for gradient checks, so a test states "the gradients of
// this function are right" in one line and a failure shows the checker's whole
// report (difference per parameter, worst element) instead of a bare `false`:
//
//     REQUIRE_THAT(cost, tapegrad::catch2::has_correct_gradients({&W, &b}));
//     CHECK_THAT(cost, tapegrad::catch2::has_correct_gradients_fast({&W, &b}));
//     TAPEGRAD_CHECK_GRADIENTS(cost, &W, &b);
//     CHECK_THAT(report, tapegrad::catch2::passes());   // a gradient_report already computed
//
// `cost` is a tapegrad::scalar_function or anything convertible to one (a
// lambda taking tape&). The parameters must outlive the assertion.
//
// A check whose analytic gradient is zero everywhere fails here, although
// check_gradients reports it as passed: it compares zero with zero and proves
// nothing, and inside a passing CHECK_THAT nobody would read the report's note.
//
// Header-only and not included by tapegrad.hpp: include it only from code that
// already uses Catch2 v2 (it includes <catch2/catch.hpp>).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/framework/gradient_check.hpp>
#include <tapegrad/framework/parameter.hpp>

namespace tapegrad::catch2 {

namespace detail {

// A report that passed with an all-zero gradient: the check says nothing.
inline bool vacuous(const gradient_report& r) { return r.passed && r.gradient_norm == 0.0; }

inline bool acceptable(const gradient_report& r) { return r.passed && !vacuous(r); }

inline std::string names_of(const std::vector<parameter*>& params) {
    std::string s;
    for (const parameter* p : params) {
        if (!s.empty()) s += ", ";
        s += p != nullptr ? p->name : std::string("<null>");
    }
    return s;
}

inline std::string verdict(const gradient_report& r) {
    if (vacuous(r)) {
        return "the analytic gradient is zero everywhere, so the check proves nothing: evaluate the "
               "function where it depends on the parameters\n";
    }
    return "";
}

}  // namespace detail

// Matches a scalar_function whose tape gradients agree with central
// differences (check_gradients, or check_gradients_fast for the fast variant).
// Catch2 v2 calls match() and then describe() on a copy of the matcher, so the
// report is kept from match() for describe() to print.
class gradients_matcher : public Catch::MatcherBase<scalar_function> {
public:
    gradients_matcher(std::vector<parameter*> params, const gradient_check_options& options)
        : params_(std::move(params)), fast_(false), full_options_(options) {}
    gradients_matcher(std::vector<parameter*> params, const fast_check_options& options)
        : params_(std::move(params)), fast_(true), fast_options_(options) {}

    // Runs the check. Errors of the checker (a non-1x1 result, an unwatched
    // parameter, bad options) propagate, so Catch2 reports their message.
    bool match(const scalar_function& f) const override {
        report_.reset();
        report_ = fast_ ? check_gradients_fast(f, params_, fast_options_)
                        : check_gradients(f, params_, full_options_);
        return detail::acceptable(*report_);
    }

    std::string describe() const override {
        std::string d = std::string("has correct gradients (") + (fast_ ? "fast" : "full") + " check) for " +
                        detail::names_of(params_);
        if (!report_) return d + " (not checked yet)";
        return d + ":\n" + detail::verdict(*report_) + report_->to_string();
    }

    // The report of the last match(), or nullptr before any.
    const gradient_report* report() const noexcept { return report_ ? &*report_ : nullptr; }

private:
    std::vector<parameter*> params_;
    bool fast_;
    gradient_check_options full_options_{};
    fast_check_options fast_options_{};
    mutable std::optional<gradient_report> report_;
};

// Full check: every scalar of every parameter.
inline gradients_matcher has_correct_gradients(std::vector<parameter*> params,
                                               const gradient_check_options& options = {}) {
    return gradients_matcher(std::move(params), options);
}

// Fast check along a few random directions; on failure the report is the full
// check's, which names the culprit.
inline gradients_matcher has_correct_gradients_fast(std::vector<parameter*> params,
                                                    const fast_check_options& options = {}) {
    return gradients_matcher(std::move(params), options);
}

// Matches a gradient_report that passed (and not vacuously). Catch2 prints the
// report itself (through its operator<<) as the checked value.
class report_matcher : public Catch::MatcherBase<gradient_report> {
public:
    bool match(const gradient_report& r) const override {
        vacuous_ = detail::vacuous(r);
        return detail::acceptable(r);
    }
    std::string describe() const override {
        return vacuous_ ? "passes the gradient check (it did, but with an analytic gradient of zero "
                          "everywhere, which proves nothing)"
                        : "passes the gradient check";
    }

private:
    mutable bool vacuous_ = false;
};

inline report_matcher passes() { return report_matcher(); }

}  // namespace tapegrad::catch2

// One-line assertions: TAPEGRAD_CHECK_GRADIENTS(cost, &W, &b) is
// CHECK_THAT(cost, tapegrad::catch2::has_correct_gradients({&W, &b})).
// `cost` is a name (a lambda written inline would be split at its commas).
#ifdef CATCH_CONFIG_PREFIX_ALL
#define TAPEGRAD_CHECK_GRADIENTS(cost, ...) \
    CATCH_CHECK_THAT(cost, ::tapegrad::catch2::has_correct_gradients({__VA_ARGS__}))
#define TAPEGRAD_REQUIRE_GRADIENTS(cost, ...) \
    CATCH_REQUIRE_THAT(cost, ::tapegrad::catch2::has_correct_gradients({__VA_ARGS__}))
#else
#define TAPEGRAD_CHECK_GRADIENTS(cost, ...) \
    CHECK_THAT(cost, ::tapegrad::catch2::has_correct_gradients({__VA_ARGS__}))
#define TAPEGRAD_REQUIRE_GRADIENTS(cost, ...) \
    REQUIRE_THAT(cost, ::tapegrad::catch2::has_correct_gradients({__VA_ARGS__}))
#endif
