#include <tapegrad/distributed/distributed_check.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include <tapegrad/distributed/errors.hpp>
#include <tapegrad/distributed/parameter_sync.hpp>
#include <tapegrad/framework/detail/numeric_share.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/models/shard.hpp>

namespace tapegrad::distributed {

namespace {

std::uint64_t bits_of(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

// Every process must check the same function at the same point, or each would
// build a report from blocks of different functions: the parameters' values and
// J there must be the same bits everywhere (the same error on every process).
void check_same_function(const communicator& comm, const scalar_function& f, const std::vector<parameter*>& params,
                         const char* fn) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a over the values' bytes
    for (const parameter* p : params) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(p->value().data());
        for (std::size_t i = 0; i < p->value().size() * sizeof(double); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
    }
    if (comm.min(h) != comm.max(h)) {
        throw value_error(std::string(fn) + ": the parameters' values differ between the processes; every process "
                          "must check the same point (broadcast_parameters gives every process process 0's values)");
    }
    tape t;
    const var y = f(t);
    const double J = y.empty() || y.value().size() != 1 ? 0.0 : y.item();  // the check itself refuses other shapes
    const std::uint64_t low = comm.min(bits_of(J)), high = comm.max(bits_of(J));
    if (low != high) {
        double a = 0.0, b = 0.0;
        std::memcpy(&a, &low, sizeof a);
        std::memcpy(&b, &high, sizeof b);
        throw value_error(std::string(fn) + ": the function's value differs between the processes at the same "
                          "parameters (J = " + number_text(a) + " on one, " + number_text(b) + " on another); every "
                          "process must compute the same cost, e.g. on the whole set, not on its shard");
    }
}

}  // namespace

gradient_report check_gradients(const communicator& comm, const scalar_function& f,
                                 const std::vector<parameter*>& params, const gradient_check_options& options) {
    const char* fn = "distributed::check_gradients";
    check_same_parameters(comm, params, fn);
    check_same_function(comm, f, params, fn);
    std::size_t scalars = 0;
    for (const parameter* p : params) scalars += p->value().size();
    // Process r's block: shard.hpp's contiguous rule over the flattened scalars.
    std::vector<std::size_t> offsets{0};
    const std::size_t processes = static_cast<std::size_t>(comm.size());
    for (std::size_t r = 0; r < processes; ++r) offsets.push_back(offsets.back() + shard_size(scalars, {r, processes}));
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
