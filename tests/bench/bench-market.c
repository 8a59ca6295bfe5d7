#define G_LOG_DOMAIN "bench-market"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"

/* 400 symbols × 2,500 days = 1,000,000 rows; 500 symbols × 2,520 days is ten years of bars. */
#define CSV_SYMBOLS   400
#define CSV_DAYS      2500
#define READ_SYMBOLS  500
#define READ_DAYS     2520

static char *
write_csv (const char *dir)
{
  g_autoptr(GString) text = g_string_sized_new (32 * CSV_SYMBOLS * CSV_DAYS);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "prices.csv", NULL);
  GRand *rand = g_rand_new_with_seed (42);

  g_string_append (text, "symbol,date,close\n");
  for (int s = 0; s < CSV_SYMBOLS; s++)
    {
      double price = 100.0;

      for (int d = 0; d < CSV_DAYS; d++)
        {
          g_autofree char *date = sextant_day_format_iso (10957 + d);   /* from 2000-01-01 */

          price *= 1.0 + g_rand_double_range (rand, -0.02, 0.02);
          g_string_append_printf (text, "S%03d,%s,%.4f\n", s, date, price);
        }
    }
  g_rand_free (rand);
  if (!g_file_set_contents (path, text->str, text->len, &error))
    g_error ("%s", error->message);

  return path;
}

/* The floor: read the file and find every field, with no parsing and no database. */
static double
baseline_split (const char *path,
                gsize      *n_rows)
{
  g_autofree char *text = NULL;
  gsize length, fields = 0;
  gint64 start = g_get_monotonic_time ();
  const char *p, *end;

  g_file_get_contents (path, &text, &length, NULL);
  *n_rows = 0;
  for (p = text, end = text + length; p < end; p++)
    {
      if (*p == ',')
        fields++;
      else if (*p == '\n')
        (*n_rows)++;
    }
  (*n_rows)--;   /* the header */
  g_assert (fields > 0);

  return (g_get_monotonic_time () - start) / 1e6;
}

static double
import_csv (const char *path,
            SextantMarketCache *cache,
            gsize      *n_bars)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantCsvImporter) importer = NULL;
  gint64 start = g_get_monotonic_time ();

  importer = sextant_csv_importer_new_for_file (path, SEXTANT_DATE_FORMAT_UNKNOWN, &error);
  if (importer == NULL || !sextant_csv_importer_import_prices (importer, cache, n_bars, &error))
    g_error ("%s", error->message);

  return (g_get_monotonic_time () - start) / 1e6;
}

static void
fill_cache (SextantMarketCache *cache)
{
  g_autoptr(GError) error = NULL;
  char symbol[16];

  if (!sextant_market_cache_begin_import (cache, "bench", 0, &error))
    g_error ("%s", error->message);
  for (int s = 0; s < READ_SYMBOLS; s++)
    {
      g_snprintf (symbol, sizeof symbol, "R%03d", s);
      for (int d = 0; d < READ_DAYS; d++)
        if (!sextant_market_cache_import_bar (cache, symbol, 10957 + d, 1, 2, 0.5, 1.5, 1000, &error))
          g_error ("%s", error->message);
    }
  if (!sextant_market_cache_commit_import (cache, &error))
    g_error ("%s", error->message);
}

static double
read_cache (SextantMarketCache *cache,
            gsize              *n_bars)
{
  gint64 start = g_get_monotonic_time ();
  char symbol[16];

  *n_bars = 0;
  for (int s = 0; s < READ_SYMBOLS; s++)
    {
      g_autoptr(SextantPriceSeries) bars = NULL;

      g_snprintf (symbol, sizeof symbol, "R%03d", s);
      bars = sextant_market_cache_get_bars (cache, symbol, 10957, 10957 + READ_DAYS, NULL);
      *n_bars += sextant_price_series_get_length (bars);
    }

  return (g_get_monotonic_time () - start) / 1e6;
}

/* The floor: one raw SELECT of the same blocks, touching every byte, decoding nothing. */
static double
read_raw (SextantStore *store,
          gsize        *n_rows)
{
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  guint64 sum = 0;

  sqlite3_prepare_v2 (sextant_store_get_db (store),
                      "SELECT bars FROM bar_blocks WHERE symbol BETWEEN 'R000' AND 'R999'",
                      -1, &stmt, NULL);
  *n_rows = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const guint8 *bytes = sqlite3_column_blob (stmt, 0);
      int size = sqlite3_column_bytes (stmt, 0);

      for (int i = 0; i < size; i += 8)
        sum += bytes[i];
      *n_rows += size / 56;
    }
  sqlite3_finalize (stmt);
  g_assert (sum > 0);

  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sextant-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *csv = write_csv (dir);
  g_autoptr(SextantStore) store = sextant_schema_open (db, &error);
  g_autoptr(SextantMarketCache) cache = NULL;
  gsize n_split, n_bars, n_read, n_raw;
  double t_split, t_import, t_read, t_raw;

  if (store == NULL)
    g_error ("%s", error->message);
  cache = sextant_market_cache_new (store);

  t_split = baseline_split (csv, &n_split);
  t_import = import_csv (csv, cache, &n_bars);
  g_assert (n_bars == n_split);
  printf ("csv import: %" G_GSIZE_FORMAT " rows in %.3f s = %.0f rows/s (target >= 500000); "
          "baseline read+split %.3f s = %.0f rows/s; import/baseline time ratio %.1f\n",
          n_bars, t_import, n_bars / t_import, t_split, n_split / t_split, t_import / t_split);

  fill_cache (cache);
  /* Measure warm reads of a checkpointed database, as a running app sees them after an import;
   * the first read only pulls pages into the OS cache. */
  sextant_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  read_cache (cache, &n_read);
  t_read = read_cache (cache, &n_read);
  t_raw = read_raw (store, &n_raw);
  g_assert (n_read == n_raw);
  printf ("cache read: %d symbols x %d days = %" G_GSIZE_FORMAT " bars in %.1f ms (target <= 200 ms); "
          "raw sqlite3 SELECT %.1f ms; ratio %.2f\n", READ_SYMBOLS, READ_DAYS, n_read,
          t_read * 1e3, t_raw * 1e3, t_read / t_raw);

  g_clear_object (&cache);
  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal"
                                                     : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *path = g_strconcat (db, suffix, NULL);
      g_unlink (path);
    }
  g_unlink (csv);
  g_rmdir (dir);

  return 0;
}
