#define G_LOG_DOMAIN "sextant-kb-quantized"

#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if (defined (__GNUC__) || defined (__clang__)) && defined (__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_KERNEL 1
#endif

#include "knowledge/sextant-kb-quantized.h"
#include "knowledge/sextant-kb-rank.h"

/* The exact scan reads 4 bytes a dimension, and at 100,000 × 1024 that is 410 MB a query, more
 * than memory delivers in the 40 ms of issue 16. The first pass here reads int8 codes, a quarter
 * of the bytes, and scores every row approximately; the rows that can still be in the exact
 * top k are then scored again from their float32 vectors by sextant_kb_dot_products(), the
 * same function and so the same float as the exact scan gives. Which rows "can still be" is
 * proven, not guessed: for a row v with codes c and scale s, and the query w with codes d and
 * scale t, Cauchy–Schwarz gives
 *   |v·w − st c·d| ≤ ‖v − sc‖ ‖w‖ + ‖sc‖ ‖w − td‖ ≤ B,
 * taking the largest residual and norm of any row. The exact k-th best score is then at least
 * a_k − B (a_k the k-th best approximate one), so every row of the exact top k has an
 * approximate score of at least a_k − 2B, and those rows are all the second pass looks at. The
 * result is the exact scan's, row for row and tie for tie; only its cost depends on the data. */

#define ALIGNMENT 32

