// Replacements of the global allocation functions, defined in the executable so
// that every library of the process (tapegrad, xtensor, libstdc++, OpenBLAS and
// the dlopen'ed libtorch module) calls them. See allocation_counter.hpp.
#include "allocation_counter.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TAPEGRAD_BENCH_COUNT_C_ALLOCATIONS 0
#else
#define TAPEGRAD_BENCH_COUNT_C_ALLOCATIONS 1
#endif

namespace tapegrad::bench::allocations {

namespace {

std::atomic<bool> counting{false};
std::atomic<std::uint64_t> new_calls{0};
std::atomic<std::uint64_t> c_calls{0};

inline void count(std::atomic<std::uint64_t>& counter) noexcept {
    if (counting.load(std::memory_order_relaxed)) counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void start() {
    new_calls.store(0);
    c_calls.store(0);
    counting.store(true);
}

counts stop() {
    counting.store(false);
    return {new_calls.load(), c_calls.load()};
}

bool counts_c_allocations() { return TAPEGRAD_BENCH_COUNT_C_ALLOCATIONS != 0; }

}  // namespace tapegrad::bench::allocations

// ---- the C allocation functions -------------------------------------------
// glibc documents that a program may replace malloc and friends; these forward
// to glibc's own allocator through its exported __libc_* entry points.
#if TAPEGRAD_BENCH_COUNT_C_ALLOCATIONS
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t n, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);

void* malloc(std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_malloc(size);
}

void* calloc(std::size_t n, std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_calloc(n, size);
}

void* realloc(void* p, std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_realloc(p, size);
}

void free(void* p) noexcept { __libc_free(p); }

void* memalign(std::size_t alignment, std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
    if (alignment == 0 || alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    void* p = __libc_memalign(alignment, size);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}

void* valloc(std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    return __libc_memalign(static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), size);
}

void* pvalloc(std::size_t size) noexcept {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::c_calls);
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return __libc_memalign(page, (size + page - 1) / page * page);
}
}  // extern "C"
#endif

// ---- operator new and delete ----------------------------------------------

namespace {

void* allocate(std::size_t size) {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::new_calls);
    if (size == 0) size = 1;
    for (;;) {
        if (void* p = std::malloc(size)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
    tapegrad::bench::allocations::count(tapegrad::bench::allocations::new_calls);
    if (size == 0) size = 1;
    auto align = static_cast<std::size_t>(alignment);
    if (align < sizeof(void*)) align = sizeof(void*);
    for (;;) {
        void* p = nullptr;
        if (posix_memalign(&p, align, size) == 0) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new(std::size_t size, std::align_val_t a) { return allocate_aligned(size, a); }
void* operator new[](std::size_t size, std::align_val_t a) { return allocate_aligned(size, a); }
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return allocate_aligned(size, a);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return allocate_aligned(size, a);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
