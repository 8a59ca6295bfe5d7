#define G_LOG_DOMAIN "sextant-ecb-curve"

#include "config.h"

#include <math.h>
#include <string.h>

#include "base/sextant-day.h"
#include "market/sextant-csv-fields.h"
#include "market/sextant-ecb-curve.h"
#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"

/* The ECB's euro-area yield curve for AAA-rated central government bonds, from the Data
 * Portal's SDMX REST service (dataset YC, no key):
 *   GET {base}/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.PY_3M+…+SR_30Y?startPeriod=…&format=csvdata
 * DATA_TYPE_FM says what a row is: PY_<tenor> a par yield, SR_<tenor> a spot rate (Svensson model,
 * continuous compounding), both in percent. Columns are found by their header names. */

#define MAX_COLUMNS 64

static const char * const tenors[] = { "3M", "6M", "1Y", "2Y", "3Y", "5Y", "7Y", "10Y", "15Y",
                                       "20Y", "30Y" };

/**
 * sextant_ecb_curve_build_url:
 * @base_url: the service's address (`https://data-api.ecb.europa.eu`)
 * @from_day: the first day
 * @to_day: the last day
 *
 * Returns: (transfer full): the request for the par yields and spot rates of the standard tenors
 */
char *
sextant_ecb_curve_build_url (const char *base_url,
                             gint32      from_day,
                             gint32      to_day)
{
  g_autoptr(GString) url = g_string_new (base_url);
  g_autofree char *from = sextant_day_format_iso (from_day);
  g_autofree char *to = sextant_day_format_iso (to_day);

  g_string_append (url, "/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.");
  for (guint kind = 0; kind < 2; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (tenors); i++)
      g_string_append_printf (url, "%s%s_%s", kind + i > 0 ? "+" : "", kind == 0 ? "PY" : "SR",
                              tenors[i]);
  g_string_append_printf (url, "?startPeriod=%s&endPeriod=%s&format=csvdata", from, to);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

void
sextant_ecb_curve_day_free (SextantEcbCurveDay *day)
{
  if (day == NULL)
    return;
  sextant_par_curve_free (day->par);
  sextant_par_curve_free (day->spot);
  g_free (day);
}

/* "PY_10Y" → par, 120 months; "SR_3M" → spot, 3 months. */
static gboolean
data_type (const SextantCsvField *field,
           gboolean              *spot,
           double                *months)
{
  g_autofree char *text = g_strndup (field->start, field->length);
  char *unit = NULL;
  double count;

  if (strlen (text) < 5 || text[2] != '_'
      || (strncmp (text, "PY", 2) != 0 && strncmp (text, "SR", 2) != 0))
    return FALSE;
  *spot = text[0] == 'S';
  count = g_ascii_strtod (text + 3, &unit);
  if (unit == text + 3 || !(count > 0) || (strcmp (unit, "M") != 0 && strcmp (unit, "Y") != 0))
    return FALSE;
  *months = strcmp (unit, "Y") == 0 ? count * 12 : count;
  return TRUE;
}

static int
find_column (const SextantCsvField *fields,
             int                    n,
             const char            *name)
{
  for (int i = 0; i < n; i++)
    if (fields[i].length == strlen (name) && memcmp (fields[i].start, name, fields[i].length) == 0)
      return i;
  return -1;
}

static SextantEcbCurveDay *
day_for (GHashTable *days,
         gint32      day)
{
  SextantEcbCurveDay *entry = g_hash_table_lookup (days, GINT_TO_POINTER (day));

  if (entry == NULL)
    {
      entry = g_new0 (SextantEcbCurveDay, 1);
      entry->par = sextant_par_curve_new (day, "ecb-aaa-par");
      entry->spot = sextant_par_curve_new (day, "ecb-aaa-spot");
      g_hash_table_insert (days, GINT_TO_POINTER (day), entry);
    }
  return entry;
}

static void
sort_tenors (SextantParCurve *curve)
{
  for (gsize i = 1; i < curve->n; i++)
    for (gsize j = i; j > 0 && curve->months[j] < curve->months[j - 1]; j--)
      {
        double m = curve->months[j], y = curve->yield[j];

        curve->months[j] = curve->months[j - 1], curve->yield[j] = curve->yield[j - 1];
        curve->months[j - 1] = m, curve->yield[j - 1] = y;
      }
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const SextantEcbCurveDay *da = *(SextantEcbCurveDay * const *) a;
  const SextantEcbCurveDay *db = *(SextantEcbCurveDay * const *) b;

  return (da->par->day > db->par->day) - (da->par->day < db->par->day);
}

/**
 * sextant_ecb_curve_parse_csv:
 * @text: a `format=csvdata` body of the YC dataset
 * @length: its length
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * An empty or NaN value is a tenor missing that day, never zero.
 *
 * Returns: (transfer full) (element-type SextantEcbCurveDay): the days, oldest first
 */
GPtrArray *
sextant_ecb_curve_parse_csv (const char  *text,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(GHashTable) days = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_ecb_curve_day_free);
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *cursor = text != NULL ? text : "", *end = cursor + length, *line;
  SextantCsvField fields[MAX_COLUMNS];
  int n, col_type, col_period, col_value;
  guint line_number = 1;
  gsize line_length;

  if (!sextant_csv_next_line (&cursor, end, &line, &line_length) || line_length == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY,
                   "an empty body where the ECB's yield curve CSV was expected");
      return NULL;
    }
  n = sextant_csv_split_line (line, line_length, ',', fields, MAX_COLUMNS, scratch);
  col_type = find_column (fields, MIN (n, MAX_COLUMNS), "DATA_TYPE_FM");
  col_period = find_column (fields, MIN (n, MAX_COLUMNS), "TIME_PERIOD");
  col_value = find_column (fields, MIN (n, MAX_COLUMNS), "OBS_VALUE");
  if (col_type < 0 || col_period < 0 || col_value < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "the CSV header lacks DATA_TYPE_FM, TIME_PERIOD or OBS_VALUE (not the ECB's "
                   "yield curve csvdata?)");
      return NULL;
    }
  while (sextant_csv_next_line (&cursor, end, &line, &line_length))
    {
      gboolean spot, missing = FALSE;
      double months, value;
      gint32 day;
      int m;

      line_number++;
      if (line_length == 0)
        continue;
      m = sextant_csv_split_line (line, line_length, ',', fields, MAX_COLUMNS, scratch);
      if (m <= MAX (col_type, MAX (col_period, col_value)))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "line %u has %d fields, too few for the header", line_number, MAX (m, 0));
          return NULL;
        }
      if (!data_type (&fields[col_type], &spot, &months)
          || !sextant_csv_parse_date (fields[col_period].start, fields[col_period].length,
                                      SEXTANT_DATE_FORMAT_ISO, &day)
          || !sextant_csv_parse_double (fields[col_value].start, fields[col_value].length, FALSE,
                                        &value, &missing))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "line %u is not a yield curve par yield or spot rate of a day",
                       line_number);
          return NULL;
        }
      if (missing || !isfinite (value))
        continue;
      sextant_par_curve_add (spot ? day_for (days, day)->spot : day_for (days, day)->par, months,
                             value);
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, days);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        SextantEcbCurveDay *entry = value;

        sort_tenors (entry->par);
        sort_tenors (entry->spot);
        g_ptr_array_add (result, entry);
      }
  }
  if (result->len == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "the ECB's yield curve CSV has no values");
      return NULL;
    }
  g_ptr_array_sort (result, compare_days);
  return g_steal_pointer (&result);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sextant_http_read_body_finish (result, &error);
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (message));
  SextantMarketResponse *response;
  GPtrArray *days;
  const char *data;
  gsize len = 0;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE))
        g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE,
                                 "ECB: %s", error->message);
      else
        g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                                 "ECB: cannot reach %s: %s", uri, error->message);
      return;
    }
  response = sextant_market_response_new ("ecb", "yield-curve", "YC.G_N_A",
                                           soup_message_get_status (message),
                                           soup_message_headers_get_content_type (
                                             soup_message_get_response_headers (message), NULL),
                                           body);
  response->url = g_strdup (uri);
  g_object_set_data_full (G_OBJECT (task), "response", response,
                          (GDestroyNotify) sextant_market_response_free);
  if (response->status == 404)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                               "ECB: no yield curve in those days (HTTP 404)");
      return;
    }
  if (response->status != 200)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "ECB: HTTP %u for the yield curve", response->status);
      return;
    }
  data = g_bytes_get_data (body, &len);
  if ((days = sextant_ecb_curve_parse_csv (data, len, &error)) == NULL)
    {
      g_prefix_error (&error, "ECB: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < days->len; i++)
    {
      SextantEcbCurveDay *day = days->pdata[i];

      day->par->fetched_at = day->spot->fetched_at = response->fetched_at;
    }
  g_task_return_pointer (task, days, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sextant_ecb_curve_fetch_async:
 * @session: the session to send with
 * @base_url: the service's address
 * @from_day: the first day
 * @to_day: the last day
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sextant_ecb_curve_fetch_async (SoupSession         *session,
                               const char          *base_url,
                               gint32               from_day,
                               gint32               to_day,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *url = sextant_ecb_curve_build_url (base_url, from_day, to_day);
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);

  if (message == NULL)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "ECB: “%s” is not a URL", url);
      return;
    }
  g_task_set_task_data (task, message, g_object_unref);
  sextant_http_read_body_async (session, message, SEXTANT_HTTP_MAX_BULK_BODY_SIZE,
                                "the answer for the yield curve", cancellable, fetch_cb,
                                g_steal_pointer (&task));
}

/**
 * sextant_ecb_curve_fetch_finish:
 * @result: the result
 * @response: (out) (optional) (transfer full): the raw answer, when one came
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full) (element-type SextantEcbCurveDay): the days, oldest first
 */
GPtrArray *
sextant_ecb_curve_fetch_finish (GAsyncResult           *result,
                                SextantMarketResponse **response,
                                GError                **error)
{
  SextantMarketResponse *raw = g_object_get_data (G_OBJECT (result), "response");

  if (response != NULL)
    *response = raw != NULL ? sextant_market_response_copy (raw) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}
