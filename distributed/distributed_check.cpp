#include <tapegrad/distributed/distributed_check.hpp>

#include <limits>
#include <string>

#include <tapegrad/distributed/errors.hpp>
#include <tapegrad/distributed/parameter_sync.hpp>
#include <tapegrad/framework/detail/numeric_share.hpp>
#include <tapegrad/models/shard.hpp>

namespace tapegrad::distributed {

gradient_report check_gradients(const communicator& comm, const scalar_function& f,
                                 const std::vector<parameter*>& params, const gradient_check_options& options) {
    const char* fn = "distributed::check_gradients";
    check_same_parameters(comm, params, fn);
    std::size_t scalars = 0;
    for (const parameter* p : params) scalars += p->value().size();
    // Process r's block: shard.hpp's contiguous rule over the flattened scalars.
    std::vector<std::size_t> offsets{0};
    for (int r = 0; r < comm.size(); ++r) {
        offsets.push_back(offsets.back() + shard_size(scalars, {static_cast<std::size_t>(r),
                                                                static_cast<std::size_t>(comm.size())}));
    }
    detail::numeric_share share;
    share.begin = offsets[static_cast<std::size_t>(comm.rank())];
    share.end = offsets[static_cast<std::size_t>(comm.rank()) + 1];
    share.gather = [&](std::vector<double>& numeric, double& scale, std::size_t failed_at) {
        const std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
        const std::uint64_t mine = failed_at == std::numeric_limits<std::size_t>::max() ? none : failed_at;
        const std::uint64_t first = comm.min(mine);
        if (first != none && first != mine) {
            std::size_t owner = 0;
            while (offsets[owner + 1] <= first) ++owner;
            throw remote_error(std::string(fn) + ": the evaluation of scalar " + std::to_string(first) +
                               " failed on process " + std::to_string(owner) + ", which reports why");
        }
        if (first != none) return static_cast<std::size_t>(first);
        comm.all_gather(numeric.data(), offsets);
        scale = comm.max(scale);
        return std::numeric_limits<std::size_t>::max();
    };
    return detail::check_gradients_shared(fn, f, params, options, share);
}

}  // namespace tapegrad::distributed
