#define G_LOG_DOMAIN "sextant-fred-client"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "base/sextant-day.h"
#include "base/sextant-endpoint.h"
#include "base/sextant-log-writer.h"
#include "market/sextant-csv-fields.h"
#include "market/sextant-fred-client.h"
#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"

/* FRED (Federal Reserve Bank of St. Louis) series, from the API with the user's free key:
 * `GET {api}/fred/series/observations?series_id=ID&api_key=KEY&file_type=json
 *  &observation_start=DATE&observation_end=DATE`, or without a key from the graph download:
 * `GET {graph}/graph/fredgraph.csv?id=ID&cosd=DATE&coed=DATE`. Both write a missing value as "."
 * (the CSV lately as an empty field): it is NaN here, never zero.
 *
 * With a cache (sextant_fred_client_set_cache()), every answer is stored with its source and
 * fetch time, and when FRED cannot answer (the network, a server error, the rate limit, a page
 * that is not the data) the stored observations of those days answer instead, with a note that
 * says so. A refused key or an unknown series is not answered from the cache: the user has
 * something to fix. */

#define BASE_URL_VARIABLE "SEXTANT_FRED_BASE_URL"
#define MAX_SERIES_ID 40

struct _SextantFredClient
{
  GObject      parent_instance;
  SoupSession *session;
  char        *api_url;
  char        *graph_url;
  char        *api_key;
  SextantMarketCache *cache;
};

/* What a fetch needs to store its answer or fall back on the cache. */
typedef struct
{
  SoupMessage *message;
  char        *series_id;
  gint32       from_day;
  gint32       to_day;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->message);
  g_free (data->series_id);
  g_free (data);
}

G_DEFINE_FINAL_TYPE (SextantFredClient, sextant_fred_client, G_TYPE_OBJECT)

/**
 * sextant_fred_check_series_id:
 * @series_id: a FRED series id
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: whether it is 1 to 40 letters, digits and underscores, as FRED's ids are
 */
gboolean
sextant_fred_check_series_id (const char  *series_id,
                              GError     **error)
{
  gsize length = series_id != NULL ? strlen (series_id) : 0;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (series_id[i]) && series_id[i] != '_')
      length = 0;
  if (length > 0 && length <= MAX_SERIES_ID)
    return TRUE;
  g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
               "FRED: a series id is letters, digits and underscores such as DGS10, not “%s”",
               series_id != NULL && g_utf8_validate (series_id, -1, NULL) ? series_id : "");
  return FALSE;
}

/**
 * sextant_fred_series_id_is_licensed:
 * @series_id: a FRED series id
 *
 * ICE BofA's index series (ids starting `BAML`, such as the option-adjusted spread
 * `BAMLH0A0HYM2`) are licensed to FRED, not redistributable: Sextant shows them and computes with
 * them, and never exports or bundles the values.
 *
 * Returns: whether @series_id is one of them
 */
gboolean
sextant_fred_series_id_is_licensed (const char *series_id)
{
  return series_id != NULL && g_ascii_strncasecmp (series_id, "BAML", 4) == 0;
}

void
sextant_fred_series_free (SextantFredSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->series_id);
  g_free (series->days);
  g_free (series->values);
  g_free (series->cached_note);
  g_free (series);
}

/**
 * sextant_fred_series_copy:
 * @series: a series
 *
 * Returns: (transfer full): a copy of it
 */
SextantFredSeries *
sextant_fred_series_copy (const SextantFredSeries *series)
{
  SextantFredSeries *copy;

  g_return_val_if_fail (series != NULL, NULL);

  copy = g_new0 (SextantFredSeries, 1);
  *copy = *series;
  copy->series_id = g_strdup (series->series_id);
  copy->days = g_memdup2 (series->days, MAX (series->n, 1) * sizeof (gint32));
  copy->values = g_memdup2 (series->values, MAX (series->n, 1) * sizeof (double));
  copy->cached_note = g_strdup (series->cached_note);
  return copy;
}

static SextantFredSeries *
series_new (const char *series_id,
            gsize       capacity)
{
  SextantFredSeries *series = g_new0 (SextantFredSeries, 1);

  series->series_id = g_ascii_strup (series_id, -1);
  series->days = g_new (gint32, MAX (capacity, 1));
  series->values = g_new (double, MAX (capacity, 1));
  series->licensed = sextant_fred_series_id_is_licensed (series_id);
  return series;
}

