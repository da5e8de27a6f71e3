// The README's quickstart prints exactly what the README says it prints, so the
// README's example cannot go stale.
#include <string>

#include "program_runs.hpp"

namespace program_tests {

TEST_CASE("quickstart prints the output shown in README.md", "[programs][docs]") {
    const std::string readme = read_file(std::string(TAPEGRAD_SOURCE_DIR) + "/README.md");
    // The block after the line that introduces it.
    const std::string intro = "`build/examples/quickstart` prints:\n\n```\n";
    const std::size_t at = readme.find(intro);
    REQUIRE(at != std::string::npos);
    const std::size_t begin = at + intro.size();
    const std::size_t end = readme.find("```", begin);
    REQUIRE(end != std::string::npos);
    const std::string expected = readme.substr(begin, end - begin);

    const process_result r = run({example("quickstart")});
    INFO(r.how() << "\nstderr: " << r.err);
    REQUIRE(r.exited_with(0));
    CHECK(r.out == expected);
}

}  // namespace program_tests
