#define G_LOG_DOMAIN "sextant-market-router"

#include "config.h"

#include <string.h>

#include "market/sextant-alpha-vantage-provider.h"
#include "market/sextant-finnhub-provider.h"
#include "market/sextant-market-error.h"
#include "market/sextant-market-router.h"
#include "market/sextant-stooq-provider.h"
#include "market/sextant-yahoo-provider.h"

/* How long a provider is skipped after it said "limit reached" itself. */
#define PAUSE_AFTER_LIMIT_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

struct _SextantMarketRouter
{
  GObject     parent_instance;
  GPtrArray  *providers;
  GHashTable *limiters;
  SextantClockFunc clock;
  gpointer    clock_data;
};

G_DEFINE_FINAL_TYPE (SextantMarketRouter, sextant_market_router, G_TYPE_OBJECT)

typedef struct
{
  char      *symbol;
  gint32     from_day;
  gint32     to_day;
  gboolean   daily;
  guint      index;
  GPtrArray *failures;    /* GError* */
  GPtrArray *responses;   /* SextantMarketResponse* */
  char      *provider_id;
} RouteData;

static void
route_data_free (RouteData *data)
{
  g_free (data->symbol);
  g_ptr_array_unref (data->failures);
  g_ptr_array_unref (data->responses);
  g_free (data->provider_id);
  g_free (data);
}

static void
sextant_market_router_finalize (GObject *object)
{
  SextantMarketRouter *self = SEXTANT_MARKET_ROUTER (object);

  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_pointer (&self->limiters, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_market_router_parent_class)->finalize (object);
}

static void
sextant_market_router_class_init (SextantMarketRouterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_market_router_finalize;
}

static void
sextant_market_router_init (SextantMarketRouter *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->limiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * sextant_market_router_new:
 *
 * A user-ordered list of providers. Each request goes to the first provider that has a key and
 * a free slot in its rate limiter; on a rate limit, network failure, missing entitlement or
 * refused key it falls back to the next. An unknown symbol stops the search: asking every
 * provider about a typo would burn the scarce free quota (25 a day at Alpha Vantage).
 *
 * Returns: (transfer full): an empty router
 */
SextantMarketRouter *
sextant_market_router_new (void)
{
  return g_object_new (SEXTANT_TYPE_MARKET_ROUTER, NULL);
}

/**
 * sextant_market_router_add_provider:
 * @self: a router
 * @provider: the next provider in the user's order; it gets its plan's rate limiter
 */
void
sextant_market_router_add_provider (SextantMarketRouter   *self,
                                    SextantMarketProvider *provider)
{
  const char *id;

  g_return_if_fail (SEXTANT_IS_MARKET_ROUTER (self));
  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (provider));

  g_ptr_array_add (self->providers, g_object_ref (provider));
  id = sextant_market_provider_get_id (provider);
  if (!g_hash_table_contains (self->limiters, id))
    {
      SextantRateLimiter *limiter = sextant_rate_limiter_new_for_provider (id);

      if (self->clock != NULL)
        sextant_rate_limiter_set_clock (limiter, self->clock, self->clock_data);
      g_hash_table_insert (self->limiters, g_strdup (id), limiter);
    }
}

guint
sextant_market_router_get_n_providers (SextantMarketRouter *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_ROUTER (self), 0);

  return self->providers->len;
}

/**
 * sextant_market_router_get_provider:
 * @self: a router
 * @index: position in the order
 *
 * Returns: (transfer none): the provider
 */
SextantMarketProvider *
sextant_market_router_get_provider (SextantMarketRouter *self,
                                    guint                index)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_ROUTER (self), NULL);
  g_return_val_if_fail (index < self->providers->len, NULL);

  return g_ptr_array_index (self->providers, index);
}

/**
 * sextant_market_router_get_limiter:
 * @self: a router
 * @provider_id: a provider id
 *
 * Returns: (transfer none) (nullable): the limiter shared by that provider's requests
 */
SextantRateLimiter *
sextant_market_router_get_limiter (SextantMarketRouter *self,
                                   const char          *provider_id)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_ROUTER (self), NULL);

  return g_hash_table_lookup (self->limiters, provider_id);
}

/**
 * sextant_market_router_set_clock:
 * @self: a router
 * @clock: (nullable): the clock for every limiter, or %NULL for the monotonic clock
 * @user_data: data for @clock
 */
