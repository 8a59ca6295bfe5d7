#define G_LOG_DOMAIN "sextant-ecb-rates"

#include "config.h"

#include <math.h>
#include <string.h>

#include "base/sextant-endpoint.h"
#include "market/sextant-csv-fields.h"
#include "market/sextant-ecb-rates.h"
#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"

/* The ECB's euro foreign exchange reference rates, from the Data Portal's SDMX 2.1 REST service:
 * `GET {base}/service/data/EXR/D.USD+GBP.EUR.SP00.A?startPeriod=…&endPeriod=…&format=csvdata`.
 * No key is needed. Each row is one currency on one day, OBS_VALUE units of CURRENCY per 1 EUR;
 * columns are found by their header name, since the service adds attributes over time. */

#define BASE_URL_VARIABLE "SEXTANT_ECB_BASE_URL"

struct _SextantEcbRates
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url;
};

G_DEFINE_FINAL_TYPE (SextantEcbRates, sextant_ecb_rates, G_TYPE_OBJECT)

enum { PROP_0, PROP_SESSION, PROP_BASE_URL, N_PROPS };

static GParamSpec *properties [N_PROPS];

static void
sextant_ecb_rates_dispose (GObject *object)
{
  SextantEcbRates *self = SEXTANT_ECB_RATES (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (sextant_ecb_rates_parent_class)->dispose (object);
}

static void
sextant_ecb_rates_finalize (GObject *object)
{
  SextantEcbRates *self = SEXTANT_ECB_RATES (object);

  g_free (self->base_url);

  G_OBJECT_CLASS (sextant_ecb_rates_parent_class)->finalize (object);
}

static void
sextant_ecb_rates_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SextantEcbRates *self = SEXTANT_ECB_RATES (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, sextant_ecb_rates_get_base_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_ecb_rates_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SextantEcbRates *self = SEXTANT_ECB_RATES (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    case PROP_BASE_URL:
      sextant_ecb_rates_set_base_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_ecb_rates_class_init (SextantEcbRatesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_ecb_rates_dispose;
  object_class->finalize = sextant_ecb_rates_finalize;
  object_class->get_property = sextant_ecb_rates_get_property;
  object_class->set_property = sextant_ecb_rates_set_property;

  /**
   * SextantEcbRates:session:
   *
   * The session to send with; one is made on first use when unset. Tests pass one without a
   * proxy resolver so that 127.0.0.1 is not sent through `http_proxy`.
   */
  properties [PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                                                   (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                    G_PARAM_STATIC_STRINGS));
  /**
   * SextantEcbRates:base-url:
   *
   * Where requests go; %NULL for %SEXTANT_ECB_DEFAULT_BASE_URL.
   */
  properties [PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL,
                                                    (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_ecb_rates_init (SextantEcbRates *self)
{
}

/**
 * sextant_ecb_rates_new:
 *
 * Returns: (transfer full): a client of the ECB's reference rates at the ECB's own address
 */
SextantEcbRates *
sextant_ecb_rates_new (void)
{
  return g_object_new (SEXTANT_TYPE_ECB_RATES, NULL);
}

/**
 * sextant_ecb_rates_new_from_environment:
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * A client whose requests go to `SEXTANT_ECB_BASE_URL` when it is set. As for every provider,
 * a plain http:// address is accepted only to this computer unless
 * `SEXTANT_ALLOW_INSECURE_ENDPOINT=1` (%SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT).
 *
 * Returns: (transfer full): the client, or %NULL for a refused base URL
 */
SextantEcbRates *
sextant_ecb_rates_new_from_environment (GError **error)
{
  const char *url = g_getenv (BASE_URL_VARIABLE);
  SextantEcbRates *self;

  if (url != NULL && *url != '\0' &&
      !sextant_endpoint_check_transport (url, BASE_URL_VARIABLE, SEXTANT_MARKET_ERROR,
                                         SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, error))
    return NULL;
  self = sextant_ecb_rates_new ();
  sextant_ecb_rates_set_base_url (self, url);

  return self;
}

const char *
sextant_ecb_rates_get_base_url (SextantEcbRates *self)
{
  g_return_val_if_fail (SEXTANT_IS_ECB_RATES (self), NULL);

  return self->base_url != NULL ? self->base_url : SEXTANT_ECB_DEFAULT_BASE_URL;
}

void
sextant_ecb_rates_set_base_url (SextantEcbRates *self,
                                const char      *base_url)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (SEXTANT_IS_ECB_RATES (self));

  /* A trailing slash would double up when the path is appended. */
  if (base_url != NULL && *base_url != '\0')
    {
      normalized = g_strdup (base_url);
      while (g_str_has_suffix (normalized, "/"))
        normalized[strlen (normalized) - 1] = '\0';
    }
  if (g_strcmp0 (self->base_url, normalized) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BASE_URL]);
}

static SoupSession *
get_session (SextantEcbRates *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 30,
                                                   "user-agent", "Sextant/" PACKAGE_VERSION,
                                                   NULL);

  return self->session;
}

/**
 * sextant_ecb_rates_check_currency:
 * @code: what should be an ISO 4217 code
 * @error: return location for %SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL
 *
 * Returns: whether @code is three upper-case letters, as the ECB's series keys need
 */
gboolean
sextant_ecb_rates_check_currency (const char  *code,
                                  GError     **error)
{
  if (code != NULL && strlen (code) == 3 && g_ascii_isupper (code[0]) &&
      g_ascii_isupper (code[1]) && g_ascii_isupper (code[2]))
    return TRUE;
  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
               "“%s” is not an ISO 4217 currency code (three capital letters, such as USD)",
               code != NULL ? code : "");

  return FALSE;
}

static char *
series_key (const char * const *currencies)
{
  g_autofree char *joined = g_strjoinv ("+", (char **) currencies);

  return g_strdup_printf ("D.%s.EUR.SP00.A", joined);
}

/**
 * sextant_ecb_rates_build_url:
 * @self: a client
 * @currencies: (array zero-terminated=1): ISO codes other than EUR
 * @from_day: the first day (startPeriod), or 0 for the first of the series
 * @to_day: the last day (endPeriod), or 0 for the latest
 *
 * Returns: (transfer full): the request URL, asking for CSV
 */
char *
sextant_ecb_rates_build_url (SextantEcbRates    *self,
                             const char * const *currencies,
                             gint32              from_day,
                             gint32              to_day)
{
  g_autofree char *key = series_key (currencies);
  GString *url = g_string_new (sextant_ecb_rates_get_base_url (self));

  g_string_append_printf (url, "/service/data/EXR/%s?", key);
  if (from_day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (from_day);
      g_string_append_printf (url, "startPeriod=%s&", date);
    }
  if (to_day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (to_day);
      g_string_append_printf (url, "endPeriod=%s&", date);
    }
  g_string_append (url, "format=csvdata");

  return g_string_free (url, FALSE);
}

/* The parsed rows of one currency, before sorting. */
typedef struct
{
  gint32 day;
  double rate;
} Row;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = a, *rb = b;

  return (ra->day > rb->day) - (ra->day < rb->day);
}

enum { COL_CURRENCY, COL_DENOM, COL_PERIOD, COL_VALUE, COL_FREQ, N_COLS };

static gboolean
find_columns (const char  *line,
              gsize        length,
              GString     *scratch,
              int         *columns,
              int         *n_header,
              GError     **error)
{
  static const char *names[N_COLS] = { "CURRENCY", "CURRENCY_DENOM", "TIME_PERIOD", "OBS_VALUE",
                                       "FREQ" };
  SextantCsvField fields[128];
  int n = sextant_csv_split_line (line, length, ',', fields, G_N_ELEMENTS (fields), scratch);

  for (int c = 0; c < N_COLS; c++)
    {
      columns[c] = -1;
      for (int i = 0; i < MIN (n, (int) G_N_ELEMENTS (fields)); i++)
        if (fields[i].length == strlen (names[c]) &&
            memcmp (fields[i].start, names[c], fields[i].length) == 0)
          columns[c] = i;
      if (columns[c] < 0 && c != COL_FREQ)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                       "the CSV header has no %s column (not the ECB's csvdata format?)",
                       names[c]);
          return FALSE;
        }
    }
  *n_header = n;

  return TRUE;
}

