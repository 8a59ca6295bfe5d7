#pragma once

#include "market/sextant-market-router.h"
#include "base/sextant-secret-store.h"

G_BEGIN_DECLS

SextantMarketRouter   *sextant_market_router_new_from_environment (SextantSecretStore  *secrets,
                                                                   GError             **error);
SextantMarketProvider *sextant_market_provider_new_configured     (SextantSecretStore  *secrets,
                                                                   const char          *provider_id,
                                                                   const char          *base_url,
                                                                   GError             **error);

G_END_DECLS
