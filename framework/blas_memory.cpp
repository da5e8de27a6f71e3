#include <tapegrad/framework/detail/blas_memory.hpp>

#include <cstdlib>
#include <string>

#include <sys/resource.h>

#include <tapegrad/framework/error.hpp>

namespace tapegrad::detail {

namespace {

// OpenBLAS 0.3.21's buffer (measured: the address space grows by exactly this
// at a process's first dgemm), plus a megabyte for what the caller does meanwhile.
constexpr std::size_t blas_buffer = (128u << 20) + (1u << 20);

std::string limit_text(int resource, const char* name) {
    rlimit r{};
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return "";
    return std::string(name) + " " + std::to_string(r.rlim_cur / 1024) + " kB";
}

}  // namespace

void require_blas_memory(const char* op) {
    thread_local bool ready = false;
    if (ready) return;
    const std::string as = limit_text(RLIMIT_AS, "address space (ulimit -v)");
    const std::string data = limit_text(RLIMIT_DATA, "data (ulimit -d)");
    if (!as.empty() || !data.empty()) {
        void* probe = std::malloc(blas_buffer);
        if (probe == nullptr) {
            throw resource_error(std::string(op) + ": OpenBLAS needs 128 MB of address space for its matrix products "
                                 "and would wait forever for it, but the process's limit (" + as +
                                 (as.empty() || data.empty() ? "" : ", ") + data + ") leaves too little. Raise the "
                                 "limit by a few hundred MB; with several OpenBLAS threads each needs its own buffer "
                                 "(OPENBLAS_NUM_THREADS=1 needs the least)");
        }
        std::free(probe);
    }
    ready = true;
}

}  // namespace tapegrad::detail
