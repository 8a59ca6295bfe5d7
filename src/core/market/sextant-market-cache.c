#define G_LOG_DOMAIN "sextant-market-cache"

#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "market/sextant-bar-block.h"
#include "market/sextant-market-cache-private.h"
#include "market/sextant-market-error.h"


G_DEFINE_FINAL_TYPE (SextantMarketCache, sextant_market_cache, G_TYPE_OBJECT)

static void
sextant_market_cache_finalize (GObject *object)
{
  SextantMarketCache *self = SEXTANT_MARKET_CACHE (object);

  if (self->pending != NULL)
    sextant_market_cache_abort_import (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sextant_market_cache_parent_class)->finalize (object);
}

static void
sextant_market_cache_class_init (SextantMarketCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_market_cache_finalize;
}

static void
sextant_market_cache_init (SextantMarketCache *self)
{
}

/**
 * sextant_market_cache_new:
 * @store: an open store (schema 2 or later)
 *
 * Returns: (transfer full): the cache over @store's daily bars, quotes and raw responses
 */
SextantMarketCache *
sextant_market_cache_new (SextantStore *store)
{
  SextantMarketCache *self;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);

  self = g_object_new (SEXTANT_TYPE_MARKET_CACHE, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * sextant_market_cache_get_store:
 * @self: a cache
 *
 * Returns: (transfer none): the store
 */
SextantStore *
sextant_market_cache_get_store (SextantMarketCache *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  return self->store;
}

/* NaN is bound as NULL: SQLite would do the same, but saying so keeps "missing" explicit. */
void
_sextant_market_cache_bind_number (sqlite3_stmt *stmt,
             int           index,
             double        value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

double
_sextant_market_cache_column_number (sqlite3_stmt *stmt,
               int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NAN;

  return sqlite3_column_double (stmt, index);
}

gboolean
_sextant_market_cache_begin_import_full (SextantMarketCache  *self,
                   const char          *provider,
                   gint64               fetched_at,
                   gboolean             replace,
                   GError             **error)
{
  g_return_val_if_fail (self->pending == NULL, FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sextant_bar_block_free);
  self->import_provider = g_strdup (provider);
  self->import_fetched_at = fetched_at;
  self->import_replace = replace;
  self->last_block = NULL;

  return TRUE;
}

static void
end_import (SextantMarketCache *self)
{
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->import_provider, g_free);
  self->last_block = NULL;
}

/**
 * sextant_market_cache_begin_import:
 * @self: a cache
 * @provider: the provider id stored with every bar (`csv`, `demo`, `finnhub`, …)
 * @fetched_at: the fetch or import time, unix seconds
 * @error: return location
 *
 * Opens a transaction for a batch of sextant_market_cache_import_bar() calls. Bars replace
 * cached bars of the same symbol and day; within the batch, a later bar of the same day wins.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_begin_import (SextantMarketCache  *self,
                                   const char          *provider,
                                   gint64               fetched_at,
                                   GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  return _sextant_market_cache_begin_import_full (self, provider, fetched_at, TRUE, error);
}

/* Bars mostly arrive grouped by symbol and date, so the block of the previous bar is checked
 * before the hash table. */
static SextantBarBlock *
pending_block (SextantMarketCache *self,
               const char         *symbol,
               gint32              day)
{
  g_autofree char *key = NULL;
  SextantBarBlock *block;
  gint32 first, last;
  int year;

  if (self->last_block != NULL && day >= self->last_first_day && day <= self->last_last_day &&
      strcmp (self->last_block->symbol, symbol) == 0)
    return self->last_block;

  year = sextant_bar_day_year (day, &first, &last);
  key = g_strdup_printf ("%s\x1f%d", symbol, year);
  block = g_hash_table_lookup (self->pending, key);
  if (block == NULL)
    {
      block = sextant_bar_block_new (symbol, year);
      sextant_bar_block_intern (block, self->import_provider);
      g_hash_table_insert (self->pending, g_steal_pointer (&key), block);
    }
  self->last_block = block;
  self->last_first_day = first;
  self->last_last_day = last;

  return block;
}

/**
 * sextant_market_cache_import_bar:
 * @self: a cache inside sextant_market_cache_begin_import()
 * @symbol: the instrument
 * @day: days since 1970-01-01
 * @open: open or NaN
 * @high: high or NaN
 * @low: low or NaN
 * @close: close or NaN (a gap, kept as such)
 * @volume: volume or NaN
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_import_bar (SextantMarketCache  *self,
                                 const char          *symbol,
                                 gint32               day,
                                 double               open,
                                 double               high,
                                 double               low,
                                 double               close,
                                 double               volume,
                                 GError             **error)
{
  SextantBarRecord record = { day, 0, 0, open, high, low, close, volume };
  SextantBarBlock *block;

  g_return_val_if_fail (self->pending != NULL, FALSE);

  block = pending_block (self, symbol, day);
  record.fetched_at = self->import_fetched_at;
  g_array_append_val (block->records, record);

  return TRUE;
}

static SextantBarBlock *
load_block (SextantMarketCache  *self,
            const char          *symbol,
            int                  year,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantBarBlock) block = sextant_bar_block_new (symbol, year);

  stmt = sextant_store_prepare (self->store, "SELECT providers, bars FROM bar_blocks "
                                             "WHERE symbol = ? AND year = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, year);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      !sextant_bar_block_decode (block, sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                                 (const char *) sqlite3_column_text (stmt, 0)))
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CORRUPT,
                   "The cached bars of %s in %d are damaged", symbol, year);
      return NULL;
    }

  return g_steal_pointer (&block);
}

static gboolean
write_block (SextantMarketCache  *self,
             sqlite3_stmt        *stmt,
             SextantBarBlock     *block,
             GError             **error)
{
  g_autoptr(SextantBarBlock) stored = load_block (self, block->symbol, block->year, error);
  g_autoptr(GBytes) bars = NULL;
  g_autofree char *providers = NULL;
  const SextantBarRecord *r;
  gint64 fetched_at = 0;

  if (stored == NULL)
    return FALSE;
  sextant_bar_block_normalize (block);
  sextant_bar_block_merge (block, stored, self->import_replace);
  r = (const SextantBarRecord *) block->records->data;
  for (guint i = 0; i < block->records->len; i++)
    fetched_at = MAX (fetched_at, r[i].fetched_at);
  bars = sextant_bar_block_encode (block);
  providers = sextant_bar_block_join_providers (block);

  sqlite3_bind_text (stmt, 1, block->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, block->year);
  sqlite3_bind_int (stmt, 3, r[0].day);
  sqlite3_bind_int (stmt, 4, r[block->records->len - 1].day);
  sqlite3_bind_int64 (stmt, 5, block->records->len);
  sqlite3_bind_int64 (stmt, 6, fetched_at);
  sqlite3_bind_text (stmt, 7, providers, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 8, g_bytes_get_data (bars, NULL), g_bytes_get_size (bars), SQLITE_STATIC);

  return sextant_store_step_done (self->store, stmt, error);
}

/* Every symbol with bars is an instrument; the first source that brought it is kept. */
static gboolean
note_instrument (SextantMarketCache  *self,
                 const char          *symbol,
                 GError             **error)
{
  return _sextant_market_cache_insert_instrument (self, symbol, NULL, NULL, self->import_provider, error);
}

static gboolean
write_pending (SextantMarketCache  *self,
               GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTableIter iter;
  gpointer block;

  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO bar_blocks (symbol, year, first_day, last_day, n_bars, "
                                "fetched_at, providers, bars) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                                "ON CONFLICT (symbol, year) DO UPDATE SET first_day = ?3, "
                                "last_day = ?4, n_bars = ?5, fetched_at = ?6, providers = ?7, "
                                "bars = ?8", error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &block))
    if (!write_block (self, stmt, block, error) ||
        !note_instrument (self, ((SextantBarBlock *) block)->symbol, error))
      return FALSE;

  return TRUE;
}

