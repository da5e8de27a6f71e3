#include <tapegrad/data/optimizer_files.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <tapegrad/data/npy.hpp>
#include <tapegrad/data/parameter_files.hpp>
#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

// optimizer.txt: "<state kind>\n<parameter name>\n..."
std::string description(const optimizer& opt) {
    std::string text = opt.state_kind() + "\n";
    for (const parameter* p : opt.parameters()) text += p->name + "\n";
    return text;
}

}  // namespace

void save_optimizer_state(const optimizer& opt, const std::string& directory) {
    const named_matrices state = opt.state();
    std::vector<std::string> paths;
    for (const auto& entry : state) paths.push_back(npy_path_in(directory, entry.first, "save_optimizer_state"));
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) throw file_error("save_optimizer_state: cannot create the folder " + directory + ": " + ec.message());
    for (std::size_t i = 0; i < state.size(); ++i) save_npy(paths[i], state[i].second);
    write_file_atomically(directory + "/optimizer.txt", description(opt));
}

void load_optimizer_state(optimizer& opt, const std::string& directory) {
    const std::string index = directory + "/optimizer.txt";
    std::ifstream in(index);
    if (!in) throw file_error(index + ": cannot open the file (missing or unreadable); no optimizer state is here");
    std::stringstream text;
    text << in.rdbuf();
    if (text.str() != description(opt)) {
        std::string first_line = text.str().substr(0, text.str().find('\n'));
        throw file_error(index + ": holds the state of " +
                         (first_line == opt.state_kind() ? "other parameters" : "'" + first_line + "'") +
                         ", not of this " + opt.state_kind() + " over " + std::to_string(opt.parameters().size()) +
                         " parameters (the rule and the parameters' names must match)");
    }
    named_matrices state;
    for (const auto& [name, expected] : opt.state()) {
        const std::string path = npy_path_in(directory, name, "load_optimizer_state");
        matrix m = load_npy(path);
        if (shape_of(m) != shape_of(expected)) {
            throw file_error(path + ": holds shape " + shape_string(m) + " but " + opt.name() + " needs " +
                             shape_string(expected) + " for " + name);
        }
        state.emplace_back(name, std::move(m));
    }
    try {
        opt.set_state(state);
    } catch (const value_error& e) {
        throw file_error(directory + ": " + e.what());
    }
}

}  // namespace tapegrad
