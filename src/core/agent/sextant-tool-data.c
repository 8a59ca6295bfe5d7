#define G_LOG_DOMAIN "sextant-tool-data"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "agent/sextant-agent-error.h"
#include "analytics/sextant-align.h"
#include "market/sextant-demo-data.h"
#include "agent/sextant-tool-data.h"

/* Where the agent's tools get prices: series added by the program (imports), then the market
 * cache (provider bars and the demo set once sextant_market_cache_ensure_demo() ran), then the
 * bundled demo set in memory. Everything is read-only and offline, so a tool answers the
 * same with or without a network. Tools run on worker threads: the mutex guards the memo table
 * and the cache's shared SQLite connection. */

struct _SextantToolData
{
  GObject             parent_instance;
  GMutex              mutex;
  SextantDemoSet     *demo_set;
  SextantMarketCache *cache;
  GHashTable         *extra;        /* upper-case symbol → Entry */
  GHashTable         *memo;         /* upper-case symbol → Entry, demo columns turned into series */
  GPtrArray          *portfolios;
  SextantPortfolioStore *portfolio_store;
  SextantKbSearcher  *knowledge;
};

typedef struct
{
  SextantPriceSeries *series;
  char               *source;
} Entry;

G_DEFINE_FINAL_TYPE (SextantToolData, sextant_tool_data, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  sextant_price_series_unref (entry->series);
  g_free (entry->source);
  g_free (entry);
}

static Entry *
entry_new (SextantPriceSeries *series,
           const char         *source)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->series = sextant_price_series_ref (series);
  entry->source = g_strdup (source);

  return entry;
}

static void
sextant_tool_data_finalize (GObject *object)
{
  SextantToolData *self = (SextantToolData *)object;

  g_clear_object (&self->demo_set);
  g_clear_object (&self->cache);
  g_hash_table_unref (self->extra);
  g_hash_table_unref (self->memo);
  g_ptr_array_unref (self->portfolios);
  g_clear_object (&self->portfolio_store);
  g_clear_object (&self->knowledge);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sextant_tool_data_parent_class)->finalize (object);
}

static void
sextant_tool_data_class_init (SextantToolDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_tool_data_finalize;
}

static void
sextant_tool_data_init (SextantToolData *self)
{
  g_mutex_init (&self->mutex);
  self->extra = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->portfolios = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * sextant_tool_data_new:
 * @demo_set: (nullable): the bundled demo data (its index, Dow stocks and portfolio are used
 *   once it is loaded)
 * @cache: (nullable): a market cache, read before the demo set
 *
 * Returns: (transfer full): the data source the tools read
 */
SextantToolData *
sextant_tool_data_new (SextantDemoSet     *demo_set,
                       SextantMarketCache *cache)
{
  SextantToolData *self = g_object_new (SEXTANT_TYPE_TOOL_DATA, NULL);

  g_set_object (&self->demo_set, demo_set);
  g_set_object (&self->cache, cache);
  if (demo_set != NULL && sextant_demo_set_get_portfolio (demo_set) != NULL)
    g_ptr_array_add (self->portfolios, g_object_ref (sextant_demo_set_get_portfolio (demo_set)));

  return self;
}

/**
 * sextant_tool_data_add_series:
 * @self: a data source
 * @series: daily bars; they win over the cache and the demo data for their symbol
 * @source: where they came from, for results (`csv`, `import`, …)
 */
void
sextant_tool_data_add_series (SextantToolData    *self,
                              SextantPriceSeries *series,
                              const char         *source)
{
  g_return_if_fail (SEXTANT_IS_TOOL_DATA (self));
  g_return_if_fail (series != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->extra, g_ascii_strup (sextant_price_series_get_symbol (series), -1),
                       entry_new (series, source));
  g_mutex_unlock (&self->mutex);
}

/**
 * sextant_tool_data_add_portfolio:
 * @self: a data source
 * @portfolio: a portfolio the tools may name (`calculate_portfolio_metrics`)
 */
void
sextant_tool_data_add_portfolio (SextantToolData  *self,
                                 SextantPortfolio *portfolio)
{
  g_return_if_fail (SEXTANT_IS_TOOL_DATA (self));
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (portfolio));

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->portfolios, g_object_ref (portfolio));
  g_mutex_unlock (&self->mutex);
}

