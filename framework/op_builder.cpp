#include <tapegrad/framework/op_builder.hpp>

#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

var op_builder::result() {
    if (tape_.anomaly_detection_) tape_.check_forward(index_);  // before done_: a bad node is taken back
    done_ = true;
    return tape_.handle(index_);
}

op_builder::~op_builder() {
    if (!done_ && index_ + 1 == tape_.size_) --tape_.size_;
}

}  // namespace tapegrad