/**
 * sextant_market_cache_commit_import:
 * @self: a cache
 * @error: return location
 *
 * Returns: %TRUE if the batch is committed; on failure it is rolled back
 */
gboolean
sextant_market_cache_commit_import (SextantMarketCache  *self,
                                    GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);
  g_return_val_if_fail (self->pending != NULL, FALSE);

  if (!write_pending (self, error) || !sextant_store_commit (self->store, error))
    {
      sextant_market_cache_abort_import (self);
      return FALSE;
    }
  end_import (self);

  return TRUE;
}

void
sextant_market_cache_abort_import (SextantMarketCache *self)
{
  g_return_if_fail (SEXTANT_IS_MARKET_CACHE (self));

  end_import (self);
  sextant_store_rollback (self->store);
}

gboolean
_sextant_market_cache_import_series (SextantMarketCache  *self,
               SextantPriceSeries  *series,
               GError             **error)
{
  const char *symbol = sextant_price_series_get_symbol (series);
  const gint32 *days = sextant_price_series_get_days (series);
  const double *o = sextant_price_series_get_open (series);
  const double *h = sextant_price_series_get_high (series);
  const double *l = sextant_price_series_get_low (series);
  const double *c = sextant_price_series_get_close (series);
  const double *v = sextant_price_series_get_volume (series);

  for (gsize i = 0; i < sextant_price_series_get_length (series); i++)
    if (!sextant_market_cache_import_bar (self, symbol, days[i], o[i], h[i], l[i], c[i], v[i],
                                          error))
      return FALSE;

  return TRUE;
}

