// The baseline: the same training step written by hand, with cblas_dgemm for
// the matrix products and plain fused loops for everything else, on buffers
// allocated once. Nothing is allocated inside step(). With mini-batches, a step
// is an epoch: the batches gathered from the shared permutation, and for each
// the same forward, cost and backward on its columns, then Adam.
//
// It computes what tapegrad computes, in the same order of operations where
// that is free (the products are the same dgemm calls, sums use numpy's
// pairwise order as tapegrad does), so the costs agree to the last bits or
// nearly; the benchmark requires 1e-12 relative. Its exp, log1p, tanh and
// sigmoid are tapegrad's array kernels (ops/vector_math.hpp), so both sides run
// the same elementwise math, vectorized or glibc's.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <tapegrad/ops/vector_math.hpp>

#include "implementations.hpp"

namespace tapegrad::bench {

namespace {

// numpy's pairwise summation (np.sum's order) of term(0) .. term(n - 1):
// a plain loop below 8 terms, 8 interleaved partial sums up to 128, and
// recursive halving at a multiple of 8 above.
template <class T>
double pairwise(std::size_t first, std::size_t n, const T& term) {
    if (n < 8) {
        double res = 0.0;
        for (std::size_t i = 0; i < n; ++i) res += term(first + i);
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (std::size_t j = 0; j < 8; ++j) r[j] = term(first + j);
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (std::size_t j = 0; j < 8; ++j) r[j] += term(first + i + j);
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += term(first + i);
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(first, n2, term) + pairwise(first + n2, n - n2, term);
}

class floor_step final : public implementation {
public:
    explicit floor_step(const problem_view& p)
        : n_(p.layer_sizes),
          L_(p.layer_sizes.size() - 1),
          m_(p.X.cols),
          X_(p.X.data),
          Y_(p.Y.data),
          lambda_(p.lambda),
          lr_(p.learning_rate),
          batch_(p.batch_size),
          beta1_(p.beta1),
          beta2_(p.beta2),
          eps_(p.epsilon),
          seed_(p.shuffle_seed),
          permutation_(p.permutation) {
        const std::size_t width = batch_ > 0 ? std::min(batch_, m_) : m_;  // the widest batch
        W_.resize(L_ + 1);
        b_.resize(L_ + 1);
        dW_.resize(L_ + 1);
        db_.resize(L_ + 1);
        A_.resize(L_ + 1);
        dZ_.resize(L_ + 1);
        for (std::size_t l = 1; l <= L_; ++l) {
            const matrix_view& W = p.W[l - 1];
            const matrix_view& b = p.b[l - 1];
            W_[l].assign(W.data, W.data + W.rows * W.cols);
            b_[l].assign(b.data, b.data + b.rows * b.cols);
            dW_[l].assign(W_[l].size(), 0.0);
            db_[l].assign(b_[l].size(), 0.0);
            A_[l].assign(n_[l] * width, 0.0);
            dZ_[l].assign(n_[l] * width, 0.0);
            if (batch_ > 0) {
                vW_.resize(L_ + 1);
                sW_.resize(L_ + 1);
                vb_.resize(L_ + 1);
                sb_.resize(L_ + 1);
                vW_[l].assign(W_[l].size(), 0.0);
                sW_[l].assign(W_[l].size(), 0.0);
                vb_[l].assign(b_[l].size(), 0.0);
                sb_[l].assign(b_[l].size(), 0.0);
            }
        }
        if (batch_ > 0) {
            order_.assign(m_, 0);
            Xb_.assign(n_[0] * width, 0.0);
            Yb_.assign(n_[L_] * width, 0.0);
        }
    }

    double step() override { return batch_ > 0 ? epoch() : batch_step(X_, Y_, m_); }

    std::vector<double> w1() const override { return W_[1]; }

private:
    // An epoch: numpy's permutation, then each batch's columns gathered and trained
    // on; returns sum over batches of (mean cost x batch size) / m.
    double epoch() {
        permutation_(seed_ + epoch_, m_, order_.data());
        ++epoch_;
        const std::size_t nx = n_[0], ny = n_[L_];
        double total = 0.0;
        for (std::size_t begin = 0; begin < m_; begin += batch_) {
            const std::size_t mb = std::min(batch_, m_ - begin);
            for (std::size_t i = 0; i < nx; ++i) {
                for (std::size_t c = 0; c < mb; ++c) Xb_[i * mb + c] = X_[i * m_ + order_[begin + c]];
            }
            for (std::size_t i = 0; i < ny; ++i) {
                for (std::size_t c = 0; c < mb; ++c) Yb_[i * mb + c] = Y_[i * m_ + order_[begin + c]];
            }
            total += batch_step(Xb_.data(), Yb_.data(), mb) * static_cast<double>(mb);
        }
        return total / static_cast<double>(m_);
    }

    // Forward, cost, backward and update on the m examples X (n_0, m), Y (n_L, m).
    double batch_step(const double* X, const double* Y, std::size_t m) {
        const std::size_t L = L_;
        const auto M = static_cast<blasint>(m);
        const double inv_m = 1.0 / static_cast<double>(m);

        // Forward: A_l = relu(W_l A_{l-1} + b_l), A_L = sigmoid(W_L A_{L-1} + b_L).
        for (std::size_t l = 1; l <= L; ++l) {
            const double* prev = l == 1 ? X : A_[l - 1].data();
            double* a = A_[l].data();
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(n_[l]), M,
                        static_cast<blasint>(n_[l - 1]), 1.0, W_[l].data(), static_cast<blasint>(n_[l - 1]), prev, M,
                        0.0, a, M);
            for (std::size_t i = 0; i < n_[l]; ++i) {
                const double bi = b_[l][i];
                double* row = a + i * m;
                if (l < L) {
                    for (std::size_t j = 0; j < m; ++j) {
                        const double z = row[j] + bi;
                        row[j] = z > 0.0 ? z : 0.0;
                    }
                } else {
                    for (std::size_t j = 0; j < m; ++j) row[j] = row[j] + bi;
                    kernels::sigmoid(row, row, m);  // the same elementwise math as tapegrad
                }
            }
        }

        // The course's cost (1/m) nansum(-log(A) Y - log(1 - A)(1 - Y)). With 0/1
        // labels one of the two products is -log(.) * 0, which adds an exact 0 or
        // makes a NaN that nansum drops; computing only the other log gives the
        // same value in every case (also +inf for a saturated wrong prediction).
        const double* aL = A_[L].data();
        const double* y = Y;
        const double ce = inv_m * pairwise(0, n_[L] * m, [aL, y](std::size_t k) {
                              const double t = y[k] == 1.0 ? -std::log(aL[k]) : -std::log(1.0 - aL[k]);
                              return std::isnan(t) ? 0.0 : t;
                          });
        double cost = ce;
        double l2_grad = 0.0;  // d(penalty)/dW = (lambda/m) W, the coefficient formed as tapegrad forms it
        if (lambda_ != 0.0) {
            const double c = inv_m * (lambda_ / 2.0);
            double total = 0.0;
            for (std::size_t l = 1; l <= L; ++l) {
                const double* w = W_[l].data();
                const double s = pairwise(0, W_[l].size(), [w](std::size_t k) { return w[k] * w[k]; });
                total = l == 1 ? s : total + s;
            }
            cost = ce + total * c;
            l2_grad = c * 2.0;
        }

        // Backward: dZ_L = (1/m)(A_L - Y); dW_l = dZ_l A_{l-1}^T (+ (lambda/m) W_l);
        // db_l = row sums of dZ_l; dZ_{l-1} = (W_l^T dZ_l) * (A_{l-1} > 0). Each
        // layer's update follows as soon as W_l is no longer needed.
        {
            double* dz = dZ_[L].data();
            for (std::size_t k = 0, n = n_[L] * m; k < n; ++k) dz[k] = inv_m * (aL[k] - y[k]);
        }
        for (std::size_t l = L; l >= 1; --l) {
            const std::size_t rows = n_[l], cols = n_[l - 1];
            const double* prev = l == 1 ? X : A_[l - 1].data();
            const double* dz = dZ_[l].data();
            double* dW = dW_[l].data();
            double* db = db_[l].data();
            double* W = W_[l].data();
            double* b = b_[l].data();
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(rows),
                        static_cast<blasint>(cols), M, 1.0, dz, M, prev, M, 0.0, dW, static_cast<blasint>(cols));
            for (std::size_t i = 0; i < rows; ++i) {
                const double* row = dz + i * m;
                double s = 0.0;
                for (std::size_t j = 0; j < m; ++j) s += row[j];
                db[i] = s;
            }
            if (l > 1) {
                double* dprev = dZ_[l - 1].data();
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<blasint>(cols), M,
                            static_cast<blasint>(rows), 1.0, W, static_cast<blasint>(cols), dz, M, 0.0, dprev, M);
                const double* a = A_[l - 1].data();
                for (std::size_t k = 0, n = cols * m; k < n; ++k) dprev[k] = a[k] > 0.0 ? dprev[k] : 0.0;
            }
            if (batch_ > 0) {
                adam(W, dW, vW_[l].data(), sW_[l].data(), rows * cols);
                adam(b, db, vb_[l].data(), sb_[l].data(), rows);
                continue;
            }
            const double lr = lr_;
            if (l2_grad != 0.0) {
                for (std::size_t k = 0, n = rows * cols; k < n; ++k) W[k] = W[k] - lr * (dW[k] + l2_grad * W[k]);
            } else {
                for (std::size_t k = 0, n = rows * cols; k < n; ++k) W[k] = W[k] - lr * dW[k];
            }
            for (std::size_t i = 0; i < rows; ++i) b[i] = b[i] - lr * db[i];
        }
        if (batch_ > 0) ++t_;
        return cost;
    }

