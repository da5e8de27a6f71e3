#include <tapegrad/course/course_data.hpp>

#include <utility>

#include <tapegrad/data/make_circles.hpp>
#include <tapegrad/data/make_moons.hpp>
#include <tapegrad/data/make_noisy_field.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

split_dataset course_circles() {
    random_state train_rng(1);
    dataset train = make_circles(300, train_rng);
    random_state test_rng(2);
    dataset test = make_circles(100, test_rng);
    return {std::move(train), std::move(test)};
}

split_dataset generated_field() {
    random_state train_rng(1), test_rng(2);
    dataset train = make_noisy_field(211, train_rng);
    dataset test = make_noisy_field(200, test_rng, 0.0);
    return {std::move(train), std::move(test)};
}

dataset course_moons() {
    random_state rng(3);
    return make_moons(300, rng, 0.2);
}

}  // namespace tapegrad