/**
 * sextant_tool_data_set_portfolio_store:
 * @self: a data source
 * @store: (nullable): saved portfolios, looked up before the ones added in memory (a stored
 *   portfolio wins over a bundled one of the same name)
 */
void
sextant_tool_data_set_portfolio_store (SextantToolData       *self,
                                       SextantPortfolioStore *store)
{
  g_return_if_fail (SEXTANT_IS_TOOL_DATA (self));

  g_mutex_lock (&self->mutex);
  g_set_object (&self->portfolio_store, store);
  g_mutex_unlock (&self->mutex);
}

/**
 * sextant_tool_data_set_knowledge:
 * @self: a data source
 * @searcher: (nullable): the knowledge base the `search_knowledge_base` tool searches
 *
 * Set before the registry is made (sextant_tool_registry_new_default()), so the tool is offered.
 */
void
sextant_tool_data_set_knowledge (SextantToolData   *self,
                                 SextantKbSearcher *searcher)
{
  g_return_if_fail (SEXTANT_IS_TOOL_DATA (self));

  g_mutex_lock (&self->mutex);
  g_set_object (&self->knowledge, searcher);
  g_mutex_unlock (&self->mutex);
}

/**
 * sextant_tool_data_dup_knowledge:
 *
 * Returns: (transfer full) (nullable): the knowledge base's searcher
 */
SextantKbSearcher *
sextant_tool_data_dup_knowledge (SextantToolData *self)
{
  SextantKbSearcher *searcher;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  g_mutex_lock (&self->mutex);
  searcher = self->knowledge != NULL ? g_object_ref (self->knowledge) : NULL;
  g_mutex_unlock (&self->mutex);

  return searcher;
}

/* A demo column as a series of closes; open, high, low and volume are unknown (NaN), so tools
 * that need them say so instead of inventing them. */
static SextantPriceSeries *
series_from_column (SextantPriceTable *table,
                    gsize              column)
{
  const double *close = sextant_price_table_get_column (table, column);
  const gint32 *days = sextant_price_table_get_days (table);
  gsize n = 0, row = 0;
  SextantPriceSeries *series;

  for (gsize r = 0; r < sextant_price_table_get_n_rows (table); r++)
    n += isfinite (close[r]);
  series = sextant_price_series_new (sextant_price_table_get_column_name (table, column), n);
  for (gsize r = 0; r < sextant_price_table_get_n_rows (table); r++)
    if (isfinite (close[r]))
      sextant_price_series_set_row (series, row++, days[r], NAN, NAN, NAN, close[r], NAN);

  return series;
}

static Entry *
lookup_demo_set (SextantToolData *self,
                  const char      *key)
{
  SextantPriceTable *stocks;
  SextantPriceSeries *index;
  Entry *entry;

  if (self->demo_set == NULL || !sextant_demo_set_get_loaded (self->demo_set))
    return NULL;
  if ((entry = g_hash_table_lookup (self->memo, key)) != NULL)
    return entry;

  index = sextant_demo_set_get_index (self->demo_set);
  stocks = sextant_demo_set_get_stocks (self->demo_set);
  if (index != NULL && g_ascii_strcasecmp (sextant_price_series_get_symbol (index), key) == 0)
    entry = entry_new (index, "demo");
  for (gsize c = 0; entry == NULL && stocks != NULL && c < sextant_price_table_get_n_columns (stocks); c++)
    if (g_ascii_strcasecmp (sextant_price_table_get_column_name (stocks, c), key) == 0)
      {
        g_autoptr(SextantPriceSeries) series = series_from_column (stocks, c);

        entry = entry_new (series, "demo");
      }
  if (entry != NULL)
    g_hash_table_insert (self->memo, g_strdup (key), entry);

  return entry;
}

/**
 * sextant_tool_data_get_series:
 * @self: a data source
 * @symbol: a symbol, any case
 * @source: (out) (optional) (transfer full): where the bars came from (`demo`, a provider id, …)
 * @error: %SEXTANT_AGENT_ERROR_UNKNOWN_SYMBOL naming the symbols that are available
 *
 * Returns: (transfer full): the symbol's daily bars, oldest first
 */