/**
 * sextant_market_cache_put_bars:
 * @self: a cache
 * @series: bars to store (replacing cached bars of the same days)
 * @provider: the provider id
 * @fetched_at: unix seconds
 * @error: return location
 *
 * Returns: %TRUE on success; nothing is written on failure
 */
gboolean
sextant_market_cache_put_bars (SextantMarketCache  *self,
                               SextantPriceSeries  *series,
                               const char          *provider,
                               gint64               fetched_at,
                               GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (!sextant_market_cache_begin_import (self, provider, fetched_at, error))
    return FALSE;
  if (!_sextant_market_cache_import_series (self, series, error))
    {
      sextant_market_cache_abort_import (self);
      return FALSE;
    }

  return sextant_market_cache_commit_import (self, error);
}

/**
 * sextant_market_cache_store_fetch:
 * @self: a cache
 * @responses: (nullable) (element-type SextantMarketResponse): raw responses to keep
 * @series: (nullable): bars to store
 * @quote: (nullable): a quote to store
 * @provider: the provider of @series
 * @error: return location
 *
 * Stores the outcome of one fetch in one transaction: the raw responses (failed ones too) and
 * what was parsed from them, so the data lake and the cache never disagree.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_store_fetch (SextantMarketCache  *self,
                                  GPtrArray           *responses,
                                  SextantPriceSeries  *series,
                                  SextantQuote        *quote,
                                  const char          *provider,
                                  GError             **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (!_sextant_market_cache_begin_import_full (self, provider != NULL ? provider : "unknown", now, TRUE, error))
    return FALSE;
  /* The router's last response is the one the stored bars or quote were parsed from. */
  for (guint i = 0; responses != NULL && i < responses->len; i++)
    if (_sextant_market_cache_insert_response (self, g_ptr_array_index (responses, i),
                         i + 1 == responses->len && (series != NULL || quote != NULL), error) < 0)
      goto fail;
  if (series != NULL && !_sextant_market_cache_import_series (self, series, error))
    goto fail;
  if (quote != NULL && !_sextant_market_cache_insert_quote (self, quote, error))
    goto fail;

  return sextant_market_cache_commit_import (self, error);

fail:
  sextant_market_cache_abort_import (self);
  return FALSE;
}

/**
 * sextant_market_cache_get_bars:
 * @self: a cache
 * @symbol: the symbol
 * @from_day: first day, or 0 for the oldest
 * @to_day: last day, or 0 for the newest
 * @error: return location; %SEXTANT_MARKET_ERROR_NOT_FOUND when no bar is cached in the range
 *
 * Returns: (transfer full): the bars, oldest first
 */
SextantPriceSeries *
sextant_market_cache_get_bars (SextantMarketCache  *self,
                               const char          *symbol,
                               gint32               from_day,
                               gint32               to_day,
                               GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (SextantBarRecord));
  SextantPriceSeries *series;
  const SextantBarRecord *r;
  guint first = 0, end, row = 0;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  /* Only 0 means open-ended: days before 1970 are negative (Stooq's index histories). */
  if (to_day == 0)
    to_day = G_MAXINT32;
  stmt = sextant_store_prepare (self->store,
                                "SELECT bars FROM bar_blocks WHERE symbol = ?1 AND last_day >= ?2 "
                                "AND first_day <= ?3 ORDER BY year", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, from_day != 0 ? from_day : G_MININT32);
  sqlite3_bind_int (stmt, 3, to_day);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gsize size = sqlite3_column_bytes (stmt, 0), n = size / 56, old = records->len;

      g_array_set_size (records, old + n);
      sextant_bar_decode_records (sqlite3_column_blob (stmt, 0), size,
                                  &g_array_index (records, SextantBarRecord, old), n);
    }

  /* Blocks are whole years: trim to the range. */
  r = (const SextantBarRecord *) records->data;
  while (first < records->len && from_day != 0 && r[first].day < from_day)
    first++;
  for (end = first; end < records->len && r[end].day <= to_day; end++)
    ;
  if (end == first)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                   "No cached daily bars for %s in the requested range", symbol);
      return NULL;
    }

  series = sextant_price_series_new (symbol, end - first);
  for (guint i = first; i < end; i++)
    sextant_price_series_set_row (series, row++, r[i].day, r[i].open, r[i].high, r[i].low,
                                  r[i].close, r[i].volume);

  return series;
}

