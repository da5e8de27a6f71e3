#include <tapegrad/ops/builtin_ops.hpp>

#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/elementwise_math.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/reductions.hpp>
#include <tapegrad/ops/shaping.hpp>
#include <tapegrad/ops/softmax.hpp>

namespace tapegrad {

const std::vector<const op_descriptor*>& builtin_ops() {
    static const std::vector<const op_descriptor*> ops = {
        &matmul_op, &linear_op, &linear_relu_op, &transpose_op,                                   // linear algebra
        &add_op, &sub_op, &mul_op, &div_op, &neg_op,                                              // arithmetic
        &add_scalar_op, &mul_scalar_op, &div_scalar_op, &rsub_scalar_op, &rdiv_scalar_op,
        &maximum_op, &minimum_op,
        &sum_op, &sum_axis_op, &mean_op, &mean_axis_op,                                           // reductions
        &max_op, &max_axis_op, &min_op, &min_axis_op,
        &relu_op, &sigmoid_op, &tanh_op,                                                          // activations
        &leaky_relu_op, &elu_op, &softplus_op,
        &exp_op, &log_op, &square_op, &sqrt_op,                                                   // elementwise math
        &abs_op, &pow_op, &clamp_op, &log1p_op, &expm1_op,
        &binary_cross_entropy_op, &binary_cross_entropy_with_logits_op, &sigmoid_binary_cross_entropy_op,  // losses
        &dropout_op,                                                                              // dropout
        &softmax_op, &log_softmax_op,                                                             // softmax
        &softmax_cross_entropy_op, &softmax_cross_entropy_probabilities_op, &mse_loss_op, &mae_loss_op,  // losses
        &slice_rows_op, &slice_cols_op, &concat_rows_op, &concat_cols_op, &reshape_op,            // shaping
    };
    return ops;
}

}  // namespace tapegrad
