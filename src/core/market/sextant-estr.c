#define G_LOG_DOMAIN "sextant-estr"

#include "config.h"

#include <math.h>
#include <string.h>

#include "base/sextant-day.h"
#include "base/sextant-log-writer.h"
#include "market/sextant-csv-fields.h"
#include "market/sextant-ecb-rates.h"
#include "market/sextant-estr.h"
#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"

/* €STR from the ECB Data Portal, no key:
 * `GET {base}/service/data/EST/B.EU000A2X2A25.WT?startPeriod=DATE&endPeriod=DATE&format=csvdata`,
 * the csvdata layout of the EXR rates (a header of column names, TIME_PERIOD and OBS_VALUE among
 * them, one row a day). The service answers 404 `No results found.` for a period without rows.
 *
 * With a cache, every answer is stored (`rate_series`, provider `ecb`) with its fetch time, and
 * when the ECB cannot answer (the network, a server error, a page that is not the data) the stored
 * days answer instead, with a note that says so. "No rates in those days" is not such a failure. */

#define MAX_COLUMNS 64

void
sextant_estr_rates_free (SextantEstrRates *rates)
{
  if (rates == NULL)
    return;
  g_free (rates->days);
  g_free (rates->rates);
  g_free (rates->cached_note);
  g_free (rates);
}

typedef struct
{
  SoupMessage        *message;
  SextantMarketCache *cache;
  gint32              from_day;
  gint32              to_day;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->cache);
  g_free (data);
}

/**
 * sextant_estr_build_url:
 * @base_url: (nullable): the ECB Data Portal, or %NULL for the ECB's own
 * @from_day: the first day
 * @to_day: the last day
 *
 * Returns: (transfer full): the request URL
 */
char *
sextant_estr_build_url (const char *base_url,
                        gint32      from_day,
                        gint32      to_day)
{
  g_autofree char *base = g_strdup (base_url != NULL && *base_url != '\0'
                                    ? base_url : SEXTANT_ECB_DEFAULT_BASE_URL);
  g_autofree char *from = sextant_day_format_iso (from_day);
  g_autofree char *to = sextant_day_format_iso (to_day);

  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_strdup_printf ("%s/service/data/EST/" SEXTANT_ESTR_SERIES_KEY
                          "?startPeriod=%s&endPeriod=%s&format=csvdata", base, from, to);
}

static int
find_column (SextantCsvField *fields,
             int              n,
             const char      *name)
{
  for (int i = 0; i < n; i++)
    if (fields[i].length == strlen (name) && strncmp (fields[i].start, name, fields[i].length) == 0)
      return i;
  return -1;
}

static gboolean
add_row (SextantEstrRates  *rates,
         SextantCsvField   *date,
         SextantCsvField   *value,
         gsize              line,
         GError           **error)
{
  g_autofree char *date_text = g_strndup (date->start, date->length);
  gboolean missing = FALSE;
  double rate = NAN;
  gint32 day;

  if (!sextant_day_parse_iso (date_text, &day) ||
      (rates->n > 0 && day <= rates->days[rates->n - 1]))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "ECB €STR line %" G_GSIZE_FORMAT ": “%.20s” is not a date after the one before",
                   line, date_text);
      return FALSE;
    }
  if (!sextant_csv_parse_double (value->start, value->length, FALSE, &rate, &missing) ||
      (!missing && !isfinite (rate)))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "ECB €STR line %" G_GSIZE_FORMAT ": “%.*s” is not a rate", line,
                   (int) MIN (value->length, 20), value->start);
      return FALSE;
    }
  rates->days[rates->n] = day;
  rates->rates[rates->n] = missing ? NAN : rate;
  rates->n++;
  return TRUE;
}

/**
 * sextant_estr_parse_csv:
 * @text: the ECB's csvdata answer
 * @length: its length
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full): the rates, oldest first
 */
SextantEstrRates *
sextant_estr_parse_csv (const char  *text,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(SextantEstrRates) rates = g_new0 (SextantEstrRates, 1);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autofree SextantCsvField *fields = g_new0 (SextantCsvField, MAX_COLUMNS);
  const char *cursor = text, *end = text + length, *line;
  gsize line_length, n_lines = 1, row = 1;
  int n, date_column, value_column;

  for (gsize i = 0; i < length; i++)
    n_lines += text[i] == '\n';
  if (!sextant_csv_next_record (&cursor, end, ',', &line, &line_length, NULL) ||
      (n = sextant_csv_split_line (line, line_length, ',', fields, MAX_COLUMNS, scratch)) < 2 ||
      (date_column = find_column (fields, n, "TIME_PERIOD")) < 0 ||
      (value_column = find_column (fields, n, "OBS_VALUE")) < 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "ECB €STR: the answer has no TIME_PERIOD and OBS_VALUE columns");
      return NULL;
    }
  rates->days = g_new (gint32, n_lines);
  rates->rates = g_new (double, n_lines);
  while (sextant_csv_next_record (&cursor, end, ',', &line, &line_length, NULL))
    {
      int got;

      row++;
      if (line_length == 0)
        continue;
      got = sextant_csv_split_record (line, line_length, ',', fields, MAX_COLUMNS, scratch, NULL);
      if (got <= MAX (date_column, value_column))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "ECB €STR line %" G_GSIZE_FORMAT ": %d fields", row, got);
          return NULL;
        }
      if (!add_row (rates, &fields[date_column], &fields[value_column], row, error))
        return NULL;
    }
  if (rates->n == 0)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "ECB €STR: no day in the answer");
      return NULL;
    }
  return g_steal_pointer (&rates);
}