/* One observation; @row names it in errors (1-based). "." and "" are missing. */
static gboolean
add_observation (SextantFredSeries  *series,
                 const char         *date,
                 gsize               date_length,
                 const char         *value,
                 gsize               value_length,
                 const char         *where,
                 gsize               row,
                 GError            **error)
{
  g_autofree char *date_text = g_strndup (date, date_length);
  g_autofree char *value_text = g_strstrip (g_strndup (value, value_length));
  gboolean missing = FALSE;
  double number = NAN;
  gint32 day;

  if (!sextant_day_parse_iso (g_strstrip (date_text), &day))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "FRED: %s %s %" G_GSIZE_FORMAT ": “%.20s” is not a date", series->series_id,
                   where, row, date_text);
      return FALSE;
    }
  if (series->n > 0 && day <= series->days[series->n - 1])
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "FRED: %s %s %" G_GSIZE_FORMAT ": %s is not after the date before it",
                   series->series_id, where, row, date_text);
      return FALSE;
    }
  if (strcmp (value_text, ".") != 0 &&
      (!sextant_csv_parse_double (value_text, strlen (value_text), FALSE, &number, &missing) ||
       (!missing && !isfinite (number))))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "FRED: %s %s %" G_GSIZE_FORMAT ": “%.20s” is not a number", series->series_id,
                   where, row, value_text);
      return FALSE;
    }
  series->days[series->n] = day;
  series->values[series->n] = strcmp (value_text, ".") == 0 ? NAN : number;
  series->n++;
  return TRUE;
}

/* The member @name of @object when it is a string, else NULL. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * sextant_fred_parse_json:
 * @series_id: the series asked for
 * @text: the API's answer
 * @length: its length
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full): the observations, or %NULL for an answer not of their shape
 */
SextantFredSeries *
sextant_fred_parse_json (const char  *series_id,
                         const char  *text,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root, *list;
  JsonArray *observations;

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, text, (gssize) length, &local_error))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "FRED: the answer for %s is not JSON", series_id);
      return NULL;
    }
  root = json_parser_get_root (parser);
  list = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
         ? json_object_get_member (json_node_get_object (root), "observations") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "FRED: the answer for %s has no observations list", series_id);
      return NULL;
    }
  observations = json_node_get_array (list);
  series = series_new (series_id, json_array_get_length (observations));
  for (guint i = 0; i < json_array_get_length (observations); i++)
    {
      JsonNode *node = json_array_get_element (observations, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *date = get_string (row, "date"), *value = get_string (row, "value");

      if (date == NULL || value == NULL)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                       "FRED: %s observation %u has no date or value text", series->series_id,
                       i + 1);
          return NULL;
        }
      if (!add_observation (series, date, strlen (date), value, strlen (value), "observation",
                            i + 1, error))
        return NULL;
    }
  return g_steal_pointer (&series);
}

/**
 * sextant_fred_parse_csv:
 * @series_id: the series asked for
 * @text: the graph download (`observation_date,ID` or `DATE,ID`, then one date and value a line)
 * @length: its length
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full): the observations, or %NULL for a file not of that shape
 */
SextantFredSeries *
sextant_fred_parse_csv (const char  *series_id,
                        const char  *text,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *cursor = text, *end = text + length, *line;
  SextantCsvField fields[3];
  gsize line_length, n_lines = 0, row = 1;

  for (gsize i = 0; i < length; i++)
    n_lines += text[i] == '\n';
  if (!sextant_csv_next_line (&cursor, end, &line, &line_length) ||
      sextant_csv_split_line (line, line_length, ',', fields, 3, scratch) != 2 ||
      !(fields[0].length == 4 || fields[0].length == 16) ||
      (g_ascii_strncasecmp (fields[0].start, "DATE", 4) != 0 &&
       g_ascii_strncasecmp (fields[0].start, "observation_date", 16) != 0))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_HEADER,
                   "FRED: the download for %s does not start with observation_date,%s",
                   series_id, series_id);
      return NULL;
    }
  series = series_new (series_id, n_lines + 1);
  while (sextant_csv_next_line (&cursor, end, &line, &line_length))
    {
      row++;
      if (line_length == 0)
        continue;
      if (sextant_csv_split_line (line, line_length, ',', fields, 3, scratch) != 2)
        {
          g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_CSV_ROW,
                       "FRED: %s line %" G_GSIZE_FORMAT ": not a date and a value",
                       series->series_id, row);
          return NULL;
        }
      if (!add_observation (series, fields[0].start, fields[0].length, fields[1].start,
                            fields[1].length, "line", row, error))
        return NULL;
    }
  series->keyless = TRUE;
  return g_steal_pointer (&series);
}