static gboolean
field_equals (const SextantCsvField *field,
              const char            *text)
{
  return field->length == strlen (text) && memcmp (field->start, text, field->length) == 0;
}

/* One data row into @by_currency; the line number goes into every message. */
static gboolean
parse_row (const char   *line,
           gsize         length,
           guint         line_number,
           const int    *columns,
           int           n_header,
           GString      *scratch,
           GHashTable   *by_currency,
           GPtrArray    *order,
           GError      **error)
{
  SextantCsvField fields[128];
  int n = sextant_csv_split_line (line, length, ',', fields, G_N_ELEMENTS (fields), scratch);
  g_autofree char *currency = NULL;
  gboolean missing = FALSE;
  GArray *rows;
  Row row;

  if (n < n_header)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u has %d fields where the header has %d (a truncated response?)",
                   line_number, n < 0 ? 0 : n, n_header);
      return FALSE;
    }
  if (!field_equals (&fields[columns[COL_DENOM]], "EUR") ||
      (columns[COL_FREQ] >= 0 && !field_equals (&fields[columns[COL_FREQ]], "D")))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u is not a daily rate against the euro", line_number);
      return FALSE;
    }
  currency = g_strndup (fields[columns[COL_CURRENCY]].start, fields[columns[COL_CURRENCY]].length);
  if (!sextant_csv_parse_date (fields[columns[COL_PERIOD]].start,
                               fields[columns[COL_PERIOD]].length, SEXTANT_DATE_FORMAT_ISO,
                               &row.day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u: TIME_PERIOD “%.*s” is not a YYYY-MM-DD date", line_number,
                   (int) fields[columns[COL_PERIOD]].length, fields[columns[COL_PERIOD]].start);
      return FALSE;
    }
  /* A holiday may come as an empty or NaN value: missing, never zero. */
  if (!sextant_csv_parse_double (fields[columns[COL_VALUE]].start,
                                 fields[columns[COL_VALUE]].length, FALSE, &row.rate, &missing) ||
      (!missing && row.rate <= 0.0))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u: OBS_VALUE “%.*s” for %s is not an exchange rate", line_number,
                   (int) fields[columns[COL_VALUE]].length, fields[columns[COL_VALUE]].start,
                   currency);
      return FALSE;
    }
  if (!sextant_ecb_rates_check_currency (currency, NULL))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                   "line %u: CURRENCY “%s” is not an ISO 4217 code", line_number, currency);
      return FALSE;
    }
  if ((rows = g_hash_table_lookup (by_currency, currency)) == NULL)
    {
      rows = g_array_new (FALSE, FALSE, sizeof (Row));
      g_ptr_array_add (order, g_strdup (currency));
      g_hash_table_insert (by_currency, g_steal_pointer (&currency), rows);
    }
  g_array_append_val (rows, row);

  return TRUE;
}

