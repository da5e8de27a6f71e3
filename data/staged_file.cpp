#include <tapegrad/data/staged_file.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

// The temporaries not yet committed, for the interrupt handler: a fixed table
// of pointers that the handler only reads (async-signal-safe).
constexpr int slots = 64;
std::atomic<const char*> staged[slots];

int claim_slot(const char* name) {
    for (int i = 0; i < slots; ++i) {
        const char* expected = nullptr;
        if (staged[i].compare_exchange_strong(expected, name)) return i;
    }
    return -1;  // more than 64 at once: this one is still removed on failure, not on a signal
}

void release_slot(int i) {
    if (i >= 0) staged[i].store(nullptr);
}

extern "C" void remove_staged_and_reraise(int sig) {
    for (auto& slot : staged) {
        if (const char* name = slot.load()) ::unlink(name);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::string random_suffix() {
    static std::atomic<std::uint64_t> counter{0};
    thread_local std::mt19937_64 rng{std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 20)};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08llx",
                  static_cast<unsigned long long>((rng() ^ counter.fetch_add(1)) & 0xffffffffu));
    return buf;
}

std::string system_message(int error) { return std::strerror(error); }

}  // namespace

staged_file::staged_file(const std::string& path) : path_(path) {
    // A random name, created exclusively and never through a symbolic link;
    // another try if something is already there.
    for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
        temporary_ = path + ".tmp-" + random_suffix();
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd_ < 0 && errno != EEXIST) {
            throw file_error(path + ": cannot open the file for writing (a temporary beside it): " +
                             system_message(errno));
        }
    }
    if (fd_ < 0) throw file_error(path + ": cannot create a temporary file beside it (all names taken)");
    slot_ = claim_slot(temporary_.c_str());
}

staged_file::~staged_file() { discard(); }

void staged_file::discard() noexcept {
    if (fd_ >= 0) ::close(fd_);
    if (fd_ >= 0 || slot_ >= 0) ::unlink(temporary_.c_str());
    fd_ = -1;
    release_slot(slot_);
    slot_ = -1;
}

void staged_file::write(const void* data, std::size_t size) {
    if (fd_ < 0) throw file_error(path_ + ": written after it was committed or discarded");
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd_, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            discard();
            throw file_error(path_ + ": writing failed (" + system_message(error) + "); nothing was written under "
                             "this name");
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void staged_file::commit() {
    if (fd_ < 0) throw file_error(path_ + ": committed twice, or after a failed write");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
        const int error = errno;
        discard();
        throw file_error(path_ + ": writing failed (" + system_message(error) + ")");
    }
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
        const int error = errno;
        discard();
        throw file_error(path_ + ": cannot put the file in place (" + system_message(error) + ")");
    }
    release_slot(slot_);  // after the rename: an interrupt in between finds nothing to remove
    slot_ = -1;
}

void write_file_atomically(const std::string& path, const std::string& content) {
    staged_file f(path);
    f.write(content);
    f.commit();
}

void remove_staged_files_on_interrupt() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, remove_staged_and_reraise);
}

}  // namespace tapegrad
