// Counting heap allocations of the benchmark process. The benchmark executable
// replaces the global operator new / new[] (every variant, aligned ones too)
// and, outside sanitizer builds, the C allocation functions (malloc, calloc,
// realloc, posix_memalign, aligned_alloc, memalign, valloc, pvalloc). Counting
// is off until start(), so the measured steps pay one relaxed atomic load per
// allocation and nothing else.
#pragma once

#include <cstdint>

namespace tapegrad::bench::allocations {

struct counts {
    std::uint64_t operator_new = 0;  // calls of any operator new / new[]
    std::uint64_t c_alloc = 0;       // calls of malloc, calloc, realloc, ... (operator new's own malloc included)
};

// Zero the counters and start counting (in this thread and every other one).
void start();
// Stop counting and return what was counted since start().
counts stop();
// Whether the C allocation functions are counted in this build (not with
// AddressSanitizer or ThreadSanitizer, which replace them themselves).
bool counts_c_allocations();

}  // namespace tapegrad::bench::allocations