SextantPriceSeries *
sextant_tool_data_get_series (SextantToolData  *self,
                              const char       *symbol,
                              char            **source,
                              GError          **error)
{
  g_autofree char *key = NULL;
  g_autofree char *available = NULL;
  SextantPriceSeries *series = NULL;
  Entry *entry;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);
  g_return_val_if_fail (symbol != NULL, NULL);

  key = g_ascii_strup (symbol, -1);
  g_mutex_lock (&self->mutex);
  if ((entry = g_hash_table_lookup (self->extra, key)) != NULL)
    {
      series = sextant_price_series_ref (entry->series);
      if (source != NULL)
        *source = g_strdup (entry->source);
    }
  if (series == NULL && self->cache != NULL &&
      (series = sextant_market_cache_get_bars (self->cache, key, 0, 0, NULL)) != NULL && source != NULL)
    *source = sextant_market_cache_dup_bar_provider (self->cache, key);
  if (series == NULL && (entry = lookup_demo_set (self, key)) != NULL)
    {
      series = sextant_price_series_ref (entry->series);
      if (source != NULL)
        *source = g_strdup (entry->source);
    }
  g_mutex_unlock (&self->mutex);
  if (series != NULL)
    return series;

  available = sextant_tool_data_describe_symbols (self);
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_UNKNOWN_SYMBOL,
               /* Translators: an instrument, then the instruments there are */
               _("No price data for %s. Available: %s. Import a CSV of its prices or add a market "
                 "data provider key to fetch it"), key, available);

  return NULL;
}

/**
 * sextant_tool_data_has_symbol:
 * @self: a data source
 * @symbol: an upper-case symbol
 *
 * Returns: whether prices of @symbol are available
 */
gboolean
sextant_tool_data_has_symbol (SextantToolData *self,
                              const char      *symbol)
{
  g_auto(GStrv) symbols = sextant_tool_data_list_symbols (self);

  return g_strv_contains ((const char * const *) symbols, symbol);
}

/**
 * sextant_tool_data_get_closes:
 * @self: a data source
 * @symbols: (array zero-terminated=1): at least one symbol
 * @error: return location
 *
 * Returns: (transfer full): the closes of @symbols on the days they all share (inner join),
 *   rows with a missing close dropped
 */
SextantPriceTable *
sextant_tool_data_get_closes (SextantToolData     *self,
                              const char * const  *symbols,
                              GError             **error)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  g_autoptr(SextantPriceTable) joined = NULL;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  for (guint i = 0; symbols != NULL && symbols[i] != NULL; i++)
    {
      SextantPriceSeries *s = sextant_tool_data_get_series (self, symbols[i], NULL, error);

      if (s == NULL)
        return NULL;
      g_ptr_array_add (series, s);
    }
  if (!(joined = sextant_align_series ((SextantPriceSeries * const *) series->pdata, series->len, error)))
    return NULL;

  return sextant_align_handle_gaps (joined, SEXTANT_GAP_DROP, NULL, error);
}

static void
add_unique (GPtrArray  *names,
            const char *name)
{
  g_autofree char *up = g_ascii_strup (name, -1);

  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], up))
      return;
  g_ptr_array_add (names, g_steal_pointer (&up));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sextant_tool_data_list_symbols:
 *
 * Returns: (transfer full): every symbol with prices, upper case, sorted
 */
char **
sextant_tool_data_list_symbols (SextantToolData *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->extra);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    add_unique (names, key);
  if (self->cache != NULL)
    {
      g_auto(GStrv) cached = sextant_market_cache_list_symbols (self->cache, NULL);

      for (guint i = 0; cached != NULL && cached[i] != NULL; i++)
        add_unique (names, cached[i]);
    }
  if (self->demo_set != NULL && sextant_demo_set_get_loaded (self->demo_set))
    {
      SextantPriceTable *stocks = sextant_demo_set_get_stocks (self->demo_set);

      add_unique (names, sextant_price_series_get_symbol (sextant_demo_set_get_index (self->demo_set)));
      for (gsize c = 0; c < sextant_price_table_get_n_columns (stocks); c++)
        add_unique (names, sextant_price_table_get_column_name (stocks, c));
    }
  g_mutex_unlock (&self->mutex);
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * sextant_tool_data_describe_symbols:
 *
 * Returns: (transfer full): the available symbols as one comma-separated line
 */
