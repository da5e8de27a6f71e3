#include <tapegrad/framework/parameter.hpp>

#include <type_traits>

namespace tapegrad {

parameter::parameter() = default;
parameter::parameter(std::string name, matrix value) : name(std::move(name)), value_(std::move(value)) {}
parameter::parameter(const parameter&) = default;
parameter::parameter(parameter&&) noexcept = default;
parameter& parameter::operator=(const parameter&) = default;
parameter& parameter::operator=(parameter&&) noexcept = default;
parameter::~parameter() = default;

// What the implicit members were: moves that cannot throw (so a
// std::vector<parameter> moves, not copies, when it grows), copies that can.
static_assert(std::is_nothrow_move_constructible_v<matrix> && std::is_nothrow_move_assignable_v<matrix>);
static_assert(!std::is_nothrow_copy_constructible_v<parameter>);

}  // namespace tapegrad