static SextantFxSeries *
series_from_rows (const char  *currency,
                  GArray      *rows,
                  GError     **error)
{
  g_autoptr(SextantFxSeries) series = sextant_fx_series_new ("EUR", currency);

  sextant_fx_series_set_source (series, "ecb");
  g_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      if (!sextant_fx_series_append (series, row->day, row->rate, error))
        return NULL;
    }

  return g_steal_pointer (&series);
}

/**
 * sextant_ecb_rates_parse_csv:
 * @text: a `format=csvdata` body
 * @length: its length
 * @error: return location for a #SEXTANT_MARKET_ERROR naming the line
 *
 * Reads the columns CURRENCY, CURRENCY_DENOM, TIME_PERIOD and OBS_VALUE (FREQ when present) by
 * their header names. An empty or `NaN` value is a missing rate (NaN), never zero.
 *
 * Returns: (transfer full) (element-type SextantFxSeries): one series per currency, units per
 *   1 EUR, in the order the currencies first appear; empty for a header alone
 */
GPtrArray *
sextant_ecb_rates_parse_csv (const char  *text,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(GHashTable) by_currency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *cursor = text != NULL ? text : "", *end = cursor + length, *line;
  int columns[N_COLS], n_header = 0;
  guint line_number = 0;
  gsize line_length;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_fx_series_unref);
  /* Skip a UTF-8 byte order mark and leading blank lines. */
  if (length >= 3 && memcmp (cursor, "\xEF\xBB\xBF", 3) == 0)
    cursor += 3;
  do
    {
      if (!sextant_csv_next_line (&cursor, end, &line, &line_length))
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_EMPTY,
                       "an empty body where CSV rates were expected");
          return NULL;
        }
      line_number++;
    }
  while (line_length == 0);
  if (!find_columns (line, line_length, scratch, columns, &n_header, error))
    return NULL;

  while (sextant_csv_next_line (&cursor, end, &line, &line_length))
    {
      line_number++;
      if (line_length == 0)
        continue;
      if (!parse_row (line, line_length, line_number, columns, n_header, scratch, by_currency,
                      order, error))
        return NULL;
    }

  for (guint i = 0; i < order->len; i++)
    {
      const char *currency = g_ptr_array_index (order, i);
      SextantFxSeries *series = series_from_rows (currency,
                                                  g_hash_table_lookup (by_currency, currency),
                                                  error);

      if (series == NULL)
        return NULL;
      g_ptr_array_add (result, series);
    }

  return g_steal_pointer (&result);
}

