/*
 * medrex's optional native GEMM: one N-API function that runs OpenBLAS's cblas_sgemm directly on the engine's
 * WebAssembly memory, so the tensors are never copied.
 *
 *   gemm(view, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
 *
 * `view` is a Uint8Array over the WHOLE memory.buffer (N-API in Node 20 has no accessor for a SharedArrayBuffer
 * itself, but a typed array over one gives its data pointer); a, b, c are byte offsets into it, ld* are row
 * strides in floats, matrices are row-major, and the semantics are those of src/engine/kernels/types.ts.
 *
 * Everything the engine passes is checked against the view's length before OpenBLAS sees it: a bad pointer in
 * JavaScript must become an exception, never a write outside the memory (which would crash the process or
 * corrupt the heap without a trace).
 *
 * Built by scripts/build-native.mjs (node-gyp, against Node's own headers) only where OpenBLAS is installed.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cblas.h>
#include <node_api.h>

#define ARGC 14

/* Throws a JavaScript error for a failed N-API call; returns NULL so callers can `return fail(...)`. */
static napi_value fail(napi_env env, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, NULL, message);
  return NULL;
}

static bool get_int(napi_env env, napi_value value, int64_t *out) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok) return false;
  /* Pointers and sizes must be exact integers: truncating 12.5 silently would hide a caller bug. */
  if (!(d >= -9007199254740991.0 && d <= 9007199254740991.0) || d != (double)(int64_t)d) return false;
  *out = (int64_t)d;
  return true;
}

/* Floats a row-major rows x cols matrix with row stride ld spans, or -1 if ld is too small. Sizes are at most
 * INT_MAX here, so this cannot overflow int64 (the byte count could: bounds are compared in floats). */
static int64_t extent_floats(int64_t rows, int64_t cols, int64_t ld) {
  if (rows == 0 || cols == 0) return 0;
  if (ld < cols) return -1;
  return (rows - 1) * ld + cols;
}

static bool in_bounds(int64_t offset, int64_t floats, size_t length) {
  return offset >= 0 && offset % 4 == 0 && floats >= 0 && (uint64_t)offset <= (uint64_t)length &&
         (uint64_t)floats <= ((uint64_t)length - (uint64_t)offset) / 4;
}

/* C = beta * C without reading C when beta == 0 (so NaN left in C does not survive), as the wasm kernel does. */
static void scale_c(float *c, int64_t m, int64_t n, int64_t ldc, float beta) {
  if (beta == 1.0f) return;
  for (int64_t i = 0; i < m; i++) {
    float *row = c + i * ldc;
    if (beta == 0.0f) {
      for (int64_t j = 0; j < n; j++) row[j] = 0.0f;
    } else {
      for (int64_t j = 0; j < n; j++) row[j] *= beta;
    }
  }
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = ARGC;
  napi_value argv[ARGC];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return fail(env, "gemm: bad call");
  if (argc != ARGC) {
    napi_throw_type_error(env, NULL, "gemm: expected 14 arguments (view, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)");
    return NULL;
  }

  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  napi_is_typedarray(env, argv[0], &is_typed);
  if (!is_typed || napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "gemm: the first argument must be a Uint8Array over the memory");
    return NULL;
  }

  bool trans_a = false, trans_b = false;
  if (napi_get_value_bool(env, argv[1], &trans_a) != napi_ok || napi_get_value_bool(env, argv[2], &trans_b) != napi_ok) {
    napi_throw_type_error(env, NULL, "gemm: transA and transB must be booleans");
    return NULL;
  }

  int64_t m, n, k, a, lda, b, ldb, c, ldc;
  double alpha_d, beta_d;
  if (!get_int(env, argv[3], &m) || !get_int(env, argv[4], &n) || !get_int(env, argv[5], &k) ||
      napi_get_value_double(env, argv[6], &alpha_d) != napi_ok ||
      !get_int(env, argv[7], &a) || !get_int(env, argv[8], &lda) ||
      !get_int(env, argv[9], &b) || !get_int(env, argv[10], &ldb) ||
      napi_get_value_double(env, argv[11], &beta_d) != napi_ok ||
      !get_int(env, argv[12], &c) || !get_int(env, argv[13], &ldc)) {
    napi_throw_type_error(env, NULL, "gemm: sizes, offsets and strides must be integers; alpha and beta numbers");
    return NULL;
  }
  /* The wasm kernel returns for m <= 0 or n <= 0; keep the same contract. */
  if (m <= 0 || n <= 0) return NULL;
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX || lda > INT_MAX || ldb > INT_MAX || ldc > INT_MAX) {
    napi_throw_range_error(env, NULL, "gemm: a size or stride exceeds the BLAS integer range");
    return NULL;
  }
  const float alpha = (float)alpha_d, beta = (float)beta_d;

  const int64_t c_floats = extent_floats(m, n, ldc);
  if (!in_bounds(c, c_floats, length)) {
    napi_throw_range_error(env, NULL, "gemm: C (m x n, ldc) is misaligned, has ldc < n, or lies outside the memory");
    return NULL;
  }
  float *c_ptr = (float *)((uint8_t *)data + c);

  /* Nothing to multiply: C = beta * C. Handled here because cblas rejects lda/ldb of 0 even when k == 0. */
  if (k <= 0 || alpha == 0.0f) {
    scale_c(c_ptr, m, n, ldc, beta);
    return NULL;
  }

  /* Transposed A is stored K x M, transposed B N x K (types.ts). */
  const int64_t a_floats = trans_a ? extent_floats(k, m, lda) : extent_floats(m, k, lda);
  const int64_t b_floats = trans_b ? extent_floats(n, k, ldb) : extent_floats(k, n, ldb);
  if (!in_bounds(a, a_floats, length)) {
    napi_throw_range_error(env, NULL, "gemm: A is misaligned, has a too small lda, or lies outside the memory");
    return NULL;
  }
  if (!in_bounds(b, b_floats, length)) {
    napi_throw_range_error(env, NULL, "gemm: B is misaligned, has a too small ldb, or lies outside the memory");
    return NULL;
  }

  /* OpenBLAS with beta == 0 writes C without reading it, as the interface requires. */
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              (blasint)m, (blasint)n, (blasint)k, alpha,
              (const float *)((uint8_t *)data + a), (blasint)lda,
              (const float *)((uint8_t *)data + b), (blasint)ldb,
              beta, c_ptr, (blasint)ldc);
  return NULL;
}

/* OpenBLAS's build description (version, target core, threading), for benchmark reports. */
static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  const char *text = openblas_get_config();
  if (napi_create_string_utf8(env, text ? text : "", NAPI_AUTO_LENGTH, &result) != napi_ok) return fail(env, "config failed");
  return result;
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  if (napi_create_int32(env, openblas_get_num_threads(), &result) != napi_ok) return fail(env, "threads failed");
  return result;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  /* The engine runs its own threads (one kernel instance per worker); OpenBLAS's pool would compete with them
   * for the same cores, and small per-time-step products gain nothing from it. */
  openblas_set_num_threads(1);
  napi_property_descriptor props[] = {
    {"gemm", NULL, gemm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"config", NULL, config, NULL, NULL, NULL, napi_enumerable, NULL},
    {"threads", NULL, threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}
