#define G_LOG_DOMAIN "sextant-market-config"

#include "config.h"

#include <gio/gio.h>

#include "base/sextant-log-writer.h"
#include "base/sextant-endpoint.h"
#include "market/sextant-market-config.h"
#include "market/sextant-market-error.h"

typedef struct
{
  const char       *id;
  const char       *env_prefix;
  SextantSecretKey  key;
  gboolean          needs_key;
} ProviderEnv;

static const ProviderEnv provider_envs[] = {
  { "alphavantage", "SEXTANT_ALPHAVANTAGE", SEXTANT_SECRET_ALPHA_VANTAGE_KEY, TRUE },
  { "finnhub", "SEXTANT_FINNHUB", SEXTANT_SECRET_FINNHUB_KEY, TRUE },
  { "stooq", "SEXTANT_STOOQ", SEXTANT_SECRET_STOOQ_KEY, TRUE },
  { "yahoo", "SEXTANT_YAHOO", 0, FALSE },
};

/* The keyring first; the environment only when the keyring has no key or cannot be reached
 * (a headless server, CI). Whatever is found is registered with the log writer so that no
 * message can print it. */
static char *
lookup_key (SextantSecretStore *secrets,
            const ProviderEnv  *env)
{
  g_autofree char *name = g_strconcat (env->env_prefix, "_KEY", NULL);
  g_autoptr(GError) error = NULL;
  char *key = NULL;
  const char *value;

  if (secrets != NULL)
    key = sextant_secret_store_lookup_sync (secrets, env->key, NULL, &error);
  if (error != NULL)
    g_debug ("No keyring for the %s key: %s", env->id, error->message);
  if (key == NULL && (value = g_getenv (name)) != NULL && *value != '\0')
    key = g_strdup (value);
  if (key != NULL)
    sextant_log_writer_register_secret (key);

  return key;
}

/**
 * sextant_market_provider_new_configured:
 * @secrets: (nullable): where the key is looked up first
 * @provider_id: `alphavantage`, `finnhub`, `stooq` or `yahoo`
 * @base_url: (nullable): where its requests go (the GUI's `<provider>-base-url` setting);
 *   %NULL or empty for `SEXTANT_<PROVIDER>_BASE_URL`, or the provider's own address when that
 *   is unset too
 * @error: return location
 *
 * A provider with its key from the keyring, or from `SEXTANT_<PROVIDER>_KEY` when the keyring
 * has none. The keyring lookup may wait for the Secret Service: call it off the main thread.
 * A base URL in plain http:// to a host other than this computer is refused with
 * %SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, as the key would travel in clear, unless
 * `SEXTANT_ALLOW_INSECURE_ENDPOINT=1`.
 *
 * Returns: (transfer full): the provider, or %NULL for an unknown id or a refused base URL
 */
SextantMarketProvider *
sextant_market_provider_new_configured (SextantSecretStore  *secrets,
                                        const char          *provider_id,
                                        const char          *base_url,
                                        GError             **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (provider_envs); i++)
    {
      const ProviderEnv *env = &provider_envs[i];
      g_autofree char *url_name = NULL;
      g_autofree char *key = NULL;
      SextantMarketProvider *provider;
      g_autofree char *setting = NULL;
      const char *url = base_url;
      const char *source;

      if (g_strcmp0 (env->id, provider_id) != 0)
        continue;
      url_name = g_strconcat (env->env_prefix, "_BASE_URL", NULL);
      setting = g_strdup_printf ("the %s base URL setting", provider_id);
      source = setting;
      if (url == NULL || *url == '\0')
        url = g_getenv (url_name), source = url_name;
      /* The API key goes with every request: never in clear to another computer. */
      if (url != NULL && *url != '\0' &&
          !sextant_endpoint_check_transport (url, source, SEXTANT_MARKET_ERROR,
                                             SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, error))
        return NULL;
      provider = sextant_market_provider_new_for_id (provider_id);
      if (url != NULL && *url != '\0')
        sextant_market_provider_set_base_url (provider, url);
      if (env->needs_key && (key = lookup_key (secrets, env)) != NULL)
        sextant_market_provider_set_api_key (provider, key);
      return provider;
    }

  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER,
               "Unknown market data provider “%s” (known: alphavantage, finnhub, stooq, yahoo)",
               provider_id);
  return NULL;
}

/**
 * sextant_market_router_new_from_environment:
 * @secrets: (nullable): where keys are looked up first
 * @error: return location
 *
 * The command line's provider setup (the GUI uses GSettings instead):
 * - `SEXTANT_PROVIDERS`: the order, a comma list of `alphavantage`, `finnhub`, `stooq`, `yahoo`.
 *   Unset or empty means offline: cache and demo data only. Yahoo is never added unless listed.
 * - `SEXTANT_<PROVIDER>_BASE_URL` (`SEXTANT_ALPHAVANTAGE_BASE_URL`, …): where its requests go;
 *   plain http:// only to this computer unless `SEXTANT_ALLOW_INSECURE_ENDPOINT=1`.
 * - `SEXTANT_<PROVIDER>_KEY`: a key used when the keyring has none for that provider.
 *
 * Returns: (transfer full): the router, or %NULL for an unknown provider id or a refused
 *   base URL
 */
SextantMarketRouter *
sextant_market_router_new_from_environment (SextantSecretStore  *secrets,
                                            GError             **error)
{
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();
  g_auto(GStrv) ids = NULL;
  const char *order = g_getenv ("SEXTANT_PROVIDERS");

  if (order == NULL || *order == '\0')
    return g_steal_pointer (&router);

  ids = g_strsplit (order, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(SextantMarketProvider) provider = NULL;

      g_strstrip (ids[i]);
      if (*ids[i] == '\0')
        continue;
      if ((provider = sextant_market_provider_new_configured (secrets, ids[i], NULL, error)) == NULL)
        return NULL;
      sextant_market_router_add_provider (router, provider);
    }

  return g_steal_pointer (&router);
}
