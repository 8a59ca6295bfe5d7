#pragma once

#include "market/sextant-http-provider.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_ALPHA_VANTAGE_PROVIDER (sextant_alpha_vantage_provider_get_type ())

G_DECLARE_FINAL_TYPE (SextantAlphaVantageProvider, sextant_alpha_vantage_provider, SEXTANT,
                      ALPHA_VANTAGE_PROVIDER, SextantHttpProvider)

SextantMarketProvider *sextant_alpha_vantage_provider_new              (void);
void                   sextant_alpha_vantage_provider_set_full_history (SextantAlphaVantageProvider *self,
                                                                        gboolean                     full);

G_END_DECLS
