#define G_LOG_DOMAIN "sextant-bar-block"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-bar-block.h"
#include "analytics/sextant-price-series.h"

/* On disk a record is 56 bytes, little-endian whatever the machine, so that a database file
 * moves between machines as SQLite files do. */
#define RECORD_SIZE 56

SextantBarBlock *
sextant_bar_block_new (const char *symbol,
                       int         year)
{
  SextantBarBlock *self = g_new0 (SextantBarBlock, 1);

  self->symbol = g_strdup (symbol);
  self->year = year;
  self->records = g_array_new (FALSE, FALSE, sizeof (SextantBarRecord));
  self->providers = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
sextant_bar_block_free (SextantBarBlock *self)
{
  if (self == NULL)
    return;

  g_free (self->symbol);
  g_array_unref (self->records);
  g_ptr_array_unref (self->providers);
  g_free (self);
}

/**
 * sextant_bar_block_intern:
 * @self: a block
 * @provider: a provider id
 *
 * Returns: the index of @provider in the block's list, added if new
 */
int
sextant_bar_block_intern (SextantBarBlock *self,
                          const char      *provider)
{
  for (guint i = 0; i < self->providers->len; i++)
    if (g_str_equal (g_ptr_array_index (self->providers, i), provider))
      return i;
  g_ptr_array_add (self->providers, g_strdup (provider));

  return self->providers->len - 1;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const SextantBarRecord *x = a, *y = b;

  return (x->day > y->day) - (x->day < y->day);
}

/* A bar without a close (a broker's dividend or transfer row, a provider's empty newest day) is
 * no price: it never replaces one, or a file's empty row would turn a good close into NaN. */
static gboolean
replaces (const SextantBarRecord *newer,
          const SextantBarRecord *older)
{
  return !isnan (newer->close) || isnan (older->close);
}

/**
 * sextant_bar_block_normalize:
 * @self: a block
 *
 * Sorts by day and keeps the last record of each day, so that within one batch a later row
 * wins, as it would with one INSERT OR REPLACE per row, unless it has no close and the earlier
 * one has. The sort is stable (g_array_sort is a
 * merge sort), which is what makes "last" well defined.
 */
void
sextant_bar_block_normalize (SextantBarBlock *self)
{
  SextantBarRecord *r = (SextantBarRecord *) self->records->data;
  guint n = self->records->len, out = 0;
  gboolean sorted = TRUE;

  for (guint i = 1; i < n && sorted; i++)
    sorted = r[i - 1].day < r[i].day;
  if (sorted)
    return;

  g_array_sort (self->records, compare_days);
  r = (SextantBarRecord *) self->records->data;
  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && r[out - 1].day == r[i].day)
        {
          if (replaces (&r[i], &r[out - 1]))
            r[out - 1] = r[i];
        }
      else
        r[out++] = r[i];
    }
  g_array_set_size (self->records, out);
}

/**
 * sextant_bar_block_merge:
 * @self: a normalized block of new bars
 * @older: a normalized block of the bars already stored
 * @replace: %TRUE if new bars replace stored bars of the same day, %FALSE if stored bars win
 *
 * A new bar without a close never replaces a stored one with a close.
 * Merges @older into @self, remapping provider indexes.
 */
void
sextant_bar_block_merge (SextantBarBlock       *self,
                         const SextantBarBlock *older,
                         gboolean               replace)
{
  g_autoptr(GArray) merged = g_array_sized_new (FALSE, FALSE, sizeof (SextantBarRecord),
                                                self->records->len + older->records->len);
  const SextantBarRecord *a = (const SextantBarRecord *) self->records->data;
  const SextantBarRecord *b = (const SextantBarRecord *) older->records->data;
  guint i = 0, j = 0;

  while (i < self->records->len || j < older->records->len)
    {
      SextantBarRecord record;

      if (j >= older->records->len || (i < self->records->len && a[i].day < b[j].day))
        record = a[i++];
      else if (i >= self->records->len || b[j].day < a[i].day)
        {
          record = b[j++];
          record.provider = sextant_bar_block_intern (self, g_ptr_array_index (older->providers,
                                                                               b[j - 1].provider));
        }
      else
        {
          gboolean newer_wins = replace && replaces (&a[i], &b[j]);

          record = newer_wins ? a[i] : b[j];
          if (!newer_wins)
            record.provider = sextant_bar_block_intern (self, g_ptr_array_index (older->providers,
                                                                                 b[j].provider));
          i++, j++;
        }
      g_array_append_val (merged, record);
    }

  g_array_set_size (self->records, 0);
  g_array_append_vals (self->records, merged->data, merged->len);
}

