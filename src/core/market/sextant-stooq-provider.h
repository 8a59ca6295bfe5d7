#pragma once

#include "market/sextant-http-provider.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_STOOQ_PROVIDER (sextant_stooq_provider_get_type ())

G_DECLARE_FINAL_TYPE (SextantStooqProvider, sextant_stooq_provider, SEXTANT, STOOQ_PROVIDER,
                      SextantHttpProvider)

SextantMarketProvider *sextant_stooq_provider_new        (void);
char                  *sextant_stooq_provider_map_symbol (const char *symbol);

G_END_DECLS
