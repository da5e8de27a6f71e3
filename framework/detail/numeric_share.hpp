// numeric_share: the full gradient check with its perturbed evaluations split
// over processes (tapegrad::distributed). Internal, not installed.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

#include <tapegrad/framework/gradient_check.hpp>

namespace tapegrad::detail {

struct numeric_share {
    // The scalars of the flattened parameters this process evaluates.
    std::size_t begin = 0;
    std::size_t end = std::numeric_limits<std::size_t>::max();
    // Empty for a single process. Otherwise called on every process after its
    // share: completes `numeric` (the other shares are zeros here) and `scale`
    // (the largest |J|) over the processes, and returns the lowest scalar whose
    // evaluation failed on any of them (failed_at is this one's; max: none). It
    // throws when another process failed first; this process rethrows its own
    // error when it failed first.
    std::function<std::size_t(std::vector<double>& numeric, double& scale, std::size_t failed_at)> gather;
};

// check_gradients over one share; `fn` names the caller in messages. Every
// process builds the same report.
gradient_report check_gradients_shared(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                                       const gradient_check_options& options, const numeric_share& share);

}  // namespace tapegrad::detail
