#define G_LOG_DOMAIN "sextant-jobs-error"

#include "config.h"

#include "jobs/sextant-jobs-error.h"

G_DEFINE_QUARK (sextant-jobs-error-quark, sextant_jobs_error)