void
sextant_market_router_set_clock (SextantMarketRouter *self,
                                 SextantClockFunc     clock,
                                 gpointer             user_data)
{
  GHashTableIter iter;
  gpointer limiter;

  g_return_if_fail (SEXTANT_IS_MARKET_ROUTER (self));

  self->clock = clock;
  self->clock_data = user_data;
  g_hash_table_iter_init (&iter, self->limiters);
  while (g_hash_table_iter_next (&iter, NULL, &limiter))
    sextant_rate_limiter_set_clock (limiter, clock, user_data);
}

/**
 * sextant_market_provider_new_for_id:
 * @provider_id: `alphavantage`, `finnhub`, `stooq` or `yahoo`
 *
 * Returns: (transfer full) (nullable): a new provider, or %NULL for an unknown id
 */
SextantMarketProvider *
sextant_market_provider_new_for_id (const char *provider_id)
{
  if (g_strcmp0 (provider_id, "alphavantage") == 0)
    return sextant_alpha_vantage_provider_new ();
  if (g_strcmp0 (provider_id, "finnhub") == 0)
    return sextant_finnhub_provider_new ();
  if (g_strcmp0 (provider_id, "stooq") == 0)
    return sextant_stooq_provider_new ();
  if (g_strcmp0 (provider_id, "yahoo") == 0)
    return sextant_yahoo_provider_new ();

  return NULL;
}

static gboolean
should_fall_back (const GError *error)
{
  if (error->domain != SEXTANT_MARKET_ERROR)
    return FALSE;

  return error->code != SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL;
}

/* One message listing every provider's reason; the code is theirs when they agree, so that a
 * caller can still tell "everyone is rate limited" from a mix. */
static GError *
combine_failures (RouteData *data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int code = -1;
  gboolean all_skipped = TRUE;

  if (data->failures->len == 0)
    return g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER,
                        "No market data provider is configured for %s", data->symbol);
  for (guint i = 0; i < data->failures->len; i++)
    {
      GError *failure = g_ptr_array_index (data->failures, i);

      g_string_append_printf (text, "%s%s", i > 0 ? "; " : "", failure->message);
      code = code == -1 || code == failure->code ? failure->code : SEXTANT_MARKET_ERROR_ALL_FAILED;
      all_skipped = all_skipped && failure->code == SEXTANT_MARKET_ERROR_NO_PROVIDER;
    }

  return g_error_new (SEXTANT_MARKET_ERROR, code,
                      "%s for %s: %s", all_skipped ? "No provider has an API key"
                                                   : "No provider could answer", data->symbol,
                      text->str);
}

static void try_next (GTask *task);

