#include "program.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <string>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <tapegrad/framework/blas_kernel.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/math_mode.hpp>

namespace tapegrad::examples {

namespace {

bool limited(int resource) {
    rlimit r{};
    return getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY;
}

}  // namespace

void start_program(int argc, char** argv) {
    (void)argc;
    if (fcntl(STDOUT_FILENO, F_GETFD) < 0 && errno == EBADF) {
        std::fprintf(stderr, "%s: standard output is closed; to discard the program's output, send it to /dev/null\n",
                     argv[0]);
        std::exit(2);
    }
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
    if ((limited(RLIMIT_AS) || limited(RLIMIT_DATA)) && std::getenv("OPENBLAS_NUM_THREADS") == nullptr) {
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        execv("/proc/self/exe", argv);
        // Could not re-execute: go on; a product that cannot get its buffer throws.
    }
    const char* slash = std::strrchr(argv[0], '/');
    const char* name = slash != nullptr ? slash + 1 : argv[0];
    // An unknown TAPEGRAD_MATH is refused now, not by the first op deep in a run.
    try {
        (void)current_math_mode();
    } catch (const error& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        std::exit(2);
    }
    // Generic kernels on an AVX2 CPU halve the speed of every product without a word: say so.
    const std::string blas = current_blas_kernel().warning();
    if (!blas.empty()) std::fprintf(stderr, "%s: note: %s\n", name, blas.c_str());
}

int finish_program(const char* name, int status) {
    errno = 0;
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        const int error = errno;
        std::fprintf(stderr, "%s: could not write to standard output%s%s; the console output is incomplete\n", name,
                     error != 0 ? ": " : "", error != 0 ? std::strerror(error) : "");
        return status == 0 ? 1 : status;
    }
    return status;
}

}  // namespace tapegrad::examples
