#define G_LOG_DOMAIN "test-rate-series-cache"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* Rates and credit series kept in the store (issue 17, migration 17): FRED's and €STR's answers
 * stored with their source and fetch time, read back with an "as of …, cached" note when the
 * provider fails, missing days kept missing, ICE BofA's series left out of backups; and the
 * FRED key taken from the keyring by every caller. Fixtures: tests/data/market-apis/fred and
 * estr (README.md there); the expected values are the fixtures' own, read here. */

/* A made-up key of FRED's shape for the keyring, and another for the environment behind it;
 * both listed in leak-check-keys.txt. */
#define KEYRING_FRED_KEY "fredkeyringkey0123456789abcdefgh"
#define ENV_FRED_KEY "fredenvkey0123456789abcdefghijkl"
#define BACKUP_PASSPHRASE_KEY "rate-series-backup-passphrase"
#define GRAPH "/graph/fredgraph.csv"
#define OBSERVATIONS "/fred/series/observations"
#define ESTR_PATH "/service/data/EST/B.EU000A2X2A25.WT"

static const char *cli_path;

typedef struct
{
  FakeMarketServer   *server;
  SoupSession        *session;
  char               *dir;
  char               *db_path;
  SextantStore       *store;
  SextantMarketCache *cache;
  SextantFredClient  *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = fake_market_server_new ();
  f->session = fake_market_session_new ();
  f->dir = sextant_test_make_temp_dir ();
  f->db_path = g_build_filename (f->dir, "sextant.db", NULL);
  f->store = sextant_schema_open (f->db_path, &error);
  g_assert_no_error (error);
  f->cache = sextant_market_cache_new (f->store);
  f->client = sextant_fred_client_new ();
  sextant_fred_client_set_base_urls (f->client, fake_market_server_get_base_url (f->server),
                                     fake_market_server_get_base_url (f->server));
  sextant_fred_client_set_session (f->client, f->session);
  sextant_fred_client_set_cache (f->client, f->cache);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->cache);
  g_clear_object (&f->store);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  fake_market_server_free (f->server);
  sextant_test_remove_temp_dir (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gint32
day_of (const char *iso)
{
  gint32 day = 0;

  g_assert_true (sextant_day_parse_iso (iso, &day));
  return day;
}

static SextantFredSeries *
fetch (Fixture     *f,
       const char  *series_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_fred_client_fetch_async (f->client, series_id, day_of ("2025-02-10"), day_of ("2025-02-28"),
                                   NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sextant_fred_client_fetch_finish (f->client, result, error);
}

static gint64
count_rows (Fixture    *f,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM rate_series WHERE %s", where);
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (f->store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
assert_same_series (const SextantFredSeries *a,
                    const SextantFredSeries *b)
{
  g_assert_cmpstr (a->series_id, ==, b->series_id);
  g_assert_cmpuint (a->n, ==, b->n);
  for (gsize i = 0; i < a->n; i++)
    {
      g_assert_cmpint (a->days[i], ==, b->days[i]);
      /* Missing stays missing; a number comes back bit for bit. */
      g_assert_cmpint (isnan (a->values[i]), ==, isnan (b->values[i]));
      if (!isnan (a->values[i]))
        g_assert_cmpfloat (a->values[i], ==, b->values[i]);
    }
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("expected “%s” in “%s”", part, text != NULL ? text : "(null)");
}

/* A fetch stores every observation with its source and fetch time; the holiday of 17 February,
 * an empty field in FRED's download, is a NULL row, never 0. */
static void
test_fred_stored (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gsize row = 0;

  fake_market_server_push (f->server, GRAPH, "id=DGS10&", 200, "text/csv", "fred/dgs10_graph.csv");
  series = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  g_assert_null (series->cached_note);
  g_assert_cmpint (series->fetched_at, >=, before);
  g_assert_cmpuint (series->n, ==, 15);

  stmt = sextant_store_prepare (f->store, "SELECT provider, series, day, value, source, fetched_at, licensed "
                                "FROM rate_series ORDER BY day", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpuint (row, <, series->n);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "fred");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "DGS10");
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, series->days[row]);
      if (series->days[row] == day_of ("2025-02-17"))
        g_assert_cmpint (sqlite3_column_type (stmt, 3), ==, SQLITE_NULL);
      else
        g_assert_cmpfloat (sqlite3_column_double (stmt, 3), ==, series->values[row]);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, "fred-csv");
      g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==, series->fetched_at);
      g_assert_cmpint (sqlite3_column_int (stmt, 6), ==, 0);
      row++;
    }
  g_assert_cmpuint (row, ==, series->n);
  g_assert_cmpint (count_rows (f, "value IS NULL"), ==, 1);
  g_assert_cmpint (count_rows (f, "value = 0"), ==, 0);

  /* ICE BofA's spreads are stored too, marked licensed. */
  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");
  g_clear_pointer (&series, sextant_fred_series_free);
  series = fetch (f, "BAMLH0A0HYM2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "series = 'BAMLH0A0HYM2' AND licensed = 1"), ==, (gint64) series->n);
  g_assert_cmpint (count_rows (f, "licensed = 1 AND series <> 'BAMLH0A0HYM2'"), ==, 0);
}

