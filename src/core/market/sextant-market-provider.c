#define G_LOG_DOMAIN "sextant-market-provider"

#include "config.h"

#include "market/sextant-market-error.h"
#include "market/sextant-market-provider.h"

G_DEFINE_INTERFACE (SextantMarketProvider, sextant_market_provider, G_TYPE_OBJECT)

static void
sextant_market_provider_default_init (SextantMarketProviderInterface *iface)
{
  /**
   * SextantMarketProvider:base-url:
   *
   * Where requests go. Tests point it at a local fake server; users behind a proxy that
   * rewrites hosts can point it there.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("base-url", NULL, NULL, NULL,
                                                            (G_PARAM_READWRITE |
                                                             G_PARAM_EXPLICIT_NOTIFY |
                                                             G_PARAM_STATIC_STRINGS)));

  /**
   * SextantMarketProvider:api-key:
   *
   * The key, read from the keyring by the caller. Write-only: nothing should read a key back
   * out of a provider to print it.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("api-key", NULL, NULL, NULL,
                                                            (G_PARAM_WRITABLE |
                                                             G_PARAM_STATIC_STRINGS)));
}

const char *
sextant_market_provider_get_id (SextantMarketProvider *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->get_id (self);
}

const char *
sextant_market_provider_get_name (SextantMarketProvider *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->get_name (self);
}

gboolean
sextant_market_provider_get_needs_key (SextantMarketProvider *self)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), FALSE);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->get_needs_key (self);
}

gboolean
sextant_market_provider_get_official (SextantMarketProvider *self)
{
  SextantMarketProviderInterface *iface;

  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), TRUE);

  iface = SEXTANT_MARKET_PROVIDER_GET_IFACE (self);
  return iface->get_official != NULL ? iface->get_official (self) : TRUE;
}

/**
 * sextant_market_provider_has_key:
 * @self: a provider
 *
 * Returns: %TRUE if the provider needs no key or has a non-empty one
 */
gboolean
sextant_market_provider_has_key (SextantMarketProvider *self)
{
  g_autofree char *key = NULL;
  GParamSpec *pspec;

  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), FALSE);

  if (!sextant_market_provider_get_needs_key (self))
    return TRUE;

  /* The property is write-only in the interface; implementations may expose a readable
   * "has-key" instead of the key itself. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), "has-key");
  if (pspec != NULL)
    {
      gboolean has_key = FALSE;

      g_object_get (self, "has-key", &has_key, NULL);
      return has_key;
    }

  return FALSE;
}

/**
 * sextant_market_provider_dup_base_url:
 * @self: a provider
 *
 * Returns: (transfer full): the base URL
 */
char *
sextant_market_provider_dup_base_url (SextantMarketProvider *self)
{
  char *url = NULL;

  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  g_object_get (self, "base-url", &url, NULL);
  return url;
}

void
sextant_market_provider_set_base_url (SextantMarketProvider *self,
                                      const char            *base_url)
{
  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (self));

  g_object_set (self, "base-url", base_url, NULL);
}

void
sextant_market_provider_set_api_key (SextantMarketProvider *self,
                                     const char            *api_key)
{
  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (self));

  g_object_set (self, "api-key", api_key, NULL);
}

/**
 * sextant_market_provider_fetch_quote_async:
 * @self: a provider
 * @symbol: the provider's symbol (`MSFT`)
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_provider_fetch_quote_async (SextantMarketProvider *self,
                                           const char            *symbol,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (self));
  g_return_if_fail (symbol != NULL);

  SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->fetch_quote_async (self, symbol, cancellable,
                                                               callback, user_data);
}

/**
 * sextant_market_provider_fetch_quote_finish:
 * @self: a provider
 * @result: the result
 * @response: (out) (optional) (transfer full) (nullable): the raw answer, also on error
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the provider
 *
 * Returns: (transfer full): the quote, or %NULL
 */
SextantQuote *
sextant_market_provider_fetch_quote_finish (SextantMarketProvider  *self,
                                            GAsyncResult           *result,
                                            SextantMarketResponse **response,
                                            GError                **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->fetch_quote_finish (self, result, response,
                                                                       error);
}

