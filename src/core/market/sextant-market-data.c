#define G_LOG_DOMAIN "sextant-market-data"

#include "config.h"

#include <math.h>

#include "market/sextant-market-data.h"
#include "market/sextant-market-error.h"

/* Bars fetched this recently answer an open-ended request ("up to today") without a new call. */
#define DAILY_MAX_AGE (12 * 3600)

struct _SextantMarketData
{
  GObject              parent_instance;
  SextantMarketCache  *cache;
  SextantMarketRouter *router;
  gint64               quote_max_age;
  gint64               stale_after;
  gint64               now;
};

G_DEFINE_FINAL_TYPE (SextantMarketData, sextant_market_data, G_TYPE_OBJECT)

typedef struct
{
  char   *symbol;
  gint32  from_day;
  gint32  to_day;
  GError *fetch_error;
} Request;

static void
request_free (Request *request)
{
  g_free (request->symbol);
  g_clear_error (&request->fetch_error);
  g_free (request);
}

static void
sextant_market_data_finalize (GObject *object)
{
  SextantMarketData *self = SEXTANT_MARKET_DATA (object);

  g_clear_object (&self->cache);
  g_clear_object (&self->router);

  G_OBJECT_CLASS (sextant_market_data_parent_class)->finalize (object);
}

static void
sextant_market_data_class_init (SextantMarketDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_market_data_finalize;
}

static void
sextant_market_data_init (SextantMarketData *self)
{
  self->quote_max_age = 60;
  self->stale_after = 24 * 3600;
}

/* The data lake knows every request of the last day: counting them into the rate limiters
 * makes a daily allowance (25 at Alpha Vantage) hold across runs of the command line. */
static void
restore_usage (SextantMarketData *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < sextant_market_router_get_n_providers (self->router); i++)
    {
      const char *id = sextant_market_provider_get_id (sextant_market_router_get_provider (self->router, i));
      SextantRateLimiter *limiter = sextant_market_router_get_limiter (self->router, id);
      g_autoptr(GArray) times = NULL;

      if (limiter == NULL ||
          (times = sextant_market_cache_list_fetch_times (self->cache, id, now - 86400, NULL)) == NULL)
        continue;
      for (guint t = 0; t < times->len; t++)
        sextant_rate_limiter_note_past_request (limiter, (now - g_array_index (times, gint64, t)) *
                                                         G_USEC_PER_SEC);
    }
}

/**
 * sextant_market_data_new:
 * @cache: the cache and data lake
 * @router: (nullable): the providers, in the user's order; %NULL to work offline
 *
 * The front door for prices: cache first, then the providers, and every fetch stored (raw
 * responses included) before it is returned. When every provider fails, what the cache holds
 * is returned, flagged stale, and the providers' failure is reported separately so the caller
 * can say why the data is old.
 *
 * Returns: (transfer full): a new market data service
 */
SextantMarketData *
sextant_market_data_new (SextantMarketCache  *cache,
                         SextantMarketRouter *router)
{
  SextantMarketData *self;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), NULL);

  self = g_object_new (SEXTANT_TYPE_MARKET_DATA, NULL);
  self->cache = g_object_ref (cache);
  self->router = router != NULL ? g_object_ref (router) : sextant_market_router_new ();
  restore_usage (self);

  return self;
}

/**
 * sextant_market_data_set_quote_max_age:
 * @self: a service
 * @seconds: how long a fetched quote is reused without asking a provider again
 */
void
sextant_market_data_set_quote_max_age (SextantMarketData *self,
                                       gint64             seconds)
{
  g_return_if_fail (SEXTANT_IS_MARKET_DATA (self));

  self->quote_max_age = seconds;
}

/**
 * sextant_market_data_set_stale_after:
 * @self: a service
 * @seconds: a quote whose "as of" time is older than this is flagged stale (default one day)
 */
void
sextant_market_data_set_stale_after (SextantMarketData *self,
                                     gint64             seconds)
{
  g_return_if_fail (SEXTANT_IS_MARKET_DATA (self));

  self->stale_after = seconds;
}

/**
 * sextant_market_data_set_now:
 * @self: a service
 * @unix_seconds: a fixed "now" for tests, or 0 for the real clock
 */
void
sextant_market_data_set_now (SextantMarketData *self,
                             gint64             unix_seconds)
{
  g_return_if_fail (SEXTANT_IS_MARKET_DATA (self));

  self->now = unix_seconds;
}

static gint64
get_now (SextantMarketData *self)
{
  return self->now > 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
}

/* The last weekday on or before @day (1970-01-01, day 0, was a Thursday). */
static gint32
last_weekday (gint32 day)
{
  int weekday = ((day % 7) + 7 + 3) % 7;   /* 0 = Monday … 6 = Sunday */

  if (weekday == 5)
    return day - 1;
  if (weekday == 6)
    return day - 2;

  return day;
}

