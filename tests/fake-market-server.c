#define G_LOG_DOMAIN "fake-market-server"

#include "config.h"

#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

typedef struct
{
  guint   status;
  char   *content_type;
  GBytes *body;
} Reply;

typedef struct
{
  char   *path;
  char   *query_contains;
  GQueue  replies;
} Route;

struct _FakeMarketServer
{
  SoupServer *server;
  char       *base_url;
  GPtrArray  *routes;
  GHashTable *counts;
  char       *last_query;
  GHashTable *last_queries;     /* path → its last query */
  SoupMessageHeaders *last_headers;
  char       *ecb_csv;
  FakeEcbFault ecb_fault;
};

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_bytes_unref (reply->body);
  g_free (reply);
}

static void
route_free (Route *route)
{
  g_free (route->path);
  g_free (route->query_contains);
  g_queue_clear_full (&route->replies, (GDestroyNotify) reply_free);
  g_free (route);
}

static Route *
find_route (FakeMarketServer *self,
            const char       *path,
            const char       *query)
{
  Route *generic = NULL;

  /* A route that names part of the query wins over one for the whole path. */
  for (guint i = 0; i < self->routes->len; i++)
    {
      Route *route = g_ptr_array_index (self->routes, i);

      if (g_strcmp0 (route->path, path) != 0)
        continue;
      if (route->query_contains == NULL)
        generic = generic != NULL ? generic : route;
      else if (query != NULL && strstr (query, route->query_contains) != NULL)
        return route;
    }

  return generic;
}

static void
count_request (FakeMarketServer *self,
               const char       *path)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path));

  g_hash_table_replace (self->counts, g_strdup (path), GUINT_TO_POINTER (n + 1));
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, "*"));
  g_hash_table_replace (self->counts, g_strdup ("*"), GUINT_TO_POINTER (n + 1));
}

/* Replies are consumed in order; the last one stays and answers every later request, so that
 * "429 then 200" is two pushes and "always 200" is one. */
static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FakeMarketServer *self = user_data;
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  Route *route = find_route (self, path, raw_query);
  Reply *reply;

  count_request (self, path);
  g_free (self->last_query);
  self->last_query = g_strdup (raw_query);
  g_hash_table_replace (self->last_queries, g_strdup (path), g_strdup (raw_query));
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));

  if (route == NULL || g_queue_is_empty (&route->replies))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  reply = g_queue_get_length (&route->replies) > 1 ? g_queue_pop_head (&route->replies)
                                                   : g_queue_peek_head (&route->replies);
  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->content_type != NULL)
    soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (reply->body, NULL),
                                      g_bytes_get_size (reply->body));
  if (g_queue_peek_head (&route->replies) != reply)
    reply_free (reply);
}

FakeMarketServer *
fake_market_server_new (void)
{
  FakeMarketServer *self = g_new0 (FakeMarketServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new (NULL, NULL);
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
fake_market_server_free (FakeMarketServer *self)
{
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_ptr_array_unref (self->routes);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->last_queries);
  g_free (self->base_url);
  g_free (self->last_query);
  g_free (self->ecb_csv);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (self);
}

const char *
fake_market_server_get_base_url (FakeMarketServer *self)
{
  return self->base_url;
}

void
fake_market_server_push_body (FakeMarketServer *self,
                              const char       *path,
                              const char       *query_contains,
                              guint             status,
                              const char       *content_type,
                              const char       *body)
{
  Route *route = NULL;
  Reply *reply = g_new0 (Reply, 1);

  for (guint i = 0; i < self->routes->len && route == NULL; i++)
    {
      Route *r = g_ptr_array_index (self->routes, i);

      if (g_strcmp0 (r->path, path) == 0 && g_strcmp0 (r->query_contains, query_contains) == 0)
        route = r;
    }
  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->path = g_strdup (path);
      route->query_contains = g_strdup (query_contains);
      g_ptr_array_add (self->routes, route);
    }

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_bytes_new (body, strlen (body));
  g_queue_push_tail (&route->replies, reply);
}

static void
remember_request (FakeMarketServer  *self,
                  SoupServerMessage *msg,
                  const char        *path)
{
  count_request (self, path);
  g_free (self->last_query);
  self->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  g_hash_table_replace (self->last_queries, g_strdup (path), g_strdup (self->last_query));
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
}