/* A short, printable excerpt of a body for error messages. */
static char *
body_excerpt (GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", MIN (len, 120));

  g_strdelimit (text, "\r\n\t", ' ');

  return g_strstrip (g_steal_pointer (&text));
}

static gboolean
check_response (const SextantMarketResponse  *response,
                GError                      **error)
{
  g_autofree char *excerpt = body_excerpt (response->body);

  switch (response->status)
    {
    case 200:
      break;
    case 404:
      /* The service says 404 both for a key it does not know and for a period with no rows. */
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                   "ECB: no such series for %s (an unknown currency, or no rates in the period; "
                   "HTTP 404: %s)", response->symbol, *excerpt ? excerpt : "(empty body)");
      return FALSE;
    case 400:
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                   "ECB: bad request for %s (HTTP 400: %s)", response->symbol,
                   *excerpt ? excerpt : "(empty body)");
      return FALSE;
    case 429:
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_RATE_LIMITED,
                   "ECB: too many requests (HTTP 429)");
      return FALSE;
    default:
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                   "ECB: HTTP %u for %s: %s", response->status, response->symbol,
                   *excerpt ? excerpt : "(empty body)");
      return FALSE;
    }
  if (sextant_market_response_looks_like_html (response))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_BLOCKED,
                   "ECB: an HTML page came back instead of CSV rates for %s", response->symbol);
      return FALSE;
    }
  if (response->content_type != NULL && strstr (response->content_type, "csv") == NULL &&
      !g_str_has_prefix (response->content_type, "text/"))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CONTENT_TYPE,
                   "ECB: %s instead of CSV for %s", response->content_type, response->symbol);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_ecb_rates_parse_response:
 * @response: an answer of the service, fresh or from the data lake
 * @error: return location for a #SEXTANT_MARKET_ERROR (prefixed `ECB: `)
 *
 * Returns: (transfer full) (element-type SextantFxSeries): the rates, one series per currency
 */
