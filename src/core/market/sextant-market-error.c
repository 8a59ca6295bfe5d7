#define G_LOG_DOMAIN "sextant-market-error"

#include "config.h"

#include "market/sextant-market-error.h"

G_DEFINE_QUARK (sextant-market-error-quark, sextant_market_error)
