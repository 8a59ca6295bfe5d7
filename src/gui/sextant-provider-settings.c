#define G_LOG_DOMAIN "sextant-provider-settings"

#include "config.h"

#include "sextant-provider-settings.h"

/**
 * sextant_provider_settings_new:
 * @settings: the application's settings
 *
 * GSettings names providers as Preferences shows them (`alpha-vantage`), the router by id
 * (`alphavantage`); Yahoo, when enabled, comes last unless the order names it.
 *
 * Returns: (transfer full): the providers to ask
 */
SextantProviderSettings *
sextant_provider_settings_new (GSettings *settings)
{
  g_auto(GStrv) names = g_settings_get_strv (settings, "market-providers");
  g_autoptr(GSettingsSchema) schema = NULL;
  SextantProviderSettings *self = g_new0 (SextantProviderSettings, 1);

  g_object_get (settings, "settings-schema", &schema, NULL);
  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->base_urls = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat (names[i], "-base-url", NULL);
      g_auto(GStrv) parts = g_strsplit (names[i], "-", -1);

      g_ptr_array_add (self->ids, g_strjoinv ("", parts));
      g_ptr_array_add (self->base_urls, g_settings_schema_has_key (schema, key)
                                        ? g_settings_get_string (settings, key) : g_strdup (""));
    }
  if (g_settings_get_boolean (settings, "enable-yahoo") &&
      !g_ptr_array_find_with_equal_func (self->ids, "yahoo", g_str_equal, NULL))
    {
      g_ptr_array_add (self->ids, g_strdup ("yahoo"));
      g_ptr_array_add (self->base_urls, g_strdup (""));
    }

  return self;
}

void
sextant_provider_settings_free (SextantProviderSettings *self)
{
  g_ptr_array_unref (self->ids);
  g_ptr_array_unref (self->base_urls);
  g_free (self);
}

/**
 * sextant_provider_settings_create_router:
 * @self: the providers to ask
 * @error: return location for why nothing can be asked
 *
 * Makes a router of the providers, with their keys from the keyring (a store of this thread's
 * own). A refused base URL stops the work: skipping the provider would leave the user wondering
 * why it is never asked. With no provider holding a key, asking would only collect the same
 * "no key" from every provider for every symbol.
 *
 * Returns: (transfer full) (nullable): the router
 */
SextantMarketRouter *
sextant_provider_settings_create_router (const SextantProviderSettings  *self,
                                         GError                        **error)
{
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(SextantMarketRouter) router = sextant_market_router_new ();

  for (guint i = 0; i < self->ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SextantMarketProvider) provider = NULL;

      provider = sextant_market_provider_new_configured (secrets, self->ids->pdata[i],
                                                         self->base_urls->pdata[i], &local_error);
      if (provider != NULL)
        sextant_market_router_add_provider (router, provider);
      else if (g_error_matches (local_error, SEXTANT_MARKET_ERROR,
                                SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      else
        g_warning ("%s", local_error->message);
    }
  for (guint i = 0; i < sextant_market_router_get_n_providers (router); i++)
    if (sextant_market_provider_has_key (sextant_market_router_get_provider (router, i)))
      return g_steal_pointer (&router);

  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER,
               "No market data provider has an API key");
  return NULL;
}
