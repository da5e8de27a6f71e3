// staged_file: a file written under a temporary name beside its final one and
// renamed onto it only when complete, so a failure (a full disk, an exception,
// Ctrl-C) never leaves a half-written file under the final name. The temporary
// is created exclusively with a random name (O_CREAT | O_EXCL | O_NOFOLLOW), so
// a file or symbolic link planted at a predictable name is never followed or
// overwritten. A staged file not committed is removed by the destructor, and by
// remove_staged_files_on_interrupt's signal handler if the program is stopped.
#pragma once

#include <cstddef>
#include <string>

namespace tapegrad {

class staged_file {
public:
    // Creates the temporary in path's folder; throws file_error naming path.
    explicit staged_file(const std::string& path);
    ~staged_file();
    staged_file(const staged_file&) = delete;
    staged_file& operator=(const staged_file&) = delete;

    // Appends bytes; a short write (a full disk, a file size limit) throws file_error.
    void write(const void* data, std::size_t size);
    void write(const std::string& text) { write(text.data(), text.size()); }
    // Flushes, closes and renames onto the final name; throws file_error.
    void commit();

    const std::string& path() const noexcept { return path_; }
    const std::string& temporary() const noexcept { return temporary_; }

private:
    void discard() noexcept;

    std::string path_;
    std::string temporary_;
    int fd_ = -1;
    int slot_ = -1;  // in the interrupt handler's table
};

// Writes `content` to `path` through a staged file.
void write_file_atomically(const std::string& path, const std::string& content);

// Installs a handler for SIGINT, SIGTERM and SIGHUP that removes every staged
// file not yet committed, then lets the signal end the program as it would
// have (for a program, once, at start).
void remove_staged_files_on_interrupt();

}  // namespace tapegrad