static guint
stride_for (guint dims)
{
  return (dims + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
}

/* Codes of one vector: v_i / scale rounded, with scale = max |v_i| / 127 (1 for a zero vector,
 * whose codes are all 0 and exact). Any rounding would do: the residual is measured from the
 * codes made. Returns the scale; @residual and @norm get ‖v − scale · codes‖² and
 * ‖scale · codes‖². */
static float
quantize_row (const float *v,
              guint        dims,
              gint8       *codes,
              double      *residual,
              double      *norm)
{
  float largest = 0, poison = 0, scale, inverse;

  /* poison turns NaN when any component is not finite (∞ · 0 is NaN). */
  for (guint i = 0; i < dims; i++)
    {
      largest = MAX (largest, fabsf (v[i]));
      poison += v[i] * 0.0f;
    }
  *residual = 0;
  *norm = 0;
  if (poison != 0 || isnan (poison))
    {
      /* A damaged row: codes 0 and an infinite residual, which makes every row a candidate of
       * the second pass — slower, and still the exact scan's answer. */
      memset (codes, 0, dims);
      *residual = INFINITY;
      return 1.0f;
    }
  scale = largest > 0 ? largest / 127.0f : 1.0f;
  inverse = largest > 0 ? 127.0f / largest : 0.0f;
  for (guint i = 0; i < dims; i++)
    {
      float x = v[i] * inverse;
      int code = (int) (x + (x >= 0 ? 0.5f : -0.5f));
      float back;

      code = CLAMP (code, -127, 127);
      codes[i] = (gint8) code;
      back = scale * code;
      *residual += (double) (v[i] - back) * (v[i] - back);
      *norm += (double) back * back;
    }

  return scale;
}

/**
 * sextant_kb_quantize:
 * @matrix: @n_rows vectors of @dims floats, one after the other
 * @n_rows: how many
 * @dims: their dimension
 *
 * Returns: (transfer full): the vectors' int8 codes, for sextant_kb_quantized_top_k()
 */
SextantKbQuantized *
sextant_kb_quantize (const float *matrix,
                     gsize        n_rows,
                     guint        dims)
{
  SextantKbQuantized *q = g_new0 (SextantKbQuantized, 1);

  g_return_val_if_fail (dims > 0, q);

  q->n_rows = n_rows;
  q->dims = dims;
  q->stride = stride_for (dims);
  q->codes = g_aligned_alloc0 (MAX (n_rows, 1), q->stride, ALIGNMENT);
  q->scales = g_new (float, MAX (n_rows, 1));
  for (gsize r = 0; r < n_rows; r++)
    {
      double residual, norm;

      q->scales[r] = quantize_row (matrix + r * dims, dims, q->codes + r * q->stride, &residual, &norm);
      q->max_residual = MAX (q->max_residual, sqrt (residual));
      q->max_norm = MAX (q->max_norm, sqrt (norm));
    }

  return q;
}

void
sextant_kb_quantized_free (SextantKbQuantized *quantized)
{
  if (quantized == NULL)
    return;
  g_aligned_free (quantized->codes);
  g_free (quantized->scales);
  g_free (quantized);
}

/* kernels: Σ codes_i · query_i over a stride, exact in int32 (1024 × 127 × 127 < 2³¹), so every
 * kernel gives the same numbers -------------------------------------------------------------- */

typedef gint32 (*DotFunc) (const gint8  *codes,
                           const gint16 *query,
                           guint         stride);

static gint32
dot_plain (const gint8  *codes,
           const gint16 *query,
           guint         stride)
{
  gint32 sums[4] = { 0 };

  for (guint i = 0; i < stride; i += 4)
    for (guint j = 0; j < 4; j++)
      sums[j] += codes[i + j] * query[i + j];

  return sums[0] + sums[1] + sums[2] + sums[3];
}

#ifdef __SSE2__
/* Bytes widened to 16 bits (each unpacked beside itself, then shifted down with its sign), and
 * multiplied and added in pairs by pmaddwd: 32 dimensions a step in four independent sums. */
static gint32
dot_sse2 (const gint8  *codes,
          const gint16 *query,
          guint         stride)
{
  __m128i a0 = _mm_setzero_si128 (), a1 = a0, a2 = a0, a3 = a0, sum;

  for (guint i = 0; i < stride; i += 32)
    {
      __m128i c0 = _mm_load_si128 ((const __m128i *) (gconstpointer) (codes + i));
      __m128i c1 = _mm_load_si128 ((const __m128i *) (gconstpointer) (codes + i + 16));
      const __m128i *qv = (const __m128i *) (gconstpointer) (query + i);

      a0 = _mm_add_epi32 (a0, _mm_madd_epi16 (_mm_srai_epi16 (_mm_unpacklo_epi8 (c0, c0), 8), _mm_load_si128 (qv)));
      a1 = _mm_add_epi32 (a1, _mm_madd_epi16 (_mm_srai_epi16 (_mm_unpackhi_epi8 (c0, c0), 8), _mm_load_si128 (qv + 1)));
      a2 = _mm_add_epi32 (a2, _mm_madd_epi16 (_mm_srai_epi16 (_mm_unpacklo_epi8 (c1, c1), 8), _mm_load_si128 (qv + 2)));
      a3 = _mm_add_epi32 (a3, _mm_madd_epi16 (_mm_srai_epi16 (_mm_unpackhi_epi8 (c1, c1), 8), _mm_load_si128 (qv + 3)));
    }
  sum = _mm_add_epi32 (_mm_add_epi32 (a0, a1), _mm_add_epi32 (a2, a3));
  sum = _mm_add_epi32 (sum, _mm_shuffle_epi32 (sum, _MM_SHUFFLE (1, 0, 3, 2)));
  sum = _mm_add_epi32 (sum, _mm_shuffle_epi32 (sum, _MM_SHUFFLE (2, 3, 0, 1)));

  return _mm_cvtsi128_si32 (sum);
}
#endif

#ifdef HAVE_AVX2_KERNEL
__attribute__ ((target ("avx2"))) static gint32
dot_avx2 (const gint8  *codes,
          const gint16 *query,
          guint         stride)
{
  __m256i a0 = _mm256_setzero_si256 (), a1 = a0;
  __m128i sum;

  for (guint i = 0; i < stride; i += 32)
    {
      __m256i c0 = _mm256_cvtepi8_epi16 (_mm_load_si128 ((const __m128i *) (gconstpointer) (codes + i)));
      __m256i c1 = _mm256_cvtepi8_epi16 (_mm_load_si128 ((const __m128i *) (gconstpointer) (codes + i + 16)));
      const __m256i *qv = (const __m256i *) (gconstpointer) (query + i);

      a0 = _mm256_add_epi32 (a0, _mm256_madd_epi16 (c0, _mm256_load_si256 (qv)));
      a1 = _mm256_add_epi32 (a1, _mm256_madd_epi16 (c1, _mm256_load_si256 (qv + 1)));
    }
  a0 = _mm256_add_epi32 (a0, a1);
  sum = _mm_add_epi32 (_mm256_castsi256_si128 (a0), _mm256_extracti128_si256 (a0, 1));
  sum = _mm_add_epi32 (sum, _mm_shuffle_epi32 (sum, _MM_SHUFFLE (1, 0, 3, 2)));
  sum = _mm_add_epi32 (sum, _mm_shuffle_epi32 (sum, _MM_SHUFFLE (2, 3, 0, 1)));

  return _mm_cvtsi128_si32 (sum);
}
#endif

/* SEXTANT_KB_KERNEL=sse2 or plain forces a kernel, so tests can compare them. */
static DotFunc
choose_kernel (const char **name)
{
  const char *forced = g_getenv ("SEXTANT_KB_KERNEL");

#ifdef HAVE_AVX2_KERNEL
  if (forced == NULL && __builtin_cpu_supports ("avx2"))
    {
      *name = "avx2";
      return dot_avx2;
    }
#endif
#ifdef __SSE2__
  if (g_strcmp0 (forced, "plain") != 0)
    {
      *name = "sse2";
      return dot_sse2;
    }
#endif
  *name = "plain";
  return dot_plain;
}

/**
 * sextant_kb_quantized_get_kernel:
 *
 * Returns: which kernel scores the codes here: "avx2", "sse2" or "plain"
 */
const char *
sextant_kb_quantized_get_kernel (void)
{
  const char *name;

  choose_kernel (&name);

  return name;
}

/* the two passes ------------------------------------------------------------------------------ */

typedef struct
{
  gint16 *codes;     /* the query's codes, stride long, aligned */
  double  scale;
  double  norm;      /* ‖w‖ */
  double  residual;  /* ‖w − scale · codes‖ */
} Query;

static void
quantize_query (const float *w,
                guint        dims,
                guint        stride,
                Query       *query)
{
  g_autofree gint8 *codes = g_new0 (gint8, dims);
  double residual, norm;

  query->codes = g_aligned_alloc0 (stride, sizeof (gint16), ALIGNMENT);
  query->scale = quantize_row (w, dims, codes, &residual, &norm);
  for (guint i = 0; i < dims; i++)
    query->codes[i] = codes[i];
  query->residual = sqrt (residual);
  query->norm = 0;
  for (guint i = 0; i < dims; i++)
    query->norm += (double) w[i] * w[i];
  query->norm = sqrt (query->norm);
}

/* B of the comment at the top, plus what rounding can add: the float sums of the exact scan
 * are within dims · 2⁻²³ · ‖v‖ ‖w‖ of the real dot product (a bound for any order of
 * summation), and the approximate score is rounded once more when it is made a float. */
static double
error_bound (const SextantKbQuantized *q,
             const Query              *query)
{
  double bound = q->max_residual * query->norm + q->max_norm * query->residual;
  double rounding = (q->dims + 8) * ldexp (1, -23) * (q->max_norm + q->max_residual) * (query->norm + query->residual);

  return bound + rounding;
}

/**
 * sextant_kb_quantized_top_k:
 * @quantized: the codes of @matrix
 * @matrix: the vectors, as sextant_kb_dot_products() takes them
 * @ids: the rows' ids
 * @excluded: (nullable): per row, non-zero to leave it out (a filter)
 * @query: a vector of the same dimension
 * @k: how many to keep
 * @n_exact: (out) (optional): how many rows the second pass scored exactly
 *
 * The exact scan's top @k, found by reading codes (see the comment at the top of this file).
 *
 * Returns: (transfer full) (element-type SextantKbScored): the best @k of the rows not
 *   excluded, best first, scored as sextant_kb_dot_products() scores them
 */
GArray *
sextant_kb_quantized_top_k (const SextantKbQuantized *quantized,
                            const float              *matrix,
                            const gint64             *ids,
                            const guint8             *excluded,
                            const float              *query,
                            guint                     k,
                            guint                    *n_exact)
{
  const SextantKbQuantized *q = quantized;
  const char *kernel;
  DotFunc dot = choose_kernel (&kernel);
  g_autofree float *approx = g_new (float, MAX (q->n_rows, 1));
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) candidate_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) candidate_scores = g_array_new (FALSE, FALSE, sizeof (float));
  Query w;
  double bound, threshold = -INFINITY;

  g_return_val_if_fail (quantized != NULL, NULL);

  if (n_exact != NULL)
    *n_exact = 0;
  if (k == 0)
    return g_array_new (FALSE, FALSE, sizeof (SextantKbScored));
  quantize_query (query, q->dims, q->stride, &w);
  for (gsize r = 0; r < q->n_rows; r++)
    approx[r] = excluded != NULL && excluded[r] ? -G_MAXFLOAT
                                                : (float) (q->scales[r] * w.scale * dot (q->codes + r * q->stride, w.codes, q->stride));
  g_aligned_free (w.codes);
  bound = error_bound (q, &w);

  first = sextant_kb_top_k (approx, ids, q->n_rows, k);
  /* Fewer than k rows, or a bound that is no number (a damaged row): every row is a candidate. */
  if (first->len == k && g_array_index (first, SextantKbScored, k - 1).score > -G_MAXFLOAT && isfinite (bound))
    threshold = g_array_index (first, SextantKbScored, k - 1).score - 2 * bound;
  for (gsize r = 0; r < q->n_rows; r++)
    if (approx[r] >= threshold && approx[r] > -G_MAXFLOAT)
      {
        float exact;

        sextant_kb_dot_products (matrix + r * q->dims, 1, q->dims, query, &exact);
        g_array_append_val (candidate_ids, ids[r]);
        g_array_append_val (candidate_scores, exact);
      }
  if (n_exact != NULL)
    *n_exact = candidate_ids->len;

  return sextant_kb_top_k ((const float *) (gpointer) candidate_scores->data,
                           (const gint64 *) (gpointer) candidate_ids->data, candidate_ids->len, k);
}