static void
sextant_fred_client_finalize (GObject *object)
{
  SextantFredClient *self = SEXTANT_FRED_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_free (self->api_url);
  g_free (self->graph_url);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  G_OBJECT_CLASS (sextant_fred_client_parent_class)->finalize (object);
}

static void
sextant_fred_client_class_init (SextantFredClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_fred_client_finalize;
}

static void
sextant_fred_client_init (SextantFredClient *self)
{
}

/**
 * sextant_fred_client_new:
 *
 * Returns: (transfer full): a client of FRED's own sites, without a key (the CSV download)
 */
SextantFredClient *
sextant_fred_client_new (void)
{
  return g_object_new (SEXTANT_TYPE_FRED_CLIENT, NULL);
}

/**
 * sextant_fred_client_new_from_environment:
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * A client whose requests, API and download alike, go to `SEXTANT_FRED_BASE_URL` when it is
 * set; a plain http:// address only to this computer unless `SEXTANT_ALLOW_INSECURE_ENDPOINT=1`.
 *
 * Returns: (transfer full): the client, or %NULL for a refused base URL
 */
SextantFredClient *
sextant_fred_client_new_from_environment (GError **error)
{
  const char *url = g_getenv (BASE_URL_VARIABLE);
  SextantFredClient *self;

  if (url != NULL && *url != '\0'
      && !sextant_endpoint_check_transport (url, BASE_URL_VARIABLE, SEXTANT_MARKET_ERROR,
                                            SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, error))
    return NULL;
  self = sextant_fred_client_new ();
  sextant_fred_client_set_base_urls (self, url, url);
  return self;
}

/**
 * sextant_fred_client_new_configured:
 * @secrets: (nullable): the keyring, where the user's FRED key is kept
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * sextant_fred_client_new_from_environment() with the user's key: the keyring's first, then
 * `SEXTANT_FRED_KEY` when the keyring has none or cannot be reached; with neither, the keyless
 * download. The key is registered with the log writer, which redacts it.
 *
 * Returns: (transfer full): the client, or %NULL for a refused base URL
 */
SextantFredClient *
sextant_fred_client_new_configured (SextantSecretStore  *secrets,
                                    GError             **error)
{
  g_autoptr(SextantFredClient) self = sextant_fred_client_new_from_environment (error);
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *key = NULL;
  const char *value;

  if (self == NULL)
    return NULL;
  if (secrets != NULL)
    key = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_FRED_KEY, NULL, &keyring_error);
  if (keyring_error != NULL)
    g_debug ("No keyring for the FRED key: %s", keyring_error->message);
  if (key == NULL && (value = g_getenv ("SEXTANT_FRED_KEY")) != NULL && *value != '\0')
    key = g_strdup (value);
  if (key != NULL)
    sextant_log_writer_register_secret (key);
  sextant_fred_client_set_api_key (self, key);
  return g_steal_pointer (&self);
}

/**
 * sextant_fred_client_has_api_key:
 * @self: a client
 *
 * Returns: whether it asks the API (with a key) rather than the keyless download
 */