char *
sextant_tool_data_describe_symbols (SextantToolData *self)
{
  g_auto(GStrv) symbols = sextant_tool_data_list_symbols (self);

  if (symbols[0] == NULL)
    return g_strdup ("none (no data is loaded)");

  return g_strjoinv (", ", symbols);
}

/**
 * sextant_tool_data_get_cache:
 *
 * Returns: (transfer none) (nullable): the market cache the tools read, if any
 */
SextantMarketCache *
sextant_tool_data_get_cache (SextantToolData *self)
{
  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  return self->cache;
}

/**
 * sextant_tool_data_find_portfolio:
 * @self: a data source
 * @name: (nullable): a portfolio name (case-insensitive, a unique prefix will do); %NULL for
 *   the first one (the demo portfolio)
 * @error: %SEXTANT_AGENT_ERROR_NOT_FOUND naming the portfolios there are
 *
 * Returns: (transfer full): the portfolio
 */
SextantPortfolio *
sextant_tool_data_find_portfolio (SextantToolData  *self,
                                  const char       *name,
                                  GError          **error)
{
  SextantPortfolio *found = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *wanted = NULL;
  const char *match = NULL;
  guint n_prefix = 0;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  /* One matching rule for bundled and saved portfolios alike: the model and the offline
   * parser rarely get a name's case right. */
  names = sextant_tool_data_list_portfolios (self);
  wanted = name != NULL ? g_utf8_casefold (name, -1) : NULL;
  for (guint i = 0; names[i] != NULL && match == NULL; i++)
    {
      g_autofree char *candidate = g_utf8_casefold (names[i], -1);

      if (wanted == NULL || g_str_equal (candidate, wanted))
        match = names[i];
    }
  for (guint i = 0; match == NULL && wanted != NULL && names[i] != NULL; i++)
    {
      g_autofree char *candidate = g_utf8_casefold (names[i], -1);

      if (g_str_has_prefix (candidate, wanted) && ++n_prefix == 1)
        match = names[i];
    }
  if (n_prefix > 1)
    match = NULL;

  /* The stored portfolio wins over a bundled one of the same name: the user may have edited
   * the seeded demo portfolio, and the assistant must analyse what the windows show. */
  g_mutex_lock (&self->mutex);
  if (match != NULL && self->portfolio_store != NULL)
    found = sextant_portfolio_store_load (self->portfolio_store, match, NULL);
  for (guint i = 0; match != NULL && found == NULL && i < self->portfolios->len; i++)
    {
      if (g_str_equal (sextant_portfolio_get_name (self->portfolios->pdata[i]), match))
        found = g_object_ref (self->portfolios->pdata[i]);
    }
  g_mutex_unlock (&self->mutex);

  if (found == NULL)
    {
      g_autofree char *list = g_strjoinv ("”, “", names);

      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NOT_FOUND,
                   /* Translators: a name, then the portfolios there are */
                   ngettext ("No portfolio named “%s”; there is: “%s”",
                             "No portfolio named “%s”; there are: “%s”", g_strv_length (names)),
                   name != NULL ? name : "", list);
    }

  return found;
}

/**
 * sextant_tool_data_list_portfolios:
 *
 * Returns: (transfer full): the names of the portfolios the tools know
 */
char **
sextant_tool_data_list_portfolios (SextantToolData *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) saved = NULL;

  g_return_val_if_fail (SEXTANT_IS_TOOL_DATA (self), NULL);

  g_mutex_lock (&self->mutex);
  if (self->portfolio_store != NULL)
    saved = sextant_portfolio_store_list_names (self->portfolio_store, NULL);
  /* Read at every call, never kept: a portfolio created in another window or by the CLI is
   * known to the next tool call. Each name once. */
  for (guint i = 0; i < self->portfolios->len; i++)
    {
      const char *name = sextant_portfolio_get_name (self->portfolios->pdata[i]);

      if (saved == NULL || !g_strv_contains ((const char * const *) saved, name))
        g_strv_builder_add (builder, name);
    }
  for (guint i = 0; saved != NULL && saved[i] != NULL; i++)
    g_strv_builder_add (builder, saved[i]);
  g_mutex_unlock (&self->mutex);

  return g_strv_builder_end (builder);
}