GPtrArray *
sextant_ecb_rates_parse_response (const SextantMarketResponse  *response,
                                  GError                      **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *series;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  if (!check_response (response, error))
    return NULL;
  data = g_bytes_get_data (response->body, &len);
  if ((series = sextant_ecb_rates_parse_csv (data != NULL ? data : "", len, &local_error)) == NULL)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, local_error->code, "ECB: unreadable CSV for %s: %s",
                   response->symbol, local_error->message);
      return NULL;
    }
  for (guint i = 0; i < series->len; i++)
    sextant_fx_series_set_fetched_at (g_ptr_array_index (series, i), response->fetched_at);

  return series;
}

typedef struct
{
  char                  *key;
  gint32                 from_day;
  gint32                 to_day;
  SoupMessage           *message;
  SextantMarketResponse *response;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_free (data->key);
  g_clear_object (&data->message);
  g_clear_pointer (&data->response, sextant_market_response_free);
  g_free (data);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (data->message));
  SoupMessageHeaders *headers;
  const char *content_type;
  GPtrArray *series;

  body = sextant_http_read_body_finish (result, &error);
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
  headers = soup_message_get_response_headers (data->message);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  data->response = sextant_market_response_new ("ecb", "fx", data->key,
                                                soup_message_get_status (data->message),
                                                content_type, body);
  data->response->url = sextant_market_redact_url (uri);
  data->response->from_day = data->from_day;
  data->response->to_day = data->to_day;
  if ((series = sextant_ecb_rates_parse_response (data->response, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, series, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sextant_ecb_rates_fetch_async:
 * @self: a client
 * @currencies: (array zero-terminated=1): ISO 4217 codes other than EUR, at least one
 * @from_day: the first day, or 0
 * @to_day: the last day, or 0 for the latest
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Asks for the daily reference rates of @currencies against the euro, in one request.
 */
void
sextant_ecb_rates_fetch_async (SextantEcbRates     *self,
                               const char * const  *currencies,
                               gint32               from_day,
                               gint32               to_day,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  FetchData *data;

  g_return_if_fail (SEXTANT_IS_ECB_RATES (self));
  g_return_if_fail (currencies != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_ecb_rates_fetch_async);
  if (currencies[0] == NULL)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                               "ECB: no currency asked for");
      return;
    }
  for (guint i = 0; currencies[i] != NULL; i++)
    {
      if (g_strcmp0 (currencies[i], "EUR") == 0)
        g_set_error (&error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
                     "the euro is the base of the ECB's rates: it has no rate of its own");
      if (error != NULL || !sextant_ecb_rates_check_currency (currencies[i], &error))
        {
          g_prefix_error (&error, "ECB: ");
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  data = g_new0 (FetchData, 1);
  data->key = g_strjoinv ("+", (char **) currencies);
  data->from_day = from_day;
  data->to_day = to_day;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  url = sextant_ecb_rates_build_url (self, currencies, from_day, to_day);
  if ((data->message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "ECB: “%s” is not a valid URL", url);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (data->message), "Accept",
                                "text/csv");
  sextant_http_read_body_async (get_session (self), data->message, SEXTANT_HTTP_MAX_BULK_BODY_SIZE,
                                "the answer for the rates", cancellable, fetch_cb,
                                g_steal_pointer (&task));
}

/**
 * sextant_ecb_rates_fetch_finish:
 * @self: a client
 * @result: the result
 * @response: (out) (optional) (nullable) (transfer full): the raw answer, whenever one came,
 *   also with an error (for the data lake)
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * A currency the service does not know is left out of a partly known request; a request of
 * only unknown ones fails with %SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL (HTTP 404).
 *
 * Returns: (transfer full) (element-type SextantFxSeries): units of each currency per 1 EUR
 */
GPtrArray *
sextant_ecb_rates_fetch_finish (SextantEcbRates        *self,
                                GAsyncResult           *result,
                                SextantMarketResponse **response,
                                GError                **error)
{
  FetchData *data;

  g_return_val_if_fail (SEXTANT_IS_ECB_RATES (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (response != NULL)
    *response = data != NULL ? g_steal_pointer (&data->response) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