/**
 * sextant_market_data_range_is_cached:
 * @self: a service
 * @symbol: the symbol
 * @from_day: first day or 0
 * @to_day: last day or 0 for "up to today"
 *
 * The cache answers when it holds bars from @from_day (or earlier) up to the last weekday on or
 * before @to_day, or when a provider was asked for this range (or gives all it has whatever the
 * range) in the last 12 hours: asking again would only spend a scarce free quota on the same
 * answer. Holidays make this conservative: a request ending on one costs a call.
 *
 * Returns: %TRUE if no network call is needed
 */
gboolean
sextant_market_data_range_is_cached (SextantMarketData *self,
                                     const char        *symbol,
                                     gint32             from_day,
                                     gint32             to_day)
{
  SextantBarCoverage coverage = { 0, };
  gint64 now = get_now (self);
  gint32 end = to_day > 0 ? to_day : (gint32) (now / 86400);

  if (!sextant_market_cache_get_coverage (self->cache, symbol, &coverage, NULL) ||
      coverage.n_bars == 0)
    return FALSE;
  if ((from_day <= 0 || coverage.first_day <= from_day) && coverage.last_day >= last_weekday (end))
    return TRUE;

  return sextant_market_cache_was_fetched_since (self->cache, symbol, from_day, to_day,
                                                 now - DAILY_MAX_AGE);
}

/* A quote made from the newest cached bar with a close, for when no provider answers (offline,
 * demo set). A newest bar without a close (a holiday row, a session not yet closed) is passed
 * over: the quote is the last real close, dated by its own bar. */
static SextantQuote *
quote_from_bars (SextantMarketData *self,
                 const char        *symbol)
{
  g_autoptr(SextantPriceSeries) bars = sextant_market_cache_get_bars (self->cache, symbol, 0, 0,
                                                                      NULL);
  g_autofree char *provider = NULL;
  SextantQuote *quote;
  const double *close;
  gssize last = -1, previous = -1;

  if (bars == NULL)
    return NULL;
  close = sextant_price_series_get_close (bars);
  for (gssize i = (gssize) sextant_price_series_get_length (bars) - 1; i >= 0 && previous < 0; i--)
    if (isfinite (close[i]) && close[i] > 0)
      {
        if (last < 0)
          last = i;
        else
          previous = i;
      }
  if (last < 0)
    return NULL;
  provider = sextant_market_cache_dup_bar_provider (self->cache, symbol);
  quote = sextant_quote_new (symbol, provider);
  quote->price = close[last];
  quote->open = sextant_price_series_get_open (bars)[last];
  quote->high = sextant_price_series_get_high (bars)[last];
  quote->low = sextant_price_series_get_low (bars)[last];
  quote->volume = sextant_price_series_get_volume (bars)[last];
  if (previous >= 0)
    {
      quote->previous_close = close[previous];
      quote->change = close[last] - close[previous];
      quote->change_percent = 100.0 * quote->change / close[previous];
    }
  quote->as_of = (gint64) sextant_price_series_get_days (bars)[last] * 86400;

  return quote;
}

static SextantQuote *
offline_quote (SextantMarketData  *self,
               const char         *symbol)
{
  SextantQuote *cached = sextant_market_cache_get_quote (self->cache, symbol, NULL);
  SextantQuote *from_bars = quote_from_bars (self, symbol);

  /* Whichever is newer: a CSV import may be fresher than the last fetched quote. */
  if (cached != NULL && (from_bars == NULL || cached->as_of >= from_bars->as_of))
    {
      sextant_quote_free (from_bars);
      return cached;
    }
  sextant_quote_free (cached);

  return from_bars;
}

/* Offline with an empty cache: say both that nothing is cached and why no provider answered,
 * keeping the providers' code when it is more telling than "not found" (a refused key, say). */
static GError *
nothing_cached (const char   *symbol,
                const GError *fetch_error)
{
  int code = fetch_error->domain == SEXTANT_MARKET_ERROR &&
             fetch_error->code != SEXTANT_MARKET_ERROR_NO_PROVIDER ? fetch_error->code
                                                                  : SEXTANT_MARKET_ERROR_NOT_FOUND;

  return g_error_new (SEXTANT_MARKET_ERROR, code, "No cached data for %s; %s", symbol,
                      fetch_error->message);
}

static void
quote_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantMarketData *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  SextantQuote *quote;

  quote = sextant_market_router_fetch_quote_finish (SEXTANT_MARKET_ROUTER (object), result,
                                                    &responses, &error);
  /* Keep what came back, failures too, before anything else can go wrong. */
  if (!sextant_market_cache_store_fetch (self->cache, responses, NULL, quote,
                                         quote != NULL ? quote->provider : NULL, &store_error))
    g_warning ("Could not store the fetched quote: %s", store_error->message);
  if (quote == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if ((quote = offline_quote (self, request->symbol)) == NULL)
        {
          g_task_return_error (task, nothing_cached (request->symbol, error));
          return;
        }
      request->fetch_error = g_steal_pointer (&error);
    }

  sextant_quote_update_stale (quote, get_now (self), self->stale_after);
  g_task_return_pointer (task, quote, (GDestroyNotify) sextant_quote_free);
}

