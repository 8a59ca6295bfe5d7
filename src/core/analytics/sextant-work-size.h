#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SEXTANT_WORK_MAX_DRAWS:
 *
 * The most random draws one simulation may make: about a minute of the scenario kernel on a
 * laptop core, a hundred times the `bench-scenarios` run. A larger request is a typing error far
 * more often than a wish to wait an hour.
 */
#define SEXTANT_WORK_MAX_DRAWS 1e10

guint64  sextant_work_size_get_memory_cap (void);
gboolean sextant_work_size_check          (const char  *what,
                                           double       n_values_kept,
                                           double       n_draws,
                                           GError     **error);
gboolean sextant_check_periods_per_year   (double       periods_per_year,
                                           GError     **error);

G_END_DECLS