/* FRED failing (a server error, a closed port) is answered from the cache, with the note; a
 * refused key or an unknown series is not; nor a series never fetched. */
static void
test_fred_fallback (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SextantFredSeries) fresh = NULL;
  g_autoptr(SextantFredSeries) cached = NULL;
  g_autoptr(SextantFredSeries) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());

  /* The first answer is the data, every later one a server error. */
  fake_market_server_push (f->server, GRAPH, "id=DGS10&", 200, "text/csv", "fred/dgs10_graph.csv");
  fake_market_server_push_body (f->server, GRAPH, "id=DGS10&", 500, "text/html", "<html>Internal Server Error</html>");
  fresh = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  g_assert_null (fresh->cached_note);

  cached = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, GRAPH), ==, 2);
  assert_contains (cached->cached_note, "as of 2025-02-28, cached");
  assert_contains (cached->cached_note, "HTTP 500");
  g_assert_true (cached->keyless);
  g_assert_cmpint (cached->fetched_at, ==, fresh->fetched_at);
  assert_same_series (cached, fresh);
  g_assert_true (isnan (cached->values[5]) && cached->days[5] == day_of ("2025-02-17"));

  /* Unreachable. */
  g_clear_pointer (&cached, sextant_fred_series_free);
  sextant_fred_client_set_base_urls (f->client, closed, closed);
  cached = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  assert_contains (cached->cached_note, "as of 2025-02-28, cached");
  assert_contains (cached->cached_note, "cannot reach");
  assert_same_series (cached, fresh);

  /* Nothing cached for this series: the failure itself. */
  none = fetch (f, "DGS2", &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NETWORK);
  g_clear_error (&error);

  /* A refused key and an unknown series are the user's to fix, never hidden behind the cache. */
  sextant_fred_client_set_base_urls (f->client, fake_market_server_get_base_url (f->server),
                                     fake_market_server_get_base_url (f->server));
  sextant_fred_client_set_api_key (f->client, ENV_FRED_KEY);
  fake_market_server_push (f->server, OBSERVATIONS, "id=DGS10&", 400, "application/json", "fred/error_bad_key.json");
  none = fetch (f, "DGS10", &error);
  g_assert_null (none);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_AUTH);
  g_clear_error (&error);
  sextant_fred_client_set_api_key (f->client, NULL);
  g_assert_cmpint (count_rows (f, "series = 'DGS10'"), ==, 15);
}

/* A later answer replaces the stored days of its window: a day FRED no longer publishes goes. */
static void
test_fred_replaces_window (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SextantFredSeries) first = NULL;
  g_autoptr(SextantFredSeries) second = NULL;
  g_autoptr(GError) error = NULL;

  fake_market_server_push (f->server, GRAPH, "id=DGS10&", 200, "text/csv", "fred/dgs10_graph.csv");
  fake_market_server_push_body (f->server, GRAPH, "id=DGS10&", 200, "text/csv",
                                "observation_date,DGS10\n2025-02-10,4.49\n2025-02-11,\n");
  first = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  second = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "series = 'DGS10'"), ==, 2);
  g_assert_cmpint (count_rows (f, "series = 'DGS10' AND value = 4.49"), ==, 1);
  g_assert_cmpint (count_rows (f, "series = 'DGS10' AND value IS NULL"), ==, 1);
}