/**
 * sextant_market_cache_get_coverage:
 * @self: a cache
 * @symbol: the symbol
 * @coverage: (out): what is cached
 * @error: return location
 *
 * Returns: %TRUE on success (also when nothing is cached: @coverage->n_bars is then 0)
 */
gboolean
sextant_market_cache_get_coverage (SextantMarketCache  *self,
                                   const char          *symbol,
                                   SextantBarCoverage  *coverage,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  stmt = sextant_store_prepare (self->store,
                                "SELECT total(n_bars), min(first_day), max(last_day), "
                                "max(fetched_at) FROM bar_blocks WHERE symbol = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot read the cache");
      return FALSE;
    }
  coverage->n_bars = sqlite3_column_int64 (stmt, 0);
  coverage->first_day = sqlite3_column_int (stmt, 1);
  coverage->last_day = sqlite3_column_int (stmt, 2);
  coverage->fetched_at = sqlite3_column_int64 (stmt, 3);

  return TRUE;
}

/**
 * sextant_market_cache_dup_bar_provider:
 * @self: a cache
 * @symbol: the symbol
 *
 * Returns: (transfer full) (nullable): the provider of the newest cached bar
 */
char *
sextant_market_cache_dup_bar_provider (SextantMarketCache *self,
                                       const char         *symbol)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantBarBlock) block = NULL;
  const SextantBarRecord *last;

  stmt = sextant_store_prepare (self->store,
                                "SELECT providers, bars FROM bar_blocks WHERE symbol = ? "
                                "ORDER BY year DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  block = sextant_bar_block_new (symbol, 0);
  if (!sextant_bar_block_decode (block, sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                                 (const char *) sqlite3_column_text (stmt, 0)) ||
      block->records->len == 0)
    return NULL;
  last = &g_array_index (block->records, SextantBarRecord, block->records->len - 1);
  if (last->provider < 0 || (guint) last->provider >= block->providers->len)
    return NULL;

  return g_strdup (g_ptr_array_index (block->providers, last->provider));
}

gboolean
_sextant_market_cache_insert_instrument (SextantMarketCache  *self,
                   const char          *symbol,
                   const char          *name,
                   const char          *currency,
                   const char          *source,
                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO instruments (symbol, name, currency, source) "
                                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (symbol) DO UPDATE SET "
                                "name = coalesce (?2, name), currency = coalesce (?3, currency)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_STATIC);

  return sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_market_cache_put_instrument:
 * @self: a cache
 * @symbol: the symbol
 * @name: (nullable): a display name
 * @currency: (nullable): ISO 4217 code
 * @source: (nullable): where it came from
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_market_cache_put_instrument (SextantMarketCache  *self,
                                     const char          *symbol,
                                     const char          *name,
                                     const char          *currency,
                                     const char          *source,
                                     GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if (!_sextant_market_cache_insert_instrument (self, symbol, name, currency, source, error) ||
      !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_market_cache_dup_currency:
 * @self: a cache
 * @symbol: the symbol
 *
 * Returns: (transfer full) (nullable): the instrument's ISO 4217 code, %NULL when unknown
 */
char *
sextant_market_cache_dup_currency (SextantMarketCache *self,
                                   const char         *symbol)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT currency FROM instruments WHERE symbol = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/**
 * sextant_market_cache_list_symbols:
 * @self: a cache
 * @error: return location
 *
 * Returns: (transfer full): the symbols that have cached bars, sorted
 */
char **
sextant_market_cache_list_symbols (SextantMarketCache  *self,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  stmt = sextant_store_prepare (self->store, "SELECT DISTINCT symbol FROM bar_blocks ORDER BY 1",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}
