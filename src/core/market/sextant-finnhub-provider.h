#pragma once

#include "market/sextant-http-provider.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_FINNHUB_PROVIDER (sextant_finnhub_provider_get_type ())

G_DECLARE_FINAL_TYPE (SextantFinnhubProvider, sextant_finnhub_provider, SEXTANT, FINNHUB_PROVIDER,
                      SextantHttpProvider)

SextantMarketProvider *sextant_finnhub_provider_new (void);

G_END_DECLS
