#include <tapegrad/distributed/communicator.hpp>

#include <climits>
#include <string>

#include <tapegrad/distributed/errors.hpp>

namespace tapegrad::distributed {

void check_mpi(int code, const char* call) {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
    throw mpi_error(std::string(call) + " failed: " + (length > 0 ? std::string(text, length) : "error code " +
                                                                                                std::to_string(code)));
}

namespace {

// MPI counts are ints.
int count_of(std::size_t n, const char* call) {
    if (n > static_cast<std::size_t>(INT_MAX)) {
        throw value_error(std::string(call) + ": " + std::to_string(n) + " values in one call; MPI takes at most " +
                          std::to_string(INT_MAX));
    }
    return static_cast<int>(n);
}

}  // namespace

communicator::communicator(MPI_Comm comm) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) throw mpi_error("communicator: MPI is not initialized (use distributed::run, or MPI_Init first)");
    check_mpi(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
    check_mpi(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

communicator::~communicator() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void communicator::sum(double* data, std::size_t n) const {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, data, count_of(n, "MPI_Allreduce"), MPI_DOUBLE, MPI_SUM, comm_),
              "MPI_Allreduce");
}

std::uint64_t communicator::sum(std::uint64_t v) const {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UINT64_T, MPI_SUM, comm_), "MPI_Allreduce");
    return v;
}

double communicator::max(double v) const {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_MAX, comm_), "MPI_Allreduce");
    return v;
}

std::uint64_t communicator::max(std::uint64_t v) const {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UINT64_T, MPI_MAX, comm_), "MPI_Allreduce");
    return v;
}

std::uint64_t communicator::min(std::uint64_t v) const {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UINT64_T, MPI_MIN, comm_), "MPI_Allreduce");
    return v;
}

void communicator::broadcast(double* data, std::size_t n, int root) const {
    check_mpi(MPI_Bcast(data, count_of(n, "MPI_Bcast"), MPI_DOUBLE, root, comm_), "MPI_Bcast");
}

std::vector<std::string> communicator::all_gather(const std::string& s) const {
    int length = count_of(s.size(), "MPI_Allgather");
    std::vector<int> lengths(static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm_), "MPI_Allgather");
    std::vector<int> offsets(lengths.size() + 1, 0);
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        offsets[r + 1] = count_of(static_cast<std::size_t>(offsets[r]) + lengths[r], "MPI_Allgatherv");
    }
    std::string all(static_cast<std::size_t>(offsets.back()), '\0');
    check_mpi(MPI_Allgatherv(s.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, comm_),
              "MPI_Allgatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < lengths.size(); ++r) out.push_back(all.substr(offsets[r], lengths[r]));
    return out;
}

void communicator::all_gather(double* data, const std::vector<std::size_t>& offsets) const {
    if (offsets.size() != static_cast<std::size_t>(size_) + 1) {
        throw value_error("communicator::all_gather: " + std::to_string(offsets.size()) + " offsets for " +
                          std::to_string(size_) + " processes; give one more than the processes");
    }
    std::vector<int> counts, displacements;
    for (int r = 0; r < size_; ++r) {
        counts.push_back(count_of(offsets[r + 1] - offsets[r], "MPI_Allgatherv"));
        displacements.push_back(count_of(offsets[r], "MPI_Allgatherv"));
    }
    check_mpi(MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, data, counts.data(), displacements.data(), MPI_DOUBLE,
                             comm_),
              "MPI_Allgatherv");
}

void communicator::barrier() const { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }

}  // namespace tapegrad::distributed
