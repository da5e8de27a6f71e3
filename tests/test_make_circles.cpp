// make_circles and course_circles(): REFERENCE.md's first training points (the
// course's numpy + sklearn output), the class balance, the geometry of the two
// circles, seeding, odd sizes and bad arguments.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <tapegrad/course/course.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

// How many representable doubles lie between a and b (0 when equal; both finite).
std::uint64_t ulp_distance(double a, double b) {
    auto key = [](double x) {
        std::int64_t i;
        std::memcpy(&i, &x, sizeof x);
        // Negative doubles count down from -0.0 so the keys are ordered like the values.
        return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
    };
    const std::int64_t ka = key(a), kb = key(b);
    return ka > kb ? static_cast<std::uint64_t>(ka - kb) : static_cast<std::uint64_t>(kb - ka);
}

// Columns of Y equal to `label`.
std::size_t count_label(const dataset& d, double label) {
    std::size_t n = 0;
    for (std::size_t j = 0; j < d.Y.shape()[1]; ++j) n += d.Y(0, j) == label ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("course_circles reproduces the course's first training points", "[make_circles]") {
    const split_dataset s = course_circles();
    REQUIRE(shape_of(s.train.X) == shape2{2, 300});
    REQUIRE(shape_of(s.train.Y) == shape2{1, 300});
    // REFERENCE.md (numpy seed 1, sklearn make_circles(300, noise=0.05)); the
    // last digit may differ by an ulp with another cos/sin, so allow 2.
    const double expected[3][3] = {{-0.07741354010048114, 0.8526022642742743, 1.0},
                                   {0.43186959584803564, -0.8721450395952107, 0.0},
                                   {0.07916502322979652, 0.8406610985900007, 1.0}};
    for (std::size_t j = 0; j < 3; ++j) {
        CAPTURE(j, s.train.X(0, j), s.train.X(1, j));
        CHECK(ulp_distance(s.train.X(0, j), expected[j][0]) <= 2);
        CHECK(ulp_distance(s.train.X(1, j), expected[j][1]) <= 2);
        CHECK(s.train.Y(0, j) == expected[j][2]);
    }
}

TEST_CASE("course_circles has the course's shapes and balanced classes", "[make_circles]") {
    const split_dataset s = course_circles();
    REQUIRE(shape_of(s.train.X) == shape2{2, 300});
    REQUIRE(shape_of(s.train.Y) == shape2{1, 300});
    REQUIRE(shape_of(s.test.X) == shape2{2, 100});
    REQUIRE(shape_of(s.test.Y) == shape2{1, 100});
    CHECK(count_label(s.train, 0.0) == 150);
    CHECK(count_label(s.train, 1.0) == 150);
    CHECK(count_label(s.test, 0.0) == 50);
    CHECK(count_label(s.test, 1.0) == 50);
    // The rows are shuffled: the first 150 are not all the outer circle.
    std::size_t inner_in_first_half = 0;
    for (std::size_t j = 0; j < 150; ++j) inner_in_first_half += s.train.Y(0, j) == 1.0 ? 1 : 0;
    CHECK(inner_in_first_half > 0);
    CHECK(inner_in_first_half < 150);
    // The test set is seed 2's draw, not a slice of the training set's generator.
    random_state rng1(1), rng2(2);
    const dataset train = make_circles(300, rng1);
    const dataset test = make_circles(100, rng2);
    CHECK(test_support::bitwise_equal(s.train.X, train.X));
    CHECK(test_support::bitwise_equal(s.train.Y, train.Y));
    CHECK(test_support::bitwise_equal(s.test.X, test.X));
    CHECK(test_support::bitwise_equal(s.test.Y, test.Y));
}

TEST_CASE("course_circles puts each point near its circle", "[make_circles]") {
    const double noise = 0.05;
    const split_dataset s = course_circles();
    for (const dataset* d : {&s.train, &s.test}) {
        for (std::size_t j = 0; j < d->X.shape()[1]; ++j) {
            const double r = std::hypot(d->X(0, j), d->X(1, j));
            const double label = d->Y(0, j);
            REQUIRE((label == 0.0 || label == 1.0));
            const double radius = label == 0.0 ? 1.0 : 0.8;  // outer circle 0, inner (factor 0.8) 1
            CAPTURE(j, label, r);
            CHECK(std::abs(r - radius) <= 4.0 * noise);
        }
    }
}

TEST_CASE("make_circles without noise puts every point exactly on sklearn's circle grid", "[make_circles]") {
    for (std::size_t n : {2u, 3u, 7u, 10u, 300u}) {
        CAPTURE(n);
        random_state rng(11);
        const double factor = 0.6;
        const dataset d = make_circles(n, rng, 0.0, factor);
        REQUIRE(shape_of(d.X) == shape2{2, n});
        REQUIRE(shape_of(d.Y) == shape2{1, n});
        // The expected points: n/2 outer at angles i * 2 pi / (n/2), then the rest inner.
        const std::size_t n_out = n / 2, n_in = n - n_out;
        struct point {
            double x, y, label;
            bool used;
        };
        std::vector<point> expected;
        for (std::size_t i = 0; i < n_out; ++i) {
            const double t = static_cast<double>(i) * (2.0 * M_PI / static_cast<double>(n_out));
            expected.push_back({std::cos(t), std::sin(t), 0.0, false});
        }
        for (std::size_t i = 0; i < n_in; ++i) {
            const double t = static_cast<double>(i) * (2.0 * M_PI / static_cast<double>(n_in));
            expected.push_back({factor * std::cos(t), factor * std::sin(t), 1.0, false});
        }
        // Each column is one expected point (with its label), each used once.
        for (std::size_t j = 0; j < n; ++j) {
            CAPTURE(j, d.X(0, j), d.X(1, j), d.Y(0, j));
            bool found = false;
            for (point& p : expected) {
                if (!p.used && p.label == d.Y(0, j) && std::abs(p.x - d.X(0, j)) < 1e-12 &&
                    std::abs(p.y - d.X(1, j)) < 1e-12) {
                    p.used = found = true;
                    break;
                }
            }
            CHECK(found);
        }
    }
}

TEST_CASE("make_circles: the same seed gives the same set, another seed another", "[make_circles]") {
    random_state a(7), b(7), c(8);
    const dataset da = make_circles(50, a), db = make_circles(50, b), dc = make_circles(50, c);
    CHECK(test_support::bitwise_equal(da.X, db.X));
    CHECK(test_support::bitwise_equal(da.Y, db.Y));
    CHECK_FALSE(test_support::exactly_equal(da.X, dc.X));
    // The generator moves on: a second draw from it is a different set.
    const dataset da2 = make_circles(50, a);
    CHECK_FALSE(test_support::exactly_equal(da.X, da2.X));
    // Noise and factor are used: the same seed with other values differs.
    random_state e(7), f(7);
    CHECK_FALSE(test_support::exactly_equal(make_circles(50, e, 0.1).X, da.X));
    CHECK_FALSE(test_support::exactly_equal(make_circles(50, f, 0.05, 0.5).X, da.X));
}

TEST_CASE("make_circles with an odd count puts n/2 points outside and the rest inside", "[make_circles]") {
    for (std::size_t n : {2u, 3u, 7u, 101u}) {
        CAPTURE(n);
        random_state rng(3);
        const dataset d = make_circles(n, rng);
        REQUIRE(shape_of(d.X) == shape2{2, n});
        REQUIRE(shape_of(d.Y) == shape2{1, n});
        CHECK(count_label(d, 0.0) == n / 2);
        CHECK(count_label(d, 1.0) == n - n / 2);
    }
}

TEST_CASE("make_circles rejects bad arguments with a message", "[make_circles]") {
    using test_support::message_contains;
    random_state rng(1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_MATCHES(make_circles(0, rng), value_error,
                         message_contains({"make_circles", "at least 2 points", "got 0"}));
    CHECK_THROWS_MATCHES(make_circles(1, rng), value_error,
                         message_contains({"make_circles", "at least 2 points", "got 1"}));
    for (double noise : {-0.05, -inf, inf, nan}) {
        CAPTURE(noise);
        CHECK_THROWS_MATCHES(make_circles(10, rng, noise), value_error,
                             message_contains({"make_circles", "noise must be a finite number >= 0"}));
    }
    for (double factor : {1.0, 1.5, -0.1, inf, nan}) {
        CAPTURE(factor);
        CHECK_THROWS_MATCHES(make_circles(10, rng, 0.05, factor), value_error,
                             message_contains({"make_circles", "factor must be in [0, 1)"}));
    }
    // The edges that are allowed.
    CHECK_NOTHROW(make_circles(2, rng, 0.0, 0.0));
    CHECK_NOTHROW(make_circles(2, rng, 0.05, 0.999));
}