    // Adam, epsilon outside the root, in the course's order of operations.
    void adam(double* w, const double* g, double* v, double* s, std::size_t n) const {
        const double t = static_cast<double>(t_ + 1);
        const double c1 = 1.0 - std::pow(beta1_, t), c2 = 1.0 - std::pow(beta2_, t);
        for (std::size_t k = 0; k < n; ++k) {
            v[k] = beta1_ * v[k] + (1.0 - beta1_) * g[k];
            s[k] = beta2_ * s[k] + (1.0 - beta2_) * (g[k] * g[k]);
            w[k] = w[k] - (lr_ * (v[k] / c1)) / (std::sqrt(s[k] / c2) + eps_);
        }
    }

    std::vector<std::size_t> n_;
    std::size_t L_;
    std::size_t m_;
    const double* X_;
    const double* Y_;
    double lambda_;
    double lr_;
    std::size_t batch_;  // 0: full batch, gradient descent
    double beta1_, beta2_, eps_;
    std::int64_t seed_;
    permutation_fn permutation_;
    std::int64_t epoch_ = 0;
    std::int64_t t_ = 0;  // Adam updates so far
    std::vector<std::size_t> order_;
    std::vector<double> Xb_, Yb_;  // the batch's columns
    std::vector<std::vector<double>> vW_, sW_, vb_, sb_;  // Adam's moments
    // Index l = 1 .. L (0 unused).
    std::vector<std::vector<double>> W_, b_, dW_, db_;
    std::vector<std::vector<double>> A_;   // post-activation values (A_L = the sigmoid's output)
    std::vector<std::vector<double>> dZ_;  // dJ/dZ_l
};