gboolean
sextant_fred_client_has_api_key (SextantFredClient *self)
{
  g_return_val_if_fail (SEXTANT_IS_FRED_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

static char *
trim_url (const char *url,
          const char *fallback)
{
  char *copy = g_strdup (url != NULL && *url != '\0' ? url : fallback);

  while (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

/**
 * sextant_fred_client_set_base_urls:
 * @self: a client
 * @api_url: (nullable): where API requests go, or %NULL for FRED's
 * @graph_url: (nullable): where keyless downloads go, or %NULL for FRED's
 */
void
sextant_fred_client_set_base_urls (SextantFredClient *self,
                                   const char        *api_url,
                                   const char        *graph_url)
{
  g_return_if_fail (SEXTANT_IS_FRED_CLIENT (self));

  g_free (self->api_url);
  g_free (self->graph_url);
  self->api_url = trim_url (api_url, SEXTANT_FRED_DEFAULT_API_URL);
  self->graph_url = trim_url (graph_url, SEXTANT_FRED_DEFAULT_GRAPH_URL);
}

/**
 * sextant_fred_client_set_api_key:
 * @self: a client
 * @api_key: (nullable): the user's FRED key (from the keyring), or %NULL for the keyless download
 */
void
sextant_fred_client_set_api_key (SextantFredClient *self,
                                 const char        *api_key)
{
  g_return_if_fail (SEXTANT_IS_FRED_CLIENT (self));

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  self->api_key = api_key != NULL && *api_key != '\0' ? g_strdup (api_key) : NULL;
}

void
sextant_fred_client_set_session (SextantFredClient *self,
                                 SoupSession       *session)
{
  g_return_if_fail (SEXTANT_IS_FRED_CLIENT (self));

  g_set_object (&self->session, session);
}

/**
 * sextant_fred_client_set_cache:
 * @self: a client
 * @cache: (nullable): where answers are stored, and read back when FRED cannot answer
 */
void
sextant_fred_client_set_cache (SextantFredClient  *self,
                               SextantMarketCache *cache)
{
  g_return_if_fail (SEXTANT_IS_FRED_CLIENT (self));
  g_return_if_fail (cache == NULL || SEXTANT_IS_MARKET_CACHE (cache));

  g_set_object (&self->cache, cache);
}

/* Whether FRED failed to answer in a way the cache may stand in for: not a refused key or an
 * unknown series, which the user must hear about, nor a cancellation. */
static gboolean
cache_may_answer (const GError *error)
{
  if (error == NULL || error->domain != SEXTANT_MARKET_ERROR)
    return FALSE;
  switch (error->code)
    {
    case SEXTANT_MARKET_ERROR_NETWORK:
    case SEXTANT_MARKET_ERROR_HTTP:
    case SEXTANT_MARKET_ERROR_RATE_LIMITED:
    case SEXTANT_MARKET_ERROR_BLOCKED:
    case SEXTANT_MARKET_ERROR_TOO_LARGE:
    case SEXTANT_MARKET_ERROR_PARSE:
    case SEXTANT_MARKET_ERROR_CSV_HEADER:
    case SEXTANT_MARKET_ERROR_CSV_ROW:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
store_answer (SextantFredClient *self,
              FetchData         *data,
              SextantFredSeries *series)
{
  g_autoptr(GError) error = NULL;

  series->fetched_at = g_get_real_time () / G_USEC_PER_SEC;
  if (self->cache != NULL &&
      !sextant_market_cache_put_series (self->cache, "fred", series->series_id,
                                        series->keyless ? "fred-csv" : "fred", series->licensed,
                                        data->from_day, data->to_day, series->days,
                                        series->values, series->n, series->fetched_at, &error))
    g_warning ("FRED %s could not be cached: %s", series->series_id, error->message);
}

/**
 * sextant_fred_series_load_cached:
 * @cache: a cache
 * @series_id: a FRED series id
 * @from_day: the first day wanted
 * @to_day: the last day wanted
 * @reason: (nullable): why FRED itself is not asked or did not answer, for the note
 * @error: return location for a storage error
 *
 * The observations of those days a FRED client stored, with cached_note set (“as of DATE,
 * cached (fetched …)”), so they are never shown as fresh.
 *
 * Returns: (transfer full) (nullable): the series, or %NULL when none of those days is stored
 *   (@error unset) or the store failed
 */
SextantFredSeries *
sextant_fred_series_load_cached (SextantMarketCache  *cache,
                                 const char          *series_id,
                                 gint32               from_day,
                                 gint32               to_day,
                                 const char          *reason,
                                 GError             **error)
{
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) values = NULL;
  g_autofree char *source = NULL;
  g_autofree char *upper = NULL;
  SextantFredSeries *series;
  gint64 fetched_at = 0;

  g_return_val_if_fail (SEXTANT_IS_MARKET_CACHE (cache), NULL);
  g_return_val_if_fail (series_id != NULL, NULL);

  upper = g_ascii_strup (series_id, -1);
  if (!sextant_market_cache_get_series (cache, "fred", upper, from_day, to_day, &days, &values,
                                        &source, &fetched_at, error))
    return NULL;
  if (days->len == 0)
    return NULL;
  series = series_new (upper, days->len);
  memcpy (series->days, days->data, days->len * sizeof (gint32));
  memcpy (series->values, values->data, days->len * sizeof (double));
  series->n = days->len;
  series->keyless = g_strcmp0 (source, "fred-csv") == 0;
  series->fetched_at = fetched_at;
  series->cached_note = sextant_market_cache_describe_cached (series->days[series->n - 1],
                                                              fetched_at, reason);
  return series;
}

/* The cached observations of the days asked for, with the note saying why and as of when; NULL
 * when the cache has none of them. */
static SextantFredSeries *
answer_from_cache (SextantFredClient *self,
                   FetchData         *data,
                   const GError      *why)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  SextantFredSeries *series;

  if (self->cache == NULL || !cache_may_answer (why))
    return NULL;
  reason = sextant_log_writer_redact (why->message);
  series = sextant_fred_series_load_cached (self->cache, data->series_id, data->from_day,
                                            data->to_day, reason, &error);
  if (error != NULL)
    g_warning ("The cached FRED %s could not be read: %s", data->series_id, error->message);
  return series;
}

static void
return_failure (GTask  *task,
                GError *error)
{
  SextantFredClient *self = g_task_get_source_object (task);
  SextantFredSeries *cached = answer_from_cache (self, g_task_get_task_data (task), error);

  if (cached != NULL)
    {
      g_debug ("FRED %s answered from the cache: %s", cached->series_id, cached->cached_note);
      g_error_free (error);
      g_task_return_pointer (task, cached, (GDestroyNotify) sextant_fred_series_free);
    }
  else
    g_task_return_error (task, error);
}

static char *
build_url (SextantFredClient *self,
           const char        *series_id,
           gint32             from_day,
           gint32             to_day)
{
  g_autofree char *from = sextant_day_format_iso (from_day);
  g_autofree char *to = sextant_day_format_iso (to_day);
  g_autofree char *escaped_key = NULL;

  if (self->api_url == NULL)
    sextant_fred_client_set_base_urls (self, NULL, NULL);
  if (self->api_key == NULL)
    return g_strdup_printf ("%s/graph/fredgraph.csv?id=%s&cosd=%s&coed=%s", self->graph_url,
                            series_id, from, to);
  escaped_key = g_uri_escape_string (self->api_key, NULL, FALSE);
  return g_strdup_printf ("%s/fred/series/observations?series_id=%s&api_key=%s&file_type=json"
                          "&observation_start=%s&observation_end=%s", self->api_url, series_id,
                          escaped_key, from, to);
}

/* The API's `{"error_code": 400, "error_message": "…"}`, for the message of a failure. */
static char *
dup_api_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;
  const char *message;

  if (length == 0 || length > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  message = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
            ? get_string (json_node_get_object (root), "error_message") : NULL;
  return message != NULL && g_utf8_validate (message, -1, NULL) ? g_strndup (message, 200) : NULL;
}

static GError *
error_for_status (SextantFredClient *self,
                  const char        *series_id,
                  guint              status,
                  GBytes            *body)
{
  g_autofree char *message = dup_api_message (body);
  const char *said = message != NULL ? message : "";
  int code;

  if (status == 429)
    code = SEXTANT_MARKET_ERROR_RATE_LIMITED;
  else if (strstr (said, "api_key") != NULL || status == 401 || status == 403)
    code = SEXTANT_MARKET_ERROR_AUTH;
  else if (status == 404 || strstr (said, "does not exist") != NULL)
    code = SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL;
  else
    code = SEXTANT_MARKET_ERROR_HTTP;
  /* The key never goes into a message, even if an answer should quote it. */
  if (self->api_key != NULL && message != NULL && strstr (message, self->api_key) != NULL)
    said = "";
  switch (code)
    {
    case SEXTANT_MARKET_ERROR_RATE_LIMITED:
      return g_error_new (SEXTANT_MARKET_ERROR, code, "FRED: rate limit reached (HTTP 429) for %s",
                          series_id);
    case SEXTANT_MARKET_ERROR_AUTH:
      return g_error_new (SEXTANT_MARKET_ERROR, code, "FRED: the API key was refused (HTTP %u%s%s)",
                          status, *said != '\0' ? ": " : "", said);
    case SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL:
      return g_error_new (SEXTANT_MARKET_ERROR, code, "FRED: no series %s (HTTP %u)", series_id,
                          status);
    default:
      return g_error_new (SEXTANT_MARKET_ERROR, code, "FRED: HTTP %u for %s%s%s", status,
                          series_id, *said != '\0' ? ": " : "", said);
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantFredClient *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  const char *series_id = data->series_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = sextant_http_read_body_finish (result, &error);
  SextantFredSeries *series;
  guint status;
  gsize length = 0;
  const char *text;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE))
        return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE,
                                           "FRED: %s", error->message));
      else
        return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK,
                                           "FRED: cannot reach %s for %s: %s",
                                           self->api_key != NULL ? self->api_url : self->graph_url,
                                           series_id, error->message));
      return;
    }
  status = soup_message_get_status (data->message);
  text = g_bytes_get_data (body, &length);
  if (status != 200)
    {
      return_failure (task, error_for_status (self, series_id, status, body));
      return;
    }
  if (length > 0 && text[0] == '<')
    {
      return_failure (task, g_error_new (SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_BLOCKED,
                                         "FRED: an HTML page came back instead of the data for %s",
                                         series_id));
      return;
    }
  series = self->api_key != NULL ? sextant_fred_parse_json (series_id, text, length, &error)
                                 : sextant_fred_parse_csv (series_id, text, length, &error);
  if (series == NULL)
    {
      return_failure (task, g_steal_pointer (&error));
      return;
    }
  store_answer (self, data, series);
  g_task_return_pointer (task, series, (GDestroyNotify) sextant_fred_series_free);
}