static void
put_u32 (guint8  *p,
         guint32  v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static void
put_u64 (guint8  *p,
         guint64  v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static void
put_double (guint8 *p,
            double  d)
{
  guint64 v;

  memcpy (&v, &d, 8);
  put_u64 (p, v);
}

/**
 * sextant_bar_block_encode:
 * @self: a normalized block
 *
 * Returns: (transfer full): the records as stored
 */
GBytes *
sextant_bar_block_encode (const SextantBarBlock *self)
{
  gsize size = (gsize) self->records->len * RECORD_SIZE;
  guint8 *data = g_malloc (MAX (size, 1));

  for (guint i = 0; i < self->records->len; i++)
    {
      const SextantBarRecord *r = &g_array_index (self->records, SextantBarRecord, i);
      guint8 *p = data + (gsize) i * RECORD_SIZE;

      put_u32 (p, (guint32) r->day);
      put_u32 (p + 4, (guint32) r->provider);
      put_u64 (p + 8, (guint64) r->fetched_at);
      put_double (p + 16, r->open);
      put_double (p + 24, r->high);
      put_double (p + 32, r->low);
      put_double (p + 40, r->close);
      put_double (p + 48, r->volume);
    }

  return g_bytes_new_take (data, size);
}

/**
 * sextant_bar_block_join_providers:
 * @self: a block
 *
 * Returns: (transfer full): the provider list as stored, one id per line
 */
char *
sextant_bar_block_join_providers (const SextantBarBlock *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->providers->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                            (const char *) g_ptr_array_index (self->providers, i));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static double
get_double (const guint8 *p)
{
  guint64 v;
  double d;

  memcpy (&v, p, 8);
  v = GUINT64_FROM_LE (v);
  memcpy (&d, &v, 8);

  return d;
}

/**
 * sextant_bar_decode_records:
 * @data: stored records
 * @size: their size in bytes
 * @out: (out caller-allocates): room for @max records
 * @max: how many fit
 *
 * Returns: the number of records decoded
 */
gsize
sextant_bar_decode_records (const void       *data,
                            gsize             size,
                            SextantBarRecord *out,
                            gsize             max)
{
  gsize n = MIN (size / RECORD_SIZE, max);

  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = (const guint8 *) data + i * RECORD_SIZE;
      guint32 day, provider;
      guint64 fetched;

      memcpy (&day, p, 4);
      memcpy (&provider, p + 4, 4);
      memcpy (&fetched, p + 8, 8);
      out[i].day = (gint32) GUINT32_FROM_LE (day);
      out[i].provider = (gint32) GUINT32_FROM_LE (provider);
      out[i].fetched_at = (gint64) GUINT64_FROM_LE (fetched);
      out[i].open = get_double (p + 16);
      out[i].high = get_double (p + 24);
      out[i].low = get_double (p + 32);
      out[i].close = get_double (p + 40);
      out[i].volume = get_double (p + 48);
    }

  return n;
}

/**
 * sextant_bar_block_decode:
 * @self: an empty block
 * @data: stored records
 * @size: their size
 * @providers: the stored provider list
 *
 * Returns: %FALSE if @size is not a whole number of records
 */
gboolean
sextant_bar_block_decode (SextantBarBlock *self,
                          const void      *data,
                          gsize            size,
                          const char      *providers)
{
  g_auto(GStrv) ids = g_strsplit (providers != NULL ? providers : "", "\n", -1);
  gsize n = size / RECORD_SIZE;

  if (size % RECORD_SIZE != 0)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (self->providers, g_strdup (ids[i]));
  g_array_set_size (self->records, n);
  sextant_bar_decode_records (data, size, (SextantBarRecord *) self->records->data, n);

  return TRUE;
}

/**
 * sextant_bar_day_year:
 * @day: days since 1970-01-01
 * @first_day: (out): the year's first day
 * @last_day: (out): the year's last day
 *
 * Returns: the calendar year of @day
 */
int
sextant_bar_day_year (gint32  day,
                      gint32 *first_day,
                      gint32 *last_day)
{
  int y, m, d;

  sextant_day_to_ymd (day, &y, &m, &d);
  *first_day = sextant_day_from_ymd (y, 1, 1);
  *last_day = sextant_day_from_ymd (y + 1, 1, 1) - 1;

  return y;
}
