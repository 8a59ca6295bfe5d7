#define G_LOG_DOMAIN "sextant-kb-rank"

#include "config.h"

#include <string.h>

#include "knowledge/sextant-kb-rank.h"

/* Ranking: the exact dot-product scan over stored vectors, the best k of it, and reciprocal rank
 * fusion (Cormack, Clarke and Büttcher 2009) of that ranking with FTS5's bm25(). RRF needs no
 * calibration between a cosine and a bm25 score, only ranks: score(d) = Σ 1 / (k + rank_i(d)),
 * ranks from 1, k = 60 as in the paper. */

static int
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const SextantKbScored *sa = a;
  const SextantKbScored *sb = b;

  /* Best first; equal scores by id, so that a ranking never depends on the order rows came in. */
  if (sa->score != sb->score)
    return sa->score > sb->score ? -1 : 1;

  return (sa->id > sb->id) - (sa->id < sb->id);
}

/**
 * sextant_kb_rank_sort:
 * @scored: (element-type SextantKbScored): scores
 *
 * Sorts @scored best first, equal scores by increasing id.
 */
void
sextant_kb_rank_sort (GArray *scored)
{
  g_array_sort (scored, compare_scored);
}

/**
 * sextant_kb_rank_fuse:
 * @rankings: (array length=n_rankings): rankings, each best first (sextant_kb_rank_sort())
 * @n_rankings: how many
 * @k: the RRF constant (%SEXTANT_KB_RRF_K)
 *
 * Returns: (transfer full) (element-type SextantKbScored): every id of any ranking with its fused
 *   score, best first
 */
GArray *
sextant_kb_rank_fuse (GArray * const *rankings,
                      guint           n_rankings,
                      double          k)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *fused = g_array_new (FALSE, FALSE, sizeof (SextantKbScored));

  for (guint r = 0; r < n_rankings; r++)
    for (guint i = 0; i < rankings[r]->len; i++)
      {
        const SextantKbScored *s = &g_array_index (rankings[r], SextantKbScored, i);
        gpointer position;

        if (!g_hash_table_lookup_extended (index, &s->id, NULL, &position))
          {
            SextantKbScored entry = { s->id, 0 };

            g_array_append_val (fused, entry);
            position = GUINT_TO_POINTER (fused->len - 1);
            /* The key points into the rankings, which outlive the table. */
            g_hash_table_insert (index, (gpointer) &s->id, position);
          }
        g_array_index (fused, SextantKbScored, GPOINTER_TO_UINT (position)).score += 1.0 / (k + (i + 1));
      }
  sextant_kb_rank_sort (fused);

  return fused;
}

/* Four floats, added lane by lane (GCC and Clang vector extensions): SSE2 on any x86-64, NEON on
 * arm64, plain code elsewhere. */
typedef float Float4 __attribute__ ((vector_size (16)));

static inline Float4
load4 (const float *p)
{
  Float4 v;

  /* memcpy: the rows of a BLOB need not be 16-byte aligned. */
  memcpy (&v, p, sizeof v);

  return v;
}

/**
 * sextant_kb_dot_products:
 * @matrix: @n_rows vectors of @dims floats, one after the other
 * @n_rows: how many vectors
 * @dims: their dimension
 * @query: a vector of @dims floats
 * @scores: (out caller-allocates): @n_rows dot products
 *
 * The scan reads every stored vector once, so it runs at memory bandwidth when the arithmetic
 * keeps up: four independent sums of four lanes each, since one running sum is a dependency
 * chain the compiler may not reorder without -ffast-math. Vectors are unit length (Titan's
 * `normalize: true`), so the dot product is the cosine.
 */
void
sextant_kb_dot_products (const float *matrix,
                         gsize        n_rows,
                         guint        dims,
                         const float *query,
                         float       *scores)
{
  for (gsize r = 0; r < n_rows; r++)
    {
      const float *row = matrix + r * dims;
      Float4 a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 }, sum4;
      guint i = 0;
      float sum;

      for (; i + 16 <= dims; i += 16)
        {
          a0 += load4 (row + i) * load4 (query + i);
          a1 += load4 (row + i + 4) * load4 (query + i + 4);
          a2 += load4 (row + i + 8) * load4 (query + i + 8);
          a3 += load4 (row + i + 12) * load4 (query + i + 12);
        }
      sum4 = (a0 + a1) + (a2 + a3);
      sum = (sum4[0] + sum4[1]) + (sum4[2] + sum4[3]);
      for (; i < dims; i++)
        sum += row[i] * query[i];
      scores[r] = sum;
    }
}

/**
 * sextant_kb_top_k:
 * @scores: @n scores
 * @ids: the ids they belong to
 * @n: how many
 * @k: how many to keep
 *
 * Returns: (transfer full) (element-type SextantKbScored): the best @k, best first
 */
GArray *
sextant_kb_top_k (const float  *scores,
                  const gint64 *ids,
                  gsize         n,
                  guint         k)
{
  GArray *top = g_array_sized_new (FALSE, FALSE, sizeof (SextantKbScored), k + 1);

  /* A sorted array of k entries: a new score goes in only when it beats the worst kept, so
   * at k ≪ n nearly every row costs one comparison. */
  for (gsize r = 0; r < n && k > 0; r++)
    {
      SextantKbScored entry = { ids[r], scores[r] };
      guint pos;

      if (top->len == k && compare_scored (&entry, &g_array_index (top, SextantKbScored, k - 1)) >= 0)
        continue;
      pos = top->len;
      while (pos > 0 && compare_scored (&entry, &g_array_index (top, SextantKbScored, pos - 1)) < 0)
        pos--;
      g_array_insert_val (top, pos, entry);
      if (top->len > k)
        g_array_set_size (top, k);
    }

  return top;
}
