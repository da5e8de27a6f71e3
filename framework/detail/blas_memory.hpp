// OpenBLAS takes a buffer of 128 MB of address space on the first product a
// thread asks of it, and when malloc fails under an address-space limit
// (ulimit -v, RLIMIT_AS or RLIMIT_DATA) it retries forever at full CPU. Every
// matrix product of tapegrad calls this first: in a thread's first call, when
// such a limit is set, it checks that the buffer can be had and throws
// resource_error if not. Internal, not installed.
#pragma once

namespace tapegrad::detail {

void require_blas_memory(const char* op);

}  // namespace tapegrad::detail
