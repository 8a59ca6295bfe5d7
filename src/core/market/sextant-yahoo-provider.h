#pragma once

#include "market/sextant-http-provider.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_YAHOO_PROVIDER (sextant_yahoo_provider_get_type ())

G_DECLARE_FINAL_TYPE (SextantYahooProvider, sextant_yahoo_provider, SEXTANT, YAHOO_PROVIDER,
                      SextantHttpProvider)

SextantMarketProvider *sextant_yahoo_provider_new (void);

G_END_DECLS