static void
ecb_reply (SoupServerMessage *msg,
           guint              status,
           const char        *content_type,
           const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* The key `D.USD+GBP.EUR.SP00.A` into its currencies, or NULL when it is not a daily euro
 * reference-rate key. */
static char **
ecb_key_currencies (const char *path)
{
  const char *key = path + strlen ("/service/data/EXR/");
  g_auto(GStrv) parts = NULL;

  if (!g_str_has_prefix (path, "/service/data/EXR/"))
    return NULL;
  parts = g_strsplit (key, ".", -1);
  if (g_strv_length (parts) != 5 || g_strcmp0 (parts[0], "D") != 0 || *parts[1] == '\0' ||
      g_strcmp0 (parts[2], "EUR") != 0 || g_strcmp0 (parts[3], "SP00") != 0 ||
      g_strcmp0 (parts[4], "A") != 0)
    return NULL;

  return g_strsplit (parts[1], "+", -1);
}

/* The fixture's rows for @currencies within [@start, @end] (ISO dates compare as text). */
static GString *
ecb_select_rows (FakeMarketServer *self,
                 char            **currencies,
                 const char       *start,
                 const char       *end,
                 guint            *n_rows)
{
  g_auto(GStrv) lines = g_strsplit (self->ecb_csv, "\n", -1);
  GString *csv = g_string_new (lines[0]);

  g_string_append_c (csv, '\n');
  *n_rows = 0;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 9);

      /* The first eight columns hold no quotes: CURRENCY is 2, TIME_PERIOD 6, OBS_VALUE 7. */
      if (g_strv_length (fields) < 9 ||
          !g_strv_contains ((const char * const *) currencies, fields[2]) ||
          (start != NULL && strcmp (fields[6], start) < 0) ||
          (end != NULL && strcmp (fields[6], end) > 0))
        continue;
      if (self->ecb_fault == FAKE_ECB_EMPTY_VALUES)
        g_string_append_printf (csv, "%s,%s,%s,%s,%s,%s,%s,,%s\n", fields[0], fields[1],
                                fields[2], fields[3], fields[4], fields[5], fields[6], fields[8]);
      else
        g_string_append_printf (csv, "%s\n", lines[i]);
      (*n_rows)++;
    }

  return csv;
}

static void
ecb_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeMarketServer *self = user_data;
  g_auto(GStrv) currencies = ecb_key_currencies (path);
  g_autoptr(GString) csv = NULL;
  guint n_rows = 0;

  remember_request (self, msg, path);
  if (self->ecb_fault == FAKE_ECB_SERVER_ERROR)
    {
      ecb_reply (msg, 500, "text/plain", "Internal Server Error");
      return;
    }
  if (currencies == NULL || query == NULL ||
      g_strcmp0 (g_hash_table_lookup (query, "format"), "csvdata") != 0)
    {
      ecb_reply (msg, 400, "text/plain", "Bad request");
      return;
    }
  csv = ecb_select_rows (self, currencies, g_hash_table_lookup (query, "startPeriod"),
                         g_hash_table_lookup (query, "endPeriod"), &n_rows);
  if (self->ecb_fault == FAKE_ECB_NOT_FOUND || n_rows == 0)
    {
      ecb_reply (msg, 404, "text/plain", "No results found.");
      return;
    }
  /* A connection cut in the middle of a row. */
  if (self->ecb_fault == FAKE_ECB_TRUNCATED)
    g_string_truncate (csv, csv->len - 60);
  ecb_reply (msg, 200, "text/csv", csv->str);
}

void
fake_market_server_serve_ecb (FakeMarketServer *self,
                              const char       *fixture)
{
  g_autofree char *relative = g_build_filename ("market-apis", fixture, NULL);
  g_autofree char *file = sextant_test_reference_path (relative);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->ecb_csv, g_free);
  g_file_get_contents (file, &self->ecb_csv, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (self->ecb_csv);
  soup_server_add_handler (self->server, "/service/data/EXR", ecb_handler_cb, self, NULL);
}

void
fake_market_server_set_ecb_fault (FakeMarketServer *self,
                                  FakeEcbFault      fault)
{
  self->ecb_fault = fault;
}

/* @fixture names a file of tests/data/market-apis/. */
void
fake_market_server_push (FakeMarketServer *self,
                         const char       *path,
                         const char       *query_contains,
                         guint             status,
                         const char       *content_type,
                         const char       *fixture)
{
  g_autofree char *relative = g_build_filename ("market-apis", fixture, NULL);
  g_autofree char *file = sextant_test_reference_path (relative);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (file, &body, NULL, &error);
  g_assert_no_error (error);
  fake_market_server_push_body (self, path, query_contains, status, content_type, body);
}

guint
fake_market_server_get_count (FakeMarketServer *self,
                              const char       *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path != NULL ? path : "*"));
}

const char *
fake_market_server_get_last_query (FakeMarketServer *self)
{
  return self->last_query;
}

/* The query of the last request to @path, when requests to several paths run at once. */
const char *
fake_market_server_get_last_query_for (FakeMarketServer *self,
                                       const char       *path)
{
  return g_hash_table_lookup (self->last_queries, path);
}

const char *
fake_market_server_get_last_header (FakeMarketServer *self,
                                    const char       *name)
{
  return self->last_headers != NULL ? soup_message_headers_get_one (self->last_headers, name)
                                    : NULL;
}

/* Without "proxy-resolver" NULL a session would send 127.0.0.1 through http_proxy. */
SoupSession *
fake_market_session_new (void)
{
  return soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 10, NULL);
}