static SextantEstrRates *
fetch_estr (Fixture     *f,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sextant_estr_fetch_cached_async (f->session, fake_market_server_get_base_url (f->server), f->cache,
                                   day_of ("2025-02-10"), day_of ("2025-02-28"), NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sextant_estr_fetch_finish (result, error);
}

/* €STR: stored under provider ecb, read back with the note when the ECB answers 503; the empty
 * value of 19 February stays missing. "No rate in those days" (404) is not hidden. */
static void
test_estr (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SextantEstrRates) fresh = NULL;
  g_autoptr(SextantEstrRates) cached = NULL;
  g_autoptr(GError) error = NULL;

  fake_market_server_push (f->server, ESTR_PATH, "startPeriod=2025-02-10", 200, "text/csv", "estr/estr_synthetic.csv");
  fake_market_server_push_body (f->server, ESTR_PATH, "startPeriod=2025-02-10", 503, "text/plain", "Service Unavailable");
  fresh = fetch_estr (f, &error);
  g_assert_no_error (error);
  g_assert_null (fresh->cached_note);
  g_assert_cmpint (count_rows (f, "provider = 'ecb' AND source = 'ecb'"), ==, (gint64) fresh->n);
  g_assert_cmpint (count_rows (f, "provider = 'ecb' AND value IS NULL"), ==, 1);

  cached = fetch_estr (f, &error);
  g_assert_no_error (error);
  assert_contains (cached->cached_note, "as of 2025-02-28, cached");
  assert_contains (cached->cached_note, "HTTP 503");
  g_assert_cmpuint (cached->n, ==, fresh->n);
  for (gsize i = 0; i < fresh->n; i++)
    {
      g_assert_cmpint (cached->days[i], ==, fresh->days[i]);
      g_assert_cmpint (isnan (cached->rates[i]), ==, isnan (fresh->rates[i]));
      if (!isnan (fresh->rates[i]))
        g_assert_cmpfloat (cached->rates[i], ==, fresh->rates[i]);
      else
        g_assert_cmpint (fresh->days[i], ==, day_of ("2025-02-19"));
    }

  g_clear_pointer (&cached, sextant_estr_rates_free);
  fake_market_server_free (f->server);
  f->server = fake_market_server_new ();
  fake_market_server_push_body (f->server, ESTR_PATH, "startPeriod", 404, "text/plain", "No results found.");
  cached = fetch_estr (f, &error);
  g_assert_null (cached);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA);
}

/* A database of the schema before migration 17, with a portfolio and a cached curve, opens with
 * the new table empty and everything else as it was. */
static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (f->dir, "before-17.db", NULL);
  g_autoptr(SextantStore) old = NULL;
  g_autoptr(SextantStore) opened = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const SextantMigration *migrations = sextant_schema_get_migrations (&n);

  g_assert_cmpuint (n, >=, 17);
  g_assert_cmpint (migrations[16].version, ==, 17);
  old = sextant_store_open (old_path, migrations, 16, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (old), ==, 16);
  g_assert_true (sextant_store_exec (old, "INSERT INTO portfolios (name) VALUES ('Kept');"
                                     "INSERT INTO par_yields VALUES ('treasury', 20000, 120, 4.5, 1);", &error));
  g_clear_object (&old);

  opened = sextant_schema_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_get_schema_version (opened), ==, (int) n);
  stmt = sextant_store_prepare (opened, "SELECT (SELECT count(*) FROM rate_series), "
                                "(SELECT name FROM portfolios), (SELECT yield FROM par_yields)", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "Kept");
  g_assert_cmpfloat (sqlite3_column_double (stmt, 2), ==, 4.5);
}

