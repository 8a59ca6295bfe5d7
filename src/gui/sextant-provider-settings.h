#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/**
 * SextantProviderSettings:
 * @ids: the router's ids of the providers to ask, in the user's order
 * @base_urls: each provider's base URL setting, "" for its default
 *
 * The market-data providers as Preferences set them, copied out of GSettings so that a worker
 * thread can build its own router from them.
 */
typedef struct
{
  GPtrArray *ids;
  GPtrArray *base_urls;
} SextantProviderSettings;

SextantProviderSettings *sextant_provider_settings_new          (GSettings                      *settings);
void                     sextant_provider_settings_free         (SextantProviderSettings        *self);
SextantMarketRouter     *sextant_provider_settings_create_router (const SextantProviderSettings *self,
                                                                  GError                       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantProviderSettings, sextant_provider_settings_free)

G_END_DECLS
