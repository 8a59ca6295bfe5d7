#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_KB_RRF_K 60.0

/**
 * SextantKbScored:
 * @id: a chunk id
 * @score: its score, higher is better
 */
typedef struct
{
  gint64 id;
  double score;
} SextantKbScored;

void    sextant_kb_rank_sort    (GArray        *scored);
GArray *sextant_kb_rank_fuse    (GArray * const *rankings,
                                 guint          n_rankings,
                                 double         k);
void    sextant_kb_dot_products (const float   *matrix,
                                 gsize          n_rows,
                                 guint          dims,
                                 const float   *query,
                                 float         *scores);
GArray *sextant_kb_top_k        (const float   *scores,
                                 const gint64  *ids,
                                 gsize          n,
                                 guint          k);

G_END_DECLS