/**
 * sextant_fred_client_fetch_async:
 * @self: a client
 * @series_id: a FRED series, such as `DGS10` or `BAMLH0A0HYM2`
 * @from_day: the first day wanted
 * @to_day: the last day wanted
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Asks the API when the client has a key, else the keyless CSV download. With a cache, the
 * answer is stored, and the cache answers when FRED cannot (the series' cached_note says so).
 */
void
sextant_fred_client_fetch_async (SextantFredClient  *self,
                                 const char         *series_id,
                                 gint32              from_day,
                                 gint32              to_day,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *what = NULL;
  SoupMessage *message;
  FetchData *data;

  g_return_if_fail (SEXTANT_IS_FRED_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_fred_client_fetch_async);
  if (!sextant_fred_check_series_id (series_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (from_day > to_day)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                               "FRED: the first day asked for %s is after the last", series_id);
      return;
    }
  /* FRED's ids are upper case; "dgs10" is DGS10. */
  upper = g_ascii_strup (series_id, -1);
  url = build_url (self, upper, from_day, to_day);
  if ((message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    {
      g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_HTTP,
                               "FRED: the base URL does not make a URL");
      return;
    }
  what = g_strdup_printf ("the answer for %s", upper);
  data = g_new0 (FetchData, 1);
  data->message = message;
  data->series_id = g_steal_pointer (&upper);
  data->from_day = from_day;
  data->to_day = to_day;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 30,
                                                   "user-agent", "Sextant/" PACKAGE_VERSION, NULL);
  sextant_http_read_body_async (self->session, message, SEXTANT_HTTP_MAX_BODY_SIZE, what,
                                cancellable, fetch_cb, g_steal_pointer (&task));
}

/**
 * sextant_fred_client_fetch_finish:
 * @self: a client
 * @result: the result
 * @error: return location for a #SEXTANT_MARKET_ERROR
 *
 * Returns: (transfer full): the series, missing values NaN
 */
SextantFredSeries *
sextant_fred_client_fetch_finish (SextantFredClient  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
