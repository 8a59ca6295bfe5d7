#pragma once

#include "sextant-market-router.h"
#include "sextant-secret-store.h"

G_BEGIN_DECLS

SextantMarketRouter *sextant_market_router_new_from_environment (SextantSecretStore  *secrets,
                                                                 GError             **error);

G_END_DECLS
