#define G_LOG_DOMAIN "sextant-work-size"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <unistd.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-work-size.h"

/* Without a figure from the system, assume a small machine rather than none. */
#define FALLBACK_MEMORY (2 * (guint64) G_GINT64_CONSTANT (1073741824))

/**
 * sextant_work_size_get_memory_cap:
 *
 * A computation may keep at most half of the computer's physical memory: the rest is the
 * desktop's, and a request beyond it would be killed by the kernel or swap for minutes instead
 * of failing with a message.
 *
 * Returns: the cap in bytes
 */
guint64
sextant_work_size_get_memory_cap (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return FALLBACK_MEMORY / 2;

  return (guint64) pages * (guint64) page_size / 2;
}

/**
 * sextant_work_size_check:
 * @what: the computation, for the message ("Monte Carlo VaR", "GBM scenarios")
 * @n_values_kept: doubles the computation allocates for its result
 * @n_draws: random numbers it draws (a measure of its running time)
 * @error: return location for a %SEXTANT_ANALYTICS_ERROR_TOO_LARGE error that gives the
 *   numbers
 *
 * The one gate of work sizes that the GUI, the CLI and the assistant's tools share: it is called
 * before anything is allocated, so a request of 2³¹ scenarios fails at once with the bytes it
 * would need and the bytes allowed instead of aborting in g_malloc().
 *
 * Returns: %TRUE if the computation may run
 */
gboolean
sextant_work_size_check (const char  *what,
                         double       n_values_kept,
                         double       n_draws,
                         GError     **error)
{
  guint64 cap = sextant_work_size_get_memory_cap ();
  double bytes = n_values_kept * sizeof (double);

  g_return_val_if_fail (what != NULL, FALSE);

  if (!(bytes <= (double) cap))
    {
      g_autofree char *need = g_format_size (bytes < 1e18 ? (guint64) bytes : G_MAXUINT64);
      g_autofree char *allowed = g_format_size (cap);

      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE,
                   _("%s would keep %.0f values (%s), more than half of this computer's memory "
                     "allows (%s); ask for fewer paths, steps or scenarios"),
                   what, n_values_kept, need, allowed);
      return FALSE;
    }
  if (!(n_draws <= SEXTANT_WORK_MAX_DRAWS))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE,
                   _("%s would draw %.3g random numbers, more than the %.0e one run may "
                     "(about a minute per core); ask for fewer paths, steps or scenarios"),
                   what, n_draws, SEXTANT_WORK_MAX_DRAWS);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_check_periods_per_year:
 * @periods_per_year: the annualisation factor (252 for daily returns)
 * @error: return location for an error
 *
 * Annualised figures multiply by the factor or its square root: zero, a negative number, NaN or
 * infinity would give 0, NaN or infinity with no sign of what went wrong. More than one period a
 * minute (525,960 a year) is no sampling any price series has.
 *
 * Returns: %TRUE if @periods_per_year is usable
 */
gboolean
sextant_check_periods_per_year (double    periods_per_year,
                                GError  **error)
{
  if (!(periods_per_year > 0 && periods_per_year <= 525960))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("Periods per year must be a positive number of at most 525960 (one a "
                     "minute), not %g"), periods_per_year);
      return FALSE;
    }

  return TRUE;
}