/**
 * sextant_market_provider_fetch_daily_async:
 * @self: a provider
 * @symbol: the provider's symbol
 * @from_day: first day wanted (days since 1970-01-01), or 0 for the provider's default span
 * @to_day: last day wanted, or 0 for "up to today"
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
sextant_market_provider_fetch_daily_async (SextantMarketProvider *self,
                                           const char            *symbol,
                                           gint32                 from_day,
                                           gint32                 to_day,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (self));
  g_return_if_fail (symbol != NULL);

  SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->fetch_daily_async (self, symbol, from_day, to_day,
                                                               cancellable, callback, user_data);
}

/**
 * sextant_market_provider_fetch_daily_finish:
 * @self: a provider
 * @result: the result
 * @response: (out) (optional) (transfer full) (nullable): the raw answer, also on error
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the provider
 *
 * Returns: (transfer full): the bars, oldest first, or %NULL
 */
SextantPriceSeries *
sextant_market_provider_fetch_daily_finish (SextantMarketProvider  *self,
                                            GAsyncResult           *result,
                                            SextantMarketResponse **response,
                                            GError                **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->fetch_daily_finish (self, result, response,
                                                                       error);
}

/**
 * sextant_market_provider_parse_quote:
 * @self: a provider
 * @response: a raw answer of this provider, live or from the data lake
 * @error: return location for an error
 *
 * Returns: (transfer full): the quote, or %NULL
 */
SextantQuote *
sextant_market_provider_parse_quote (SextantMarketProvider        *self,
                                     const SextantMarketResponse  *response,
                                     GError                      **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);
  g_return_val_if_fail (response != NULL, NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->parse_quote (self, response, error);
}

/**
 * sextant_market_provider_parse_daily:
 * @self: a provider
 * @response: a raw answer of this provider, live or from the data lake
 * @error: return location for an error
 *
 * Returns: (transfer full): the bars, oldest first, or %NULL
 */
SextantPriceSeries *
sextant_market_provider_parse_daily (SextantMarketProvider        *self,
                                     const SextantMarketResponse  *response,
                                     GError                      **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);
  g_return_val_if_fail (response != NULL, NULL);

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->parse_daily (self, response, error);
}

/**
 * sextant_market_provider_can_search:
 * @self: a provider
 *
 * Returns: %TRUE if the provider has a symbol search (it may still need a key for it)
 */
gboolean
sextant_market_provider_can_search (SextantMarketProvider *self)
{
  SextantMarketProviderInterface *iface;

  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), FALSE);

  iface = SEXTANT_MARKET_PROVIDER_GET_IFACE (self);
  if (iface->search_async == NULL)
    return FALSE;

  return iface->can_search != NULL ? iface->can_search (self) : TRUE;
}

/**
 * sextant_market_provider_search_async:
 * @self: a provider
 * @query: what the user typed: a symbol or part of a name
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Looks instruments up by symbol or name. A provider without a symbol search answers
 * %SEXTANT_MARKET_ERROR_NOT_ENTITLED at once.
 */
void
sextant_market_provider_search_async (SextantMarketProvider *self,
                                      const char            *query,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  SextantMarketProviderInterface *iface;

  g_return_if_fail (SEXTANT_IS_MARKET_PROVIDER (self));
  g_return_if_fail (query != NULL);

  iface = SEXTANT_MARKET_PROVIDER_GET_IFACE (self);
  if (!sextant_market_provider_can_search (self))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, sextant_market_provider_search_async);
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_ENTITLED,
                               "%s: no symbol search", sextant_market_provider_get_name (self));
      return;
    }
  iface->search_async (self, query, cancellable, callback, user_data);
}

/**
 * sextant_market_provider_search_finish:
 * @self: a provider
 * @result: the result
 * @response: (out) (optional) (transfer full) (nullable): the raw answer, also on error
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the provider
 *
 * Returns: (transfer container) (element-type SextantSymbolMatch): the matches, best first
 *   (possibly none), or %NULL on error
 */
GPtrArray *
sextant_market_provider_search_finish (SextantMarketProvider  *self,
                                       GAsyncResult           *result,
                                       SextantMarketResponse **response,
                                       GError                **error)
{
  g_return_val_if_fail (SEXTANT_IS_MARKET_PROVIDER (self), NULL);

  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == sextant_market_provider_search_async)
    {
      if (response != NULL)
        *response = NULL;
      return g_task_propagate_pointer (G_TASK (result), error);
    }

  return SEXTANT_MARKET_PROVIDER_GET_IFACE (self)->search_finish (self, result, response, error);
}
