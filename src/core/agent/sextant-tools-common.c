#define G_LOG_DOMAIN "sextant-tools-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "agent/sextant-agent-error.h"
#include "analytics/sextant-analytics-error.h"
#include "agent/sextant-tools-private.h"

static gboolean
read_day (JsonObject  *input,
          const char  *member,
          gint32      *day,
          GError     **error)
{
  const char *text;

  *day = 0;
  if (!json_object_has_member (input, member))
    return TRUE;
  text = json_object_get_string_member (input, member);
  if (text == NULL || !sextant_day_parse_iso (text, day))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("input.%s: “%s” is not a date of the form YYYY-MM-DD"), member,
                   text != NULL ? text : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
_tool_read_window (JsonObject  *input,
                   ToolWindow  *window,
                   GError     **error)
{
  if (!read_day (input, "start", &window->start, error) || !read_day (input, "end", &window->end, error))
    return FALSE;
  if (window->start != 0 && window->end != 0 && window->end < window->start)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("input.end (%s) is before input.start (%s)"),
                   json_object_get_string_member (input, "end"),
                   json_object_get_string_member (input, "start"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
in_window (const ToolWindow *w,
           gint32            day)
{
  return (w->start == 0 || day >= w->start) && (w->end == 0 || day <= w->end);
}

static gboolean
check_rows (gsize              n,
            const char        *what,
            const ToolWindow  *w,
            GError           **error)
{
  g_autofree char *from = NULL, *to = NULL;

  if (n >= 2)
    return TRUE;
  from = w->start ? sextant_day_format_iso (w->start) : g_strdup ("the first day");
  to = w->end ? sextant_day_format_iso (w->end) : g_strdup ("the last day");
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
               /* Translators: an instrument, a number of prices, two dates */
               _("%s has %zu prices from %s to %s; at least 2 are needed"), what, (size_t) n,
               from, to);

  return FALSE;
}

SextantPriceSeries *
_tool_slice_series (SextantPriceSeries  *series,
                    const ToolWindow    *w,
                    GError             **error)
{
  const gint32 *days = sextant_price_series_get_days (series);
  gsize n = sextant_price_series_get_length (series), first = n, count = 0;
  SextantPriceSeries *out;

  for (gsize i = 0; i < n; i++)
    if (in_window (w, days[i]))
      {
        first = MIN (first, i);
        count++;
      }
  if (!check_rows (count, sextant_price_series_get_symbol (series), w, error))
    return NULL;
  if (count == n)
    return sextant_price_series_ref (series);

  out = sextant_price_series_new (sextant_price_series_get_symbol (series), count);
  for (gsize i = 0; i < count; i++)
    {
      gsize r = first + i;

      sextant_price_series_set_row (out, i, days[r], sextant_price_series_get_open (series)[r],
                                    sextant_price_series_get_high (series)[r],
                                    sextant_price_series_get_low (series)[r],
                                    sextant_price_series_get_close (series)[r],
                                    sextant_price_series_get_volume (series)[r]);
    }

  return out;
}

SextantPriceTable *
_tool_slice_table (SextantPriceTable  *table,
                   const ToolWindow   *w,
                   GError            **error)
{
  const gint32 *days = sextant_price_table_get_days (table);
  gsize n = sextant_price_table_get_n_rows (table), k = sextant_price_table_get_n_columns (table);
  gsize first = n, count = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  SextantPriceTable *out;

  for (gsize i = 0; i < n; i++)
    if (in_window (w, days[i]))
      {
        first = MIN (first, i);
        count++;
      }
  if (!check_rows (count, "The common history of these symbols", w, error))
    return NULL;
  for (gsize j = 0; j < k; j++)
    g_ptr_array_add (names, (gpointer) sextant_price_table_get_column_name (table, j));
  g_ptr_array_add (names, NULL);
  out = sextant_price_table_new (count, (const char * const *) names->pdata);
  memcpy (sextant_price_table_get_days_mutable (out), days + first, count * sizeof (gint32));
  for (gsize j = 0; j < k; j++)
    memcpy (sextant_price_table_get_column_mutable (out, j),
            sextant_price_table_get_column (table, j) + first, count * sizeof (double));

  return out;
}

char **
_tool_read_symbols (JsonObject *input,
                    const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!json_object_has_member (input, member))
    return NULL;
  array = json_object_get_array_member (input, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *up = g_ascii_strup (json_array_get_string_element (array, i), -1);

      g_strv_builder_add (builder, g_strstrip (up));
    }

  return g_strv_builder_end (builder);
}

/* Weights as given (they must match the symbols one for one and sum to about 1), or equal. */
double *
_tool_read_weights (JsonObject  *input,
                    gsize        k,
                    GError     **error)
{
  g_autofree double *w = g_new (double, k);
  JsonArray *array;
  double sum = 0;

  if (!json_object_has_member (input, "weights"))
    {
      for (gsize j = 0; j < k; j++)
        w[j] = 1.0 / k;
      return g_steal_pointer (&w);
    }
  array = json_object_get_array_member (input, "weights");
  if (json_array_get_length (array) != k)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("input.weights has %u values for %zu symbols"),
                   json_array_get_length (array), (size_t) k);
      return NULL;
    }
  for (gsize j = 0; j < k; j++)
    sum += (w[j] = json_array_get_double_element (array, j));
  if (fabs (sum - 1) > 1e-6)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("input.weights sum to %.6g; they must sum to 1"), sum);
      return NULL;
    }

  return g_steal_pointer (&w);
}