// The skip network (network_kind::tanh_skip) by hand, in tapegrad's order of
// operations: h1 = tanh(W1 X + b1), h2 = tanh(W2 h1 + b2) + h1, z = W3 h2 + b3,
// cost = (1/m) sum(max(z, 0) - z y + log1p(exp(-|z|))); then W -= lr * dW.
class floor_skip final : public implementation {
public:
    explicit floor_skip(const problem_view& p)
        : nx_(p.layer_sizes[0]), n_(p.layer_sizes[1]), m_(p.X.cols), X_(p.X.data), Y_(p.Y.data), lr_(p.learning_rate) {
        for (std::size_t l = 0; l < 3; ++l) {
            W_[l].assign(p.W[l].data, p.W[l].data + p.W[l].rows * p.W[l].cols);
            b_[l].assign(p.b[l].data, p.b[l].data + p.b[l].rows * p.b[l].cols);
            dW_[l].assign(W_[l].size(), 0.0);
            db_[l].assign(b_[l].size(), 0.0);
        }
        for (std::vector<double>* v : {&h1_, &t2_, &h2_, &dh1_, &dz2_}) v->assign(n_ * m_, 0.0);
        for (std::vector<double>* v : {&z_, &dz_, &terms_}) v->assign(m_, 0.0);
    }

