// The course's gradient-checking interface: a 1-D check of a function of one
// number, and the N-D check of hand-written gradients over parameter
// "dictionaries" (ordered named matrices W1, b1, ... and dW1, db1, ...),
// flattened like the course's dictionary_to_vector. Reports are the library's
// gradient_report, so they name the parameters at fault.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <tapegrad/course/course_constants.hpp>
#include <tapegrad/framework/gradient_report.hpp>
#include <tapegrad/models/named_matrices.hpp>

namespace tapegrad {

// 1-D check of a function of one number: J(theta) and its claimed derivative.
gradient_report gradient_check_1d(const std::function<double(double)>& J, const std::function<double(double)>& dJ,
                                  double theta, double epsilon = course_epsilon,
                                  double threshold = course_threshold);

// All parameters flattened in order, each row-major, with the name of the
// parameter each value came from (the course's dictionary_to_vector).
struct flat_parameters {
    std::vector<double> values;
    std::vector<std::string> keys;
};
flat_parameters dictionary_to_vector(const named_matrices& parameters);
// The inverse, with names and shapes taken from `layout`.
named_matrices vector_to_dictionary(const std::vector<double>& values, const named_matrices& layout);
// The gradients flattened in the same order (the course's gradients_to_vector).
std::vector<double> gradients_to_vector(const named_matrices& gradients);

// N-D check: `gradients` (named like dW1, db1, ...) against central differences
// of `cost` over every scalar of `parameters`, in order. Passes when the overall
// difference is at most `threshold`; the report names the parameters by the
// gradients' names.
gradient_report gradient_check_n(const named_matrices& parameters, const named_matrices& gradients,
                                 const std::function<double(const named_matrices&)>& cost,
                                 double epsilon = course_epsilon, double threshold = course_threshold);

}  // namespace tapegrad