guint
_tool_get_uint (JsonObject *input,
                const char *member,
                guint       default_value)
{
  double value;

  if (!json_object_has_member (input, member))
    return default_value;

  /* The schema bounds each member; this only keeps the cast defined if a schema lacks a bound. */
  value = json_object_get_double_member (input, member);
  if (!(value >= 0))
    return 0;
  if (value >= (double) G_MAXUINT)
    return G_MAXUINT;
  return (guint) value;
}

double
_tool_get_double (JsonObject *input,
                  const char *member,
                  double      default_value)
{
  if (!json_object_has_member (input, member))
    return default_value;

  return json_object_get_double_member (input, member);
}

void
_tool_add_date (JsonBuilder *builder,
                const char  *name,
                gint32       day)
{
  g_autofree char *text = sextant_day_format_iso (day);

  sextant_json_add_string (builder, name, text);
}

/* Every result says how old its data is: the model must not present a 2001 close as today's. */
void
_tool_add_data_note (JsonBuilder *builder,
                     const char  *source,
                     gint32       first_day,
                     gint32       last_day)
{
  _tool_add_date (builder, "as_of", last_day);
  _tool_add_date (builder, "data_from", first_day);
  sextant_json_add_string (builder, "source", source != NULL ? source : "unknown");
  if (g_strcmp0 (source, "demo") == 0)
    sextant_json_add_string (builder, "note", "Bundled historical demo data, not live prices");
}

void
_tool_add_weights (JsonBuilder               *builder,
                   const char                *name,
                   const SextantReturnMatrix *returns,
                   const double              *weights)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (gsize j = 0; j < returns->n_assets; j++)
    sextant_json_add_double (builder, returns->names[j], weights[j]);
  json_builder_end_object (builder);
}

/**
 * _tool_returns_for:
 * @closes: (out) (optional) (transfer full): the closes used, after the window
 *
 * The returns of @symbols on their common dates in the input's window.
 */
SextantReturnMatrix *
_tool_returns_for (SextantToolData     *data,
                   char               **symbols,
                   JsonObject          *input,
                   SextantReturnKind    kind,
                   SextantPriceTable  **closes,
                   GError             **error)
{
  g_autoptr(SextantPriceTable) all = NULL, used = NULL;
  SextantReturnMatrix *returns;
  ToolWindow window;

  if (!_tool_read_window (input, &window, error))
    return NULL;
  for (guint i = 0; symbols[i] != NULL; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (symbols[i], symbols[j]))
        {
          g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                       _("input.symbols names %s twice"), symbols[i]);
          return NULL;
        }
  if (!(all = sextant_tool_data_get_closes (data, (const char * const *) symbols, error)) ||
      !(used = _tool_slice_table (all, &window, error)) ||
      !(returns = sextant_return_matrix_from_prices (used, kind, error)))
    return NULL;
  if (closes != NULL)
    *closes = g_steal_pointer (&used);

  return returns;
}
