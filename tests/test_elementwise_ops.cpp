// The elementwise ops beyond their generated gradient test and their edge values: the names they record, their refusals
// (each message naming the op, what was given and what was expected), and
// checks at cases the descriptors do not list.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("these ops are declared in builtin_ops and record their names", "[ops]") {
    const matrix m = {{0.5, 1.5}, {2.0, 0.25}};
    tape t;
    const var a = t.constant(m);
    const std::vector<std::pair<var, const op_descriptor*>> made = {
        {abs(a), &abs_op}, {pow(a, 2.0), &pow_op}, {clamp(a, 0.0, 1.0), &clamp_op}, {log1p(a), &log1p_op},
        {expm1(a), &expm1_op},
    };
    for (const auto& [v, d] : made) {
        CAPTURE(d->name);
        CHECK(std::string(v.op()) == d->name);
        bool listed = false;
        for (const op_descriptor* x : builtin_ops()) listed = listed || x == d;
        CHECK(listed);
    }
}

TEST_CASE("the new ops refuse bad arguments, naming the op, the value and what it must be", "[ops]") {
    const matrix x = {{1.0, 2.0}};
    tape t;
    const var v = t.constant(x);
    const std::size_t before = t.size();
    CHECK_THROWS_MATCHES(clamp(v, 2.0, 1.0), value_error, message_contains({"clamp", "lo <= hi", "lo = 2", "hi = 1"}));
    CHECK_THROWS_MATCHES(clamp(x, NAN, 1.0), value_error, message_contains({"clamp", "lo <= hi", "lo = nan"}));
    // Nothing was recorded by the refused calls.
    CHECK(t.size() == before);
}
