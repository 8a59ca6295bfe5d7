#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantBarRecord:
 * @day: days since 1970-01-01
 * @provider: index into the block's provider list
 * @fetched_at: unix seconds
 * @open: open or NaN
 * @high: high or NaN
 * @low: low or NaN
 * @close: close or NaN
 * @volume: volume or NaN
 *
 * One daily bar as the cache keeps it.
 */
typedef struct
{
  gint32 day;
  gint32 provider;
  gint64 fetched_at;
  double open;
  double high;
  double low;
  double close;
  double volume;
} SextantBarRecord;

/**
 * SextantBarBlock:
 * @symbol: the instrument
 * @year: the calendar year of every bar in it
 * @records: (element-type SextantBarRecord): bars, by day once normalized
 * @providers: (element-type utf8): the provider ids the records index
 *
 * A year of one instrument's bars, the unit the cache stores as one row: reading ten years of
 * 500 instruments is 5,000 rows instead of 1.26 million, which is what keeps it well under the
 * per-row cost of SQLite.
 */
typedef struct
{
  char      *symbol;
  int        year;
  GArray    *records;
  GPtrArray *providers;
} SextantBarBlock;

SextantBarBlock *sextant_bar_block_new          (const char             *symbol,
                                                 int                     year);
void             sextant_bar_block_free         (SextantBarBlock        *self);
int              sextant_bar_block_intern       (SextantBarBlock        *self,
                                                 const char             *provider);
void             sextant_bar_block_normalize    (SextantBarBlock        *self);
void             sextant_bar_block_merge        (SextantBarBlock        *self,
                                                 const SextantBarBlock  *older,
                                                 gboolean                replace);
GBytes          *sextant_bar_block_encode       (const SextantBarBlock  *self);
char            *sextant_bar_block_join_providers (const SextantBarBlock *self);
gboolean         sextant_bar_block_decode       (SextantBarBlock        *self,
                                                 const void             *data,
                                                 gsize                   size,
                                                 const char             *providers);
gsize            sextant_bar_decode_records     (const void             *data,
                                                 gsize                   size,
                                                 SextantBarRecord       *out,
                                                 gsize                   max);
int              sextant_bar_day_year           (gint32                  day,
                                                 gint32                 *first_day,
                                                 gint32                 *last_day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantBarBlock, sextant_bar_block_free)

G_END_DECLS