static void
store_answer (FetchData        *data,
              SextantEstrRates *rates)
{
  g_autoptr(GError) error = NULL;

  rates->fetched_at = g_get_real_time () / G_USEC_PER_SEC;
  if (data->cache != NULL &&
      !sextant_market_cache_put_series (data->cache, "ecb", SEXTANT_ESTR_CACHE_SERIES, "ecb", FALSE,
                                        data->from_day, data->to_day, rates->days, rates->rates,
                                        rates->n, rates->fetched_at, &error))
    g_warning ("€STR could not be cached: %s", error->message);
}

/* The cached days asked for, with the note saying why and as of when; NULL when there are none
 * or the failure is not one the cache stands in for. */
static SextantEstrRates *
answer_from_cache (FetchData    *data,
                   const GError *why)
{
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  SextantEstrRates *rates;
  gint64 fetched_at = 0;

  if (data->cache == NULL || why->domain != SEXTANT_MARKET_ERROR ||
      why->code == SEXTANT_MARKET_ERROR_NO_DATA)
    return NULL;
  if (!sextant_market_cache_get_series (data->cache, "ecb", SEXTANT_ESTR_CACHE_SERIES, data->from_day,
                                        data->to_day, &days, &values, NULL, &fetched_at, &error))
    {
      g_warning ("The cached €STR could not be read: %s", error->message);
      return NULL;
    }
  if (days->len == 0)
    return NULL;
  rates = g_new0 (SextantEstrRates, 1);
  rates->n = days->len;
  rates->days = g_memdup2 (days->data, days->len * sizeof (gint32));
  rates->rates = g_memdup2 (values->data, days->len * sizeof (double));
  rates->fetched_at = fetched_at;
  reason = sextant_log_writer_redact (why->message);
  rates->cached_note = sextant_market_cache_describe_cached (rates->days[rates->n - 1], fetched_at, reason);
  return rates;
}

static void
return_failure (GTask  *task,
                GError *error)
{
  SextantEstrRates *cached = answer_from_cache (g_task_get_task_data (task), error);

  if (cached != NULL)
    {
      g_error_free (error);
      g_task_return_pointer (task, cached, (GDestroyNotify) sextant_estr_rates_free);
    }
  else
    g_task_return_error (task, error);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sextant_http_read_body_finish (result, &error);
  SextantEstrRates *rates;
  guint status;
  gsize length = 0;
  const char *data;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE))
        return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE,
                                           "ECB €STR: %s", error->message));
      else
        return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                                           "ECB €STR: cannot reach the ECB: %s", error->message));
      return;
    }
  status = soup_message_get_status (fetch->message);
  data = g_bytes_get_data (body, &length);
  if (status == 404)
    g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                             "ECB €STR: no rate in those days (HTTP 404)");
  else if (status != 200)
    return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                                       "ECB €STR: HTTP %u", status));
  else if (length > 0 && data[0] == '<')
    return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_BLOCKED,
                                       "ECB €STR: an HTML page came back instead of the CSV"));
  else if ((rates = sextant_estr_parse_csv (data, length, &error)) == NULL)
    return_failure (task, g_steal_pointer (&error));
  else
    {
      store_answer (fetch, rates);
      g_task_return_pointer (task, rates, (GDestroyNotify) sextant_estr_rates_free);
    }
}

/**
 * sextant_estr_fetch_async:
 * @session: the session to send with
 * @base_url: (nullable): the ECB Data Portal (`SEXTANT_ECB_BASE_URL` for tests), or %NULL
 * @from_day: the first day
 * @to_day: the last day
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sextant_estr_fetch_async (SoupSession        *session,
                          const char         *base_url,
                          gint32              from_day,
                          gint32              to_day,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  sextant_estr_fetch_cached_async (session, base_url, NULL, from_day, to_day, cancellable, callback,
                                   user_data);
}

/**
 * sextant_estr_fetch_cached_async:
 * @session: the session to send with
 * @base_url: (nullable): the ECB Data Portal (`SEXTANT_ECB_BASE_URL` for tests), or %NULL
 * @cache: (nullable): where the answer is stored, and read back when the ECB cannot answer
 * @from_day: the first day
 * @to_day: the last day
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sextant_estr_fetch_cached_async (SoupSession        *session,
                                 const char         *base_url,
                                 SextantMarketCache *cache,
                                 gint32              from_day,
                                 gint32              to_day,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  g_autofree char *url = sextant_estr_build_url (base_url, from_day, to_day);
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);
  FetchData *data;

  g_task_set_source_tag (task, sextant_estr_fetch_async);
  if (message == NULL || from_day > to_day)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "ECB €STR: no request for those days");
      g_clear_object (&message);
      return;
    }
  data = g_new0 (FetchData, 1);
  data->message = message;
  data->cache = cache != NULL ? g_object_ref (cache) : NULL;
  data->from_day = from_day;
  data->to_day = to_day;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  sextant_http_read_body_async (session, message, SEXTANT_HTTP_MAX_BODY_SIZE, "the answer",
                                cancellable, fetch_cb, g_steal_pointer (&task));
}

/**
 * sextant_estr_fetch_finish:
 * @result: the result
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full): the rates
 */
SextantEstrRates *
sextant_estr_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
