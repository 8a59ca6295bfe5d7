#define G_LOG_DOMAIN "fuzz-csv-importer"

#include "config.h"

#include "fuzz-glib.h"
#include "sextant-core.h"

/* libFuzzer target: arbitrary bytes as a CSV file given to the importer, as the Import dialog and
 * `sextant-cli import` do: the sniffer (delimiter, decimal comma, date format, layout, column
 * roles), then its rows, as prices into a cache and as holdings. The first byte picks the date
 * format a user may force, as the dialog's combo does. One database in memory serves every run;
 * its tables are emptied between runs so that runs do not depend on each other. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static SextantMarketCache *cache;

static SextantMarketCache *
get_cache (void)
{
  g_autoptr(GError) error = NULL;
  SextantStore *store;

  if (cache != NULL)
    return cache;
  store = sextant_schema_open (":memory:", &error);
  g_assert_no_error (error);
  cache = sextant_market_cache_new (store);
  g_object_unref (store);

  return cache;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) holdings_error = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autofree char *description = NULL;
  SextantDateFormat date_format = SEXTANT_DATE_FORMAT_UNKNOWN;
  gsize n_bars = 0;

  fuzz_glib_init ();

  if (size > 0)
    {
      date_format = data[0] % SEXTANT_DATE_FORMAT_N_FORMATS;
      data++;
      size--;
    }
  bytes = g_bytes_new (data, size);
  importer = sextant_csv_importer_new_for_data (bytes, date_format, &error);
  if (importer == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  description = sextant_csv_importer_describe (importer);
  for (guint i = 0; i < sextant_csv_importer_get_n_columns (importer); i++)
    {
      g_assert (sextant_csv_importer_get_column_name (importer, i) != NULL);
      (void) sextant_csv_role_get_name (sextant_csv_importer_get_column_role (importer, i));
    }
  if (sextant_csv_importer_get_layout (importer) == SEXTANT_CSV_LAYOUT_SINGLE &&
      sextant_csv_importer_get_symbol (importer) == NULL)
    sextant_csv_importer_set_symbol (importer, "FUZZ");

  if (sextant_csv_importer_get_layout (importer) == SEXTANT_CSV_LAYOUT_HOLDINGS)
    {
      portfolio = sextant_csv_importer_read_holdings (importer, "fuzz", &holdings_error);
      g_assert ((portfolio == NULL) != (holdings_error == NULL));
    }
  else if (!sextant_csv_importer_import_prices (importer, get_cache (), &n_bars, &error))
    g_assert (error != NULL);

  for (guint i = 0; i < sextant_csv_importer_get_n_rejected (importer); i++)
    g_assert (sextant_csv_importer_get_rejected (importer, i)->message != NULL);

  if (cache != NULL)
    sqlite3_exec (sextant_store_get_db (sextant_market_cache_get_store (cache)),
                  "DELETE FROM bar_blocks; DELETE FROM quotes; DELETE FROM instruments;", NULL, NULL, NULL);

  return 0;
}