/**
 * sextant_market_data_get_quote_async:
 * @self: a service
 * @symbol: the symbol
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_data_get_quote_async (SextantMarketData   *self,
                                     const char          *symbol,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SextantQuote) cached = NULL;
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (SEXTANT_IS_MARKET_DATA (self));

  request->symbol = g_strdup (symbol);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_market_data_get_quote_async);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  cached = sextant_market_cache_get_quote (self->cache, symbol, NULL);
  if (cached != NULL && get_now (self) - cached->fetched_at < self->quote_max_age)
    {
      sextant_quote_update_stale (cached, get_now (self), self->stale_after);
      g_task_return_pointer (task, g_steal_pointer (&cached), (GDestroyNotify) sextant_quote_free);
      return;
    }

  sextant_market_router_fetch_quote_async (self->router, symbol, cancellable, quote_cb,
                                           g_steal_pointer (&task));
}

/**
 * sextant_market_data_get_quote_finish:
 * @self: a service
 * @result: the result
 * @fetch_error: (out) (optional) (transfer full): why the providers failed when the quote came
 *   from the cache instead
 * @error: return location
 *
 * Returns: (transfer full): the quote, its stale flag set
 */
SextantQuote *
sextant_market_data_get_quote_finish (SextantMarketData  *self,
                                      GAsyncResult       *result,
                                      GError            **fetch_error,
                                      GError            **error)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (fetch_error != NULL && request->fetch_error != NULL)
    *fetch_error = g_error_copy (request->fetch_error);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
daily_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantMarketData *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(SextantPriceSeries) fetched = NULL;
  g_autofree char *provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  SextantPriceSeries *series;

  fetched = sextant_market_router_fetch_daily_finish (SEXTANT_MARKET_ROUTER (object), result,
                                                      &responses, &provider, &error);
  /* Fetched bars that cannot be stored are an error (the caller reads them back from the
   * cache); failing to keep only the raw answer of a failed fetch is not. */
  if (!sextant_market_cache_store_fetch (self->cache, responses, fetched, NULL, provider,
                                         &store_error))
    {
      if (fetched != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&store_error));
          return;
        }
      g_warning ("Could not keep the raw responses for %s: %s", request->symbol,
                 store_error->message);
    }
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      request->fetch_error = g_steal_pointer (&error);
    }

  /* Read back from the cache, so fetched and previously cached bars come out merged. */
  series = sextant_market_cache_get_bars (self->cache, request->symbol, request->from_day,
                                          request->to_day, &error);
  if (series == NULL)
    {
      g_task_return_error (task, request->fetch_error != NULL
                                 ? nothing_cached (request->symbol, request->fetch_error)
                                 : g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, series, (GDestroyNotify) sextant_price_series_unref);
}

/**
 * sextant_market_data_get_daily_async:
 * @self: a service
 * @symbol: the symbol
 * @from_day: first day or 0
 * @to_day: last day or 0 for "up to today"
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_data_get_daily_async (SextantMarketData   *self,
                                     const char          *symbol,
                                     gint32               from_day,
                                     gint32               to_day,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (SEXTANT_IS_MARKET_DATA (self));

  request->symbol = g_strdup (symbol);
  request->from_day = from_day;
  request->to_day = to_day;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_market_data_get_daily_async);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (sextant_market_data_range_is_cached (self, symbol, from_day, to_day))
    {
      GError *error = NULL;
      SextantPriceSeries *series = sextant_market_cache_get_bars (self->cache, symbol, from_day,
                                                                  to_day, &error);

      if (series != NULL)
        g_task_return_pointer (task, series, (GDestroyNotify) sextant_price_series_unref);
      else
        g_task_return_error (task, error);
      return;
    }

  sextant_market_router_fetch_daily_async (self->router, symbol, from_day, to_day, cancellable,
                                           daily_cb, g_steal_pointer (&task));
}

/**
 * sextant_market_data_get_daily_finish:
 * @self: a service
 * @result: the result
 * @fetch_error: (out) (optional) (transfer full): why the providers failed when the bars came
 *   from the cache only
 * @error: return location
 *
 * Returns: (transfer full): the bars in the range, oldest first
 */
SextantPriceSeries *
sextant_market_data_get_daily_finish (SextantMarketData  *self,
                                      GAsyncResult       *result,
                                      GError            **fetch_error,
                                      GError            **error)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (fetch_error != NULL && request->fetch_error != NULL)
    *fetch_error = g_error_copy (request->fetch_error);

  return g_task_propagate_pointer (G_TASK (result), error);
}
