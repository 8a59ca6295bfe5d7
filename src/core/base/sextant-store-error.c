#define G_LOG_DOMAIN "sextant-store-error"

#include "config.h"

#include "base/sextant-store-error.h"

G_DEFINE_QUARK (sextant-store-error-quark, sextant_store_error)