    double step() override {
        const std::size_t n = n_, m = m_;
        const auto N = static_cast<blasint>(n), M = static_cast<blasint>(m), NX = static_cast<blasint>(nx_);
        const double dm = static_cast<double>(m);

        // Forward.
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, M, NX, 1.0, W_[0].data(), NX, X_, M, 0.0,
                    h1_.data(), M);
        bias_tanh(h1_.data(), b_[0].data());
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, M, N, 1.0, W_[1].data(), N, h1_.data(), M, 0.0,
                    t2_.data(), M);
        bias_tanh(t2_.data(), b_[1].data());
        for (std::size_t k = 0; k < n * m; ++k) h2_[k] = t2_[k] + h1_[k];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, M, N, 1.0, W_[2].data(), N, h2_.data(), M, 0.0,
                    z_.data(), M);
        const double b3 = b_[2][0];
        for (std::size_t j = 0; j < m; ++j) z_[j] = z_[j] + b3;
        for (std::size_t j = 0; j < m; ++j) terms_[j] = -std::fabs(z_[j]);
        kernels::exp(terms_.data(), terms_.data(), m);
        kernels::log1p(terms_.data(), terms_.data(), m);
        for (std::size_t j = 0; j < m; ++j) {
            const double zj = z_[j];
            terms_[j] = (zj > 0.0 ? zj : 0.0) - zj * Y_[j] + terms_[j];
        }
        const double* terms = terms_.data();
        const double cost = (1.0 / dm) * pairwise(0, m, [terms](std::size_t k) { return terms[k]; });

        // Backward: dz = (sigmoid(z) - y) / m; dW3 = dz h2^T, db3 = sum dz, dh2 = W3^T dz;
        // dz2 = dh2 (1 - t2^2); dW2 = dz2 h1^T, db2 = row sums of dz2;
        // dh1 = dh2 + W2^T dz2 (the skip's gradient first, as the tape adds them);
        // dz1 = dh1 (1 - h1^2); dW1 = dz1 X^T, db1 = row sums of dz1.
        for (std::size_t j = 0; j < m; ++j) dz_[j] = -std::fabs(z_[j]);  // sigmoid(z) from e = exp(-|z|)
        kernels::exp(dz_.data(), dz_.data(), m);
        for (std::size_t j = 0; j < m; ++j) {
            const double e = dz_[j];
            dz_[j] = ((z_[j] >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) - Y_[j]) / dm;
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 1, N, M, 1.0, dz_.data(), M, h2_.data(), M, 0.0,
                    dW_[2].data(), N);
        db_[2][0] = row_sum(dz_.data());
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, N, M, 1, 1.0, W_[2].data(), N, dz_.data(), M, 0.0,
                    dh1_.data(), M);  // dh2, and the skip's share of dh1
        for (std::size_t k = 0; k < n * m; ++k) dz2_[k] = dh1_[k] * (1.0 - t2_[k] * t2_[k]);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, N, M, 1.0, dz2_.data(), M, h1_.data(), M, 0.0,
                    dW_[1].data(), N);
        for (std::size_t i = 0; i < n; ++i) db_[1][i] = row_sum(dz2_.data() + i * m);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, N, M, N, 1.0, W_[1].data(), N, dz2_.data(), M, 1.0,
                    dh1_.data(), M);
        double* dz1 = dz2_.data();  // dz2 is no longer needed
        for (std::size_t k = 0; k < n * m; ++k) dz1[k] = dh1_[k] * (1.0 - h1_[k] * h1_[k]);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, NX, M, 1.0, dz1, M, X_, M, 0.0, dW_[0].data(), NX);
        for (std::size_t i = 0; i < n; ++i) db_[0][i] = row_sum(dz1 + i * m);

        for (std::size_t l = 0; l < 3; ++l) {
            for (std::size_t k = 0; k < W_[l].size(); ++k) W_[l][k] = W_[l][k] - lr_ * dW_[l][k];
            for (std::size_t k = 0; k < b_[l].size(); ++k) b_[l][k] = b_[l][k] - lr_ * db_[l][k];
        }
        return cost;
    }

    std::vector<double> w1() const override { return W_[0]; }

private:
    double row_sum(const double* row) const {
        double s = 0.0;
        for (std::size_t j = 0; j < m_; ++j) s += row[j];
        return s;
    }
    // a = tanh(a + b) for the (n, m) block a and the column b, with tapegrad's
    // elementwise math (vectorized unless the math_mode says glibc).
    void bias_tanh(double* a, const double* b) const {
        for (std::size_t i = 0; i < n_; ++i) {
            double* row = a + i * m_;
            for (std::size_t j = 0; j < m_; ++j) row[j] = row[j] + b[i];
        }
        kernels::tanh(a, a, n_ * m_);
    }

    std::size_t nx_, n_, m_;
    const double* X_;
    const double* Y_;
    double lr_;
    std::vector<double> W_[3], b_[3], dW_[3], db_[3];
    std::vector<double> h1_, t2_, h2_, dh1_, dz2_;  // (n, m)
    std::vector<double> z_, dz_, terms_;           // (1, m)
};

}  // namespace

std::unique_ptr<implementation> make_floor(const problem_view& p) {
    if (p.network == network_kind::tanh_skip) return std::make_unique<floor_skip>(p);
    return std::make_unique<floor_step>(p);
}

}  // namespace tapegrad::bench