static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* A backup may leave the machine: it keeps DGS10 and not one byte of ICE BofA's licensed series. */
static void
test_backup_leaves_out_licensed (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (f->dir, "backup.sxtbak", NULL);
  g_autofree char *restored = g_build_filename (f->dir, "restored.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(SextantFredSeries) dgs10 = NULL;
  g_autoptr(SextantFredSeries) oas = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  fake_market_server_push (f->server, GRAPH, "id=DGS10&", 200, "text/csv", "fred/dgs10_graph.csv");
  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");
  dgs10 = fetch (f, "DGS10", &error);
  g_assert_no_error (error);
  oas = fetch (f, "BAMLH0A0HYM2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "licensed = 1"), >, 0);

  g_assert_true (sextant_backup_write (f->store, backup, NULL, BACKUP_PASSPHRASE_KEY, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_backup_restore (backup, restored, NULL, BACKUP_PASSPHRASE_KEY, NULL, &error));
  g_assert_no_error (error);
  /* Still in the live cache, for the charts. */
  g_assert_cmpint (count_rows (f, "licensed = 1"), ==, (gint64) oas->n);

  g_assert_true (g_file_get_contents (restored, &contents, &length, &error));
  g_assert_false (contains_bytes (contents, length, "BAMLH0A0HYM2"));
  store = sextant_schema_open (restored, &error);
  g_assert_no_error (error);
  stmt = sextant_store_prepare (store, "SELECT count(*), sum(licensed) FROM rate_series", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, (int) dgs10->n);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
}

static GBytes *
gunzip_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = g_file_read (file, NULL, NULL);
  g_autoptr(GZlibDecompressor) gzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (raw);
  stream = g_converter_input_stream_new (G_INPUT_STREAM (raw), G_CONVERTER (gzip));
  g_assert_cmpint (g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error), >, 0);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The export of everything in open formats (sextant-cli export) holds no cached series: the
 * licensed spreads never leave in clear. */
static void
test_export_leaves_out_series (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *archive = g_build_filename (f->dir, "everything.tar.gz", NULL);
  g_autoptr(SextantFredSeries) oas = NULL;
  g_autoptr(GBytes) tar = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *contents;

  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");
  oas = fetch (f, "BAMLH0A0HYM2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "licensed = 1"), ==, (gint64) oas->n);
  g_assert_true (sextant_export_write (f->store, NULL, archive, NULL, &error));
  g_assert_no_error (error);
  tar = gunzip_file (archive);
  contents = g_bytes_get_data (tar, &length);
  g_assert_cmpuint (length, >, 0);
  g_assert_true (contains_bytes (contents, length, "README.txt"));
  g_assert_false (contains_bytes (contents, length, "BAMLH0A0HYM2"));
  g_assert_false (contains_bytes (contents, length, "rate_series"));
}

/* The desks' tool ------------------------------------------------------------------------ */

/* The tool on a worker thread, as the agent runs it, while this thread's fake FRED answers. */
static JsonObject *
invoke_credit_spreads (SextantMarketCache  *cache,
                       const char          *input_json,
                       GError             **error)
{
  g_autoptr(SextantToolData) data = sextant_tool_data_new (NULL, cache);
  g_autoptr(SextantToolRegistry) registry = sextant_tool_registry_new_default (data);
  g_autoptr(JsonNode) input = json_from_string (input_json, NULL);
  g_autoptr(JsonNode) result = sextant_test_invoke_tool (registry, "get_credit_spreads", input, error);

  return result != NULL ? json_object_ref (json_node_get_object (result)) : NULL;
}

#define OAS_INPUT "{\"series\":\"BAMLH0A0HYM2\",\"start\":\"2025-02-10\",\"end\":\"2025-02-28\"}"

/* The tool stores what it fetched in the window's cache; when FRED fails, the cached series
 * answers with the same figures, "cached": true and the note. */
static void
test_tool_cached (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) fresh = NULL;
  g_autoptr(JsonObject) cached = NULL;
  g_autoptr(GError) error = NULL;
  const char *figures[] = { "latest", "latest_percentile_rank", "min", "max", "mean" };

  g_setenv ("SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (f->server), TRUE);
  g_unsetenv ("SEXTANT_FRED_KEY");
  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");
  fake_market_server_push_body (f->server, GRAPH, "id=BAMLH0A0HYM2&", 502, "text/html", "<html>Bad Gateway</html>");
  fresh = invoke_credit_spreads (f->cache, OAS_INPUT, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (fresh, "cached"));
  g_assert_false (json_object_has_member (fresh, "note"));
  g_assert_cmpint (count_rows (f, "series = 'BAMLH0A0HYM2'"), >, 0);

  cached = invoke_credit_spreads (f->cache, OAS_INPUT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_market_server_get_count (f->server, GRAPH), ==, 2);
  g_assert_true (json_object_get_boolean_member (cached, "cached"));
  assert_contains (json_object_get_string_member (cached, "note"), "as of 2025-02-28, cached");
  assert_contains (json_object_get_string_member (cached, "note"), "HTTP 502");
  for (guint k = 0; k < G_N_ELEMENTS (figures); k++)
    g_assert_cmpfloat (json_object_get_double_member (cached, figures[k]), ==,
                       json_object_get_double_member (fresh, figures[k]));
  g_assert_cmpint (json_object_get_int_member (cached, "missing"), ==, json_object_get_int_member (fresh, "missing"));
  g_assert_cmpint (json_object_get_int_member (cached, "missing"), >, 0);
  g_unsetenv ("SEXTANT_FRED_BASE_URL");
}

/* The CLI --------------------------------------------------------------------------------- */

static int
run_cli (Fixture             *f,
         const char * const  *env,
         char               **out,
         char               **err)
{
  const char *argv[] = { cli_path, "fred", "DGS10", "--from", "2025-02-10", "--to", "2025-02-28",
                         "--format", "json", NULL };

  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  return sextant_test_run_in_env (argv, env, out, err);
}

/* `sextant-cli fred` stores its answer; when FRED then fails it prints the cached series, says
 * "as of …, cached" on stderr and "cached": true in the JSON, the holiday still null. */
static void
test_cli_cached (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "cli.db", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *rows;

  env = g_environ_setenv (env, "SEXTANT_DATABASE", db, TRUE);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  env = g_environ_setenv (env, "SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (f->server), TRUE);
  env = g_environ_unsetenv (env, "SEXTANT_FRED_KEY");
  fake_market_server_push (f->server, GRAPH, "id=DGS10&", 200, "text/csv", "fred/dgs10_graph.csv");
  fake_market_server_push_body (f->server, GRAPH, "id=DGS10&", 500, "text/html", "<html>oops</html>");

  g_assert_cmpint (run_cli (f, (const char * const *) env, &out, &err), ==, 0);
  g_assert_null (strstr (err, "cached"));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_false (json_object_get_boolean_member (json_node_get_object (json_parser_get_root (parser)), "cached"));

  g_assert_cmpint (run_cli (f, (const char * const *) env, &out, &err), ==, 0);
  assert_contains (err, "DGS10 as of 2025-02-28, cached");
  assert_contains (err, "HTTP 500");
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "cached"));
  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "fred-csv");
  rows = json_object_get_array_member (root, "observations");
  g_assert_cmpuint (json_array_get_length (rows), ==, 15);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (rows, 0), "value"), ==, 4.51);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (rows, 5), "value"));

  /* The closed port, in text. */
  {
    g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", fake_market_closed_port ());
    const char *argv[] = { cli_path, "fred", "DGS10", "--from", "2025-02-10", "--to", "2025-02-28", NULL };

    env = g_environ_setenv (env, "SEXTANT_FRED_BASE_URL", closed, TRUE);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (sextant_test_run_in_env (argv, (const char * const *) env, &out, &err), ==, 0);
    assert_contains (err, "as of 2025-02-28, cached");
    assert_contains (err, "cannot reach");
    assert_contains (out, "2025-02-17     missing");
  }
}

