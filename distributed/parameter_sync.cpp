#include <tapegrad/distributed/parameter_sync.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>

namespace tapegrad::distributed {

namespace {

std::string describe(const parameter& p) { return p.name + " " + shape_string(p.value()); }

// One line per parameter.
std::string listing(const std::vector<parameter*>& params) {
    std::string s;
    for (const parameter* p : params) s += (p == nullptr ? std::string("(null)") : describe(*p)) + "\n";
    return s;
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    for (std::size_t end = s.find('\n'); end != std::string::npos; begin = end + 1, end = s.find('\n', begin)) {
        out.push_back(s.substr(begin, end - begin));
    }
    return out;
}

}  // namespace

void check_same_parameters(const communicator& comm, const std::vector<parameter*>& params, const char* where) {
    const std::vector<std::string> all = comm.all_gather(listing(params));
    const std::vector<std::string> first = lines(all[0]);
    for (std::size_t r = 1; r < all.size(); ++r) {
        if (all[r] == all[0]) continue;
        const std::vector<std::string> other = lines(all[r]);
        std::size_t i = 0;
        while (i < first.size() && i < other.size() && first[i] == other[i]) ++i;
        auto at = [&](const std::vector<std::string>& l) { return i < l.size() ? l[i] : std::string("nothing"); };
        throw value_error(std::string(where) + ": the processes' parameters differ: parameter " + std::to_string(i) +
                          " is " + at(first) + " on process 0 but " + at(other) + " on process " + std::to_string(r) +
                          " (" + std::to_string(first.size()) + " parameters against " + std::to_string(other.size()) +
                          "); every process must build the same model");
    }
    for (const parameter* p : params) {
        if (p == nullptr) throw value_error(std::string(where) + ": a parameter is a null pointer");
    }
}

void broadcast_parameters(const communicator& comm, const std::vector<parameter*>& params) {
    check_same_parameters(comm, params, "broadcast_parameters");
    std::vector<double> buffer;
    for (const parameter* p : params) buffer.insert(buffer.end(), p->value().begin(), p->value().end());
    comm.broadcast(buffer.data(), buffer.size(), 0);
    if (comm.rank() == 0) return;
    std::size_t k = 0;
    for (parameter* p : params) {
        for (double& x : p->mutable_value()) x = buffer[k++];
    }
}

}  // namespace tapegrad::distributed
