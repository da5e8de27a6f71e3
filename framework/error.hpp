// The exceptions tapegrad throws. Every message says what was given, what was
// expected, and which op, function or file it concerns.
#pragma once

#include <stdexcept>
#include <string>

namespace tapegrad {

// Base of every tapegrad exception.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Operands whose shapes do not fit the op (the message names the op and both shapes).
class shape_error : public error {
public:
    using error::error;
};

// Misuse of a tape or a var: backward twice, vars of two tapes, a stale or empty var.
class tape_error : public error {
public:
    using error::error;
};

// An argument outside its domain: a non-finite seed, a negative epsilon, ...
class value_error : public error {
public:
    using error::error;
};

// Anomaly detection found a NaN or an infinity: the message names the op, its
// position on the tape, the shapes, and which input, output or gradient it was.
class anomaly_error : public error {
public:
    using error::error;
};

// The machine cannot give what an operation needs (memory under an
// address-space limit, threads), where going on would hang or crash.
class resource_error : public error {
public:
    using error::error;
};

// A file that cannot be read or written, or whose content is not what was
// expected (the message names the file and what is wrong).
class file_error : public error {
public:
    using error::error;
};

}  // namespace tapegrad
