#define G_LOG_DOMAIN "sextant-kb-error"

#include "config.h"

#include "knowledge/sextant-kb-error.h"

G_DEFINE_QUARK (sextant-kb-error-quark, sextant_kb_error)
