// communicator: the processes of a distributed run and the collective
// operations tapegrad needs between them, over MPI (Open MPI from Debian). It
// works on its own duplicate of the MPI communicator it is given, so its
// messages never match the caller's, and it has MPI return errors instead of
// aborting: a failed call throws mpi_error naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

namespace tapegrad::distributed {

class communicator {
public:
    // Duplicates `comm` (collective over its processes). MPI must be initialized.
    explicit communicator(MPI_Comm comm = MPI_COMM_WORLD);
    ~communicator();
    communicator(const communicator&) = delete;
    communicator& operator=(const communicator&) = delete;

    int rank() const noexcept { return rank_; }
    int size() const noexcept { return size_; }
    MPI_Comm handle() const noexcept { return comm_; }

    // Every operation below is collective: each process calls it, in the same
    // order, with the same n (and root).

    // data[0 .. n) summed over the processes, in place (one MPI_Allreduce).
    void sum(double* data, std::size_t n) const;
    std::uint64_t sum(std::uint64_t v) const;
    double max(double v) const;
    std::uint64_t max(std::uint64_t v) const;
    std::uint64_t min(std::uint64_t v) const;
    // data[0 .. n) of `root` on every process.
    void broadcast(double* data, std::size_t n, int root = 0) const;
    // Every process's string, in rank order.
    std::vector<std::string> all_gather(const std::string& s) const;
    // In place: process r's block is data[offsets[r] .. offsets[r + 1]) (size() + 1
    // offsets); afterwards every process holds every block.
    void all_gather(double* data, const std::vector<std::size_t>& offsets) const;
    void barrier() const;

private:
    MPI_Comm comm_ = MPI_COMM_NULL;
    int rank_ = 0;
    int size_ = 1;
};

// Throws mpi_error naming `call` unless code is MPI_SUCCESS.
void check_mpi(int code, const char* call);

}  // namespace tapegrad::distributed