static void
note_failure (SextantMarketRouter         *self,
              RouteData                   *data,
              SextantMarketProvider       *provider,
              const SextantMarketResponse *response,
              GError                      *error)
{
  SextantRateLimiter *limiter = g_hash_table_lookup (self->limiters,
                                                     sextant_market_provider_get_id (provider));

  /* A provider that says its daily allowance is spent is left alone for an hour, not a minute;
   * one that names its wait (Retry-After) at least for that long. */
  if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED))
    {
      gint64 pause = strstr (error->message, "per day") != NULL ? 60 * PAUSE_AFTER_LIMIT_US
                                                               : PAUSE_AFTER_LIMIT_US;

      if (response != NULL && response->retry_after > 0)
        pause = MAX (pause, (gint64) response->retry_after * G_USEC_PER_SEC);
      sextant_rate_limiter_pause (limiter, pause);
    }
  g_ptr_array_add (data->failures, error);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantMarketProvider *provider = SEXTANT_MARKET_PROVIDER (object);
  RouteData *data = g_task_get_task_data (task);
  SextantMarketResponse *response = NULL;
  GError *error = NULL;
  gpointer value;

  if (data->daily)
    value = sextant_market_provider_fetch_daily_finish (provider, result, &response, &error);
  else
    value = sextant_market_provider_fetch_quote_finish (provider, result, &response, &error);
  if (response != NULL)
    g_ptr_array_add (data->responses, response);

  if (value != NULL)
    {
      data->provider_id = g_strdup (sextant_market_provider_get_id (provider));
      g_task_return_pointer (task, value, data->daily ? (GDestroyNotify) sextant_price_series_unref
                                                      : (GDestroyNotify) sextant_quote_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !should_fall_back (error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("falling back after: %s", error->message);
  note_failure (g_task_get_source_object (task), data, provider, response, error);
  data->index++;
  try_next (task);
}

static gboolean
provider_available (SextantMarketRouter   *self,
                    RouteData             *data,
                    SextantMarketProvider *provider)
{
  SextantRateLimiter *limiter = g_hash_table_lookup (self->limiters,
                                                     sextant_market_provider_get_id (provider));
  const char *name = sextant_market_provider_get_name (provider);
  gint64 wait_us = 0;

  if (!sextant_market_provider_has_key (provider))
    {
      g_ptr_array_add (data->failures,
                       g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER,
                                    "%s: skipped, no API key", name));
      return FALSE;
    }
  if (!sextant_rate_limiter_try_acquire (limiter, &wait_us))
    {
      g_autofree char *limits = sextant_rate_limiter_describe (limiter);

      g_ptr_array_add (data->failures,
                       g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                                    "%s: rate limit of the free plan reached (%s); next request "
                                    "possible in %" G_GINT64_FORMAT " s", name, limits,
                                    (wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
      return FALSE;
    }

  return TRUE;
}

static void
try_next (GTask *task)
{
  SextantMarketRouter *self = g_task_get_source_object (task);
  RouteData *data = g_task_get_task_data (task);

  for (; data->index < self->providers->len; data->index++)
    {
      SextantMarketProvider *provider = g_ptr_array_index (self->providers, data->index);

      if (!provider_available (self, data, provider))
        continue;
      if (data->daily)
        sextant_market_provider_fetch_daily_async (provider, data->symbol, data->from_day,
                                                   data->to_day, g_task_get_cancellable (task),
                                                   fetch_cb, g_object_ref (task));
      else
        sextant_market_provider_fetch_quote_async (provider, data->symbol,
                                                   g_task_get_cancellable (task), fetch_cb,
                                                   g_object_ref (task));
      return;
    }

  g_task_return_error (task, combine_failures (data));
}

static void
start (SextantMarketRouter *self,
       RouteData           *data,
       gpointer             tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  data->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  data->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_market_response_free);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, data, (GDestroyNotify) route_data_free);
  try_next (task);
}

/**
 * sextant_market_router_fetch_quote_async:
 * @self: a router
 * @symbol: the symbol
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_router_fetch_quote_async (SextantMarketRouter *self,
                                         const char          *symbol,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  RouteData *data = g_new0 (RouteData, 1);

  g_return_if_fail (SEXTANT_IS_MARKET_ROUTER (self));

  data->symbol = g_strdup (symbol);
  start (self, data, sextant_market_router_fetch_quote_async, cancellable, callback, user_data);
}

static gpointer
finish (SextantMarketRouter  *self,
        GAsyncResult         *result,
        GPtrArray           **responses,
        char                **provider_id,
        GError              **error)
{
  RouteData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (responses != NULL)
    *responses = g_ptr_array_ref (data->responses);
  if (provider_id != NULL)
    *provider_id = g_strdup (data->provider_id);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sextant_market_router_fetch_quote_finish:
 * @self: a router
 * @result: the result
 * @responses: (out) (optional) (transfer container): every raw response received, failed or not
 * @error: return location; lists every provider's failure when all failed
 *
 * Returns: (transfer full): the quote, or %NULL
 */
SextantQuote *
sextant_market_router_fetch_quote_finish (SextantMarketRouter  *self,
                                          GAsyncResult         *result,
                                          GPtrArray           **responses,
                                          GError              **error)
{
  return finish (self, result, responses, NULL, error);
}

/**
 * sextant_market_router_fetch_daily_async:
 * @self: a router
 * @symbol: the symbol
 * @from_day: first day, or 0
 * @to_day: last day, or 0
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_router_fetch_daily_async (SextantMarketRouter *self,
                                         const char          *symbol,
                                         gint32               from_day,
                                         gint32               to_day,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  RouteData *data = g_new0 (RouteData, 1);

  g_return_if_fail (SEXTANT_IS_MARKET_ROUTER (self));

  data->symbol = g_strdup (symbol);
  data->from_day = from_day;
  data->to_day = to_day;
  data->daily = TRUE;
  start (self, data, sextant_market_router_fetch_daily_async, cancellable, callback, user_data);
}

/**
 * sextant_market_router_fetch_daily_finish:
 * @self: a router
 * @result: the result
 * @responses: (out) (optional) (transfer container): every raw response received
 * @provider_id: (out) (optional) (transfer full): the provider that answered
 * @error: return location
 *
 * Returns: (transfer full): the bars, or %NULL
 */
SextantPriceSeries *
sextant_market_router_fetch_daily_finish (SextantMarketRouter  *self,
                                          GAsyncResult         *result,
                                          GPtrArray           **responses,
                                          char                **provider_id,
                                          GError              **error)
{
  return finish (self, result, responses, provider_id, error);
}

/* Symbol search: each provider with a search and a key, in the router's order; the first to
 * name a symbol wins, so a provider earlier in the order keeps its name and currency. */
typedef struct
{
  char       *query;
  guint       index;
  GPtrArray  *matches;     /* SextantSymbolMatch* */
  GHashTable *seen;        /* symbol → NULL */
  GPtrArray  *failures;    /* GError* */
  guint       n_asked;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->query);
  g_ptr_array_unref (data->matches);
  g_hash_table_unref (data->seen);
  g_ptr_array_unref (data->failures);
  g_free (data);
}