/* The keyring ---------------------------------------------------------------------------- */

static gboolean
keyring_available (SextantSecretStore *secrets)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_FRED_KEY, NULL, &error);

  if (error == NULL)
    return TRUE;
  if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
    g_error ("The keyring is required but not usable: %s", error->message);
  g_test_skip (error->message);
  return FALSE;
}

/* The key saved in the keyring reaches FRED from the desks' tool and from `sextant-cli fred`,
 * ahead of SEXTANT_FRED_KEY; without it, the environment's; with neither, the keyless download. */
static void
test_keyring_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, "cli.db", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL;

  if (!keyring_available (secrets))
    return;
  g_assert_true (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_FRED_KEY, KEYRING_FRED_KEY, NULL, &error));
  g_setenv ("SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (f->server), TRUE);
  g_setenv ("SEXTANT_FRED_KEY", ENV_FRED_KEY, TRUE);
  fake_market_server_push (f->server, OBSERVATIONS, "series_id=BAMLH0A0HYM2&", 200, "application/json",
                           "fred/oas_synthetic_observations.json");
  fake_market_server_push (f->server, OBSERVATIONS, "series_id=DGS10&", 200, "application/json",
                           "fred/dgs10_observations.json");
  fake_market_server_push (f->server, GRAPH, "id=BAMLH0A0HYM2&", 200, "text/csv", "fred/oas_synthetic_graph.csv");

  result = invoke_credit_spreads (f->cache, OAS_INPUT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (result, "retrieved_from"), ==, "fred");
  assert_contains (fake_market_server_get_last_query (f->server), "api_key=" KEYRING_FRED_KEY);

  env = g_environ_setenv (env, "SEXTANT_DATABASE", db, TRUE);
  env = g_environ_setenv (env, "SEXTANT_FRED_BASE_URL", fake_market_server_get_base_url (f->server), TRUE);
  env = g_environ_setenv (env, "SEXTANT_FRED_KEY", ENV_FRED_KEY, TRUE);
  g_assert_cmpint (run_cli (f, (const char * const *) env, &out, &err), ==, 0);
  assert_contains (fake_market_server_get_last_query (f->server), "api_key=" KEYRING_FRED_KEY);
  g_assert_null (strstr (out, KEYRING_FRED_KEY));
  g_assert_null (strstr (err, KEYRING_FRED_KEY));

  /* Without the keyring's key: the environment's, then none. */
  g_assert_true (sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_FRED_KEY, NULL, &error));
  g_clear_pointer (&result, json_object_unref);
  result = invoke_credit_spreads (f->cache, OAS_INPUT, &error);
  g_assert_no_error (error);
  assert_contains (fake_market_server_get_last_query (f->server), "api_key=" ENV_FRED_KEY);
  g_unsetenv ("SEXTANT_FRED_KEY");
  g_clear_pointer (&result, json_object_unref);
  result = invoke_credit_spreads (f->cache, OAS_INPUT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (result, "retrieved_from"), ==, "fred-csv");
  g_assert_null (strstr (fake_market_server_get_last_query (f->server), "api_key"));
  g_assert_cmpuint (fake_market_server_get_count (f->server, OBSERVATIONS), ==, 3);
  g_assert_cmpuint (fake_market_server_get_count (f->server, GRAPH), ==, 1);
  g_unsetenv ("SEXTANT_FRED_BASE_URL");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli_path = argc > 1 ? argv[1] : "sextant-cli";

#define ADD(path, func) \
  g_test_add ("/sextant/rate-series/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("fred-stored", test_fred_stored);
  ADD ("fred-fallback", test_fred_fallback);
  ADD ("fred-replaces-window", test_fred_replaces_window);
  ADD ("estr", test_estr);
  ADD ("migration", test_migration);
  ADD ("backup-leaves-out-licensed", test_backup_leaves_out_licensed);
  ADD ("export-leaves-out-series", test_export_leaves_out_series);
  ADD ("tool-cached", test_tool_cached);
  ADD ("cli-cached", test_cli_cached);
  ADD ("keyring-key", test_keyring_key);

  return g_test_run ();
}