/* A port that was open a moment ago and is closed now: connection refused, "network down". */
guint
fake_market_closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_socket_close (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

SextantQuote *
fake_market_fetch_quote (SextantMarketProvider  *provider,
                         const char             *symbol,
                         SextantMarketResponse **response,
                         GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_provider_fetch_quote_async (provider, symbol, NULL, store_result_cb, &result);
  wait_for (&result);

  return sextant_market_provider_fetch_quote_finish (provider, result, response, error);
}

SextantPriceSeries *
fake_market_fetch_daily (SextantMarketProvider  *provider,
                         const char             *symbol,
                         gint32                  from_day,
                         gint32                  to_day,
                         SextantMarketResponse **response,
                         GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_provider_fetch_daily_async (provider, symbol, from_day, to_day, NULL,
                                             store_result_cb, &result);
  wait_for (&result);

  return sextant_market_provider_fetch_daily_finish (provider, result, response, error);
}

GPtrArray *
fake_market_search (SextantMarketProvider  *provider,
                    const char             *query,
                    SextantMarketResponse **response,
                    GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_market_provider_search_async (provider, query, NULL, store_result_cb, &result);
  wait_for (&result);

  return sextant_market_provider_search_finish (provider, result, response, error);
}

/* The US Treasury's daily par yield curve: `/resource-center/data-chart-center/interest-rates/
 * daily-treasury-rates.csv/{year}/all?type=daily_treasury_yield_curve&…&_format=csv` answers
 * the fixture (tests/data/rates/, the Treasury's CSV shape) for the year its rows are in, and
 * 404 for any other year; a request without the curve's `type` is a 400. */
#define TREASURY_PATH "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/"

static void
treasury_handler_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  FakeMarketServer *self = user_data;
  const char *csv = g_object_get_data (G_OBJECT (server), "treasury-csv");
  const char *year = g_object_get_data (G_OBJECT (server), "treasury-year");
  g_autofree char *wanted = g_strdup_printf (TREASURY_PATH "%s/all", year);

  count_request (self, TREASURY_PATH);
  if (query == NULL
      || g_strcmp0 (g_hash_table_lookup (query, "type"), "daily_treasury_yield_curve") != 0)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  if (g_strcmp0 (path, wanted) != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><body>Page not found</body></html>", 40);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY, csv, strlen (csv));
}

/* @fixture names a file of tests/data/ (e.g. "rates/treasury_par_2025-02.csv"); @year the
 * year its rows are in. */
void
fake_market_server_serve_treasury (FakeMarketServer *self,
                                   const char       *fixture,
                                   int               year)
{
  g_autofree char *file = sextant_test_reference_path (fixture);
  g_autoptr(GError) error = NULL;
  char *csv = NULL;

  g_file_get_contents (file, &csv, NULL, &error);
  g_assert_no_error (error);
  g_object_set_data_full (G_OBJECT (self->server), "treasury-csv", csv, g_free);
  g_object_set_data_full (G_OBJECT (self->server), "treasury-year", g_strdup_printf ("%d", year),
                          g_free);
  soup_server_add_handler (self->server, TREASURY_PATH, treasury_handler_cb, self, NULL);
}

/* The ECB Data Portal's yield curves, `/service/data/YC/{key}?startPeriod=…&endPeriod=…`: the
 * fixture's rows (tests/data/rates/, the service's csvdata layout) within the period, or the
 * service's 404 "No results found." when none is. */
static void
ecb_curve_handler_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  FakeMarketServer *self = user_data;
  const char *csv = g_object_get_data (G_OBJECT (server), "ecb-curve-csv");
  const char *from = query != NULL ? g_hash_table_lookup (query, "startPeriod") : NULL;
  const char *to = query != NULL ? g_hash_table_lookup (query, "endPeriod") : NULL;
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autoptr(GString) out = g_string_new (lines[0]);
  guint rows = 0;

  count_request (self, "/service/data/YC");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 10);

      if (g_strv_length (fields) < 10
          || (from != NULL && strcmp (fields[8], from) < 0)
          || (to != NULL && strcmp (fields[8], to) > 0))
        continue;
      g_string_append_printf (out, "\n%s", lines[i]);
      rows++;
    }
  if (rows == 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "No results found.", 17);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/csv", SOUP_MEMORY_COPY, out->str, out->len);
}

/* @fixture names a file of tests/data/ (e.g. "rates/ecb_yc_aaa_synthetic.csv"). */
void
fake_market_server_serve_ecb_curve (FakeMarketServer *self,
                                    const char       *fixture)
{
  g_autofree char *file = sextant_test_reference_path (fixture);
  g_autoptr(GError) error = NULL;
  char *csv = NULL;

  g_file_get_contents (file, &csv, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (csv);
  g_object_set_data_full (G_OBJECT (self->server), "ecb-curve-csv", csv, g_free);
  soup_server_add_handler (self->server, "/service/data/YC", ecb_curve_handler_cb, self, NULL);
}