static void search_next (GTask *task);

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) matches = NULL;
  GError *error = NULL;

  matches = sextant_market_provider_search_finish (SEXTANT_MARKET_PROVIDER (object), result, NULL,
                                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (matches == NULL)
    g_ptr_array_add (data->failures, error);
  for (guint i = 0; matches != NULL && i < matches->len; i++)
    {
      SextantSymbolMatch *match = matches->pdata[i];

      if (g_hash_table_contains (data->seen, match->symbol))
        continue;
      g_hash_table_add (data->seen, g_strdup (match->symbol));
      g_ptr_array_add (data->matches, sextant_symbol_match_copy (match));
    }
  search_next (task);
}

static void
search_next (GTask *task)
{
  SextantMarketRouter *self = g_task_get_source_object (task);
  SearchData *data = g_task_get_task_data (task);

  while (data->index < self->providers->len)
    {
      SextantMarketProvider *provider = self->providers->pdata[data->index++];

      if (!sextant_market_provider_can_search (provider) ||
          !sextant_market_provider_has_key (provider))
        continue;
      data->n_asked++;
      sextant_market_provider_search_async (provider, data->query, g_task_get_cancellable (task),
                                            search_cb, g_object_ref (task));
      return;
    }

  if (data->n_asked == 0)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER,
                               "No market data provider with a symbol search has an API key");
      return;
    }
  if (data->matches->len == 0 && data->failures->len == data->n_asked)
    {
      g_task_return_error (task, g_error_copy (data->failures->pdata[0]));
      return;
    }
  g_task_return_pointer (task, g_ptr_array_ref (data->matches), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sextant_market_router_search_async:
 * @self: a router
 * @query: a symbol or part of a name
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks every provider that has a symbol search and a key, in order, and merges their answers.
 */
void
sextant_market_router_search_async (SextantMarketRouter *self,
                                    const char          *query,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (SEXTANT_IS_MARKET_ROUTER (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_market_router_search_async);
  data = g_new0 (SearchData, 1);
  data->query = g_strdup (query);
  data->matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  data->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  search_next (task);
}

/**
 * sextant_market_router_search_finish:
 * @self: a router
 * @result: the result
 * @provider_error: (out) (optional) (nullable): the first provider's failure when others
 *   answered, so the caller can say that the list may be short
 * @error: return location: every provider failed (their first error), none could be asked
 *   (%SEXTANT_MARKET_ERROR_NO_PROVIDER), or cancelled
 *
 * Returns: (transfer container) (element-type SextantSymbolMatch): the matches, or %NULL
 */
GPtrArray *
sextant_market_router_search_finish (SextantMarketRouter  *self,
                                     GAsyncResult         *result,
                                     GError              **provider_error,
                                     GError              **error)
{
  SearchData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (provider_error != NULL && data->failures->len > 0 && data->matches->len > 0)
    *provider_error = g_error_copy (data->failures->pdata[0]);

  return g_task_propagate_pointer (G_TASK (result), error);
}
