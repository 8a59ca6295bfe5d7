#define G_LOG_DOMAIN "test-estr"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fake-market-server.h"
#include "sextant-test-util.h"

/* €STR from the ECB's data API against tests/data/market-apis/estr (README.md there). */

#define ESTR_PATH "/service/data/EST/B.EU000A2X2A25.WT"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SextantEstrRates *
fetch (FakeMarketServer  *server,
       SoupSession       *session,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint32 from, to;

  g_assert_true (sextant_day_parse_iso ("2025-02-10", &from));
  g_assert_true (sextant_day_parse_iso ("2025-02-28", &to));
  sextant_estr_fetch_async (session, fake_market_server_get_base_url (server), from, to, NULL,
                            store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sextant_estr_fetch_finish (result, error);
}

/* Every row of the fixture, read here with a plain split: the date and value columns come before
 * the quoted title. The empty value of 19 February is missing. */
static void
test_fetch (void)
{
  FakeMarketServer *server = fake_market_server_new ();
  SoupSession *session = fake_market_session_new ();
  g_autoptr(SextantEstrRates) rates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sextant_test_reference_path ("market-apis/estr/estr_synthetic.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize row = 0;

  fake_market_server_push (server, ESTR_PATH, "startPeriod=2025-02-10", 200, "text/csv",
                           "estr/estr_synthetic.csv");
  rates = fetch (server, session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (fake_market_server_get_last_query (server), "format=csvdata"));
  g_assert_nonnull (strstr (fake_market_server_get_last_query (server), "endPeriod=2025-02-28"));

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++, row++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 7);
      gint32 day;

      g_assert_true (sextant_day_parse_iso (fields[4], &day));
      g_assert_cmpuint (row, <, rates->n);
      g_assert_cmpint (rates->days[row], ==, day);
      if (fields[5][0] == '\0')
        g_assert_true (isnan (rates->rates[row]) && g_str_equal (fields[4], "2025-02-19"));
      else
        g_assert_cmpfloat (rates->rates[row], ==, g_ascii_strtod (fields[5], NULL));
    }
  g_assert_cmpuint (row, ==, rates->n);
  g_assert_cmpuint (rates->n, ==, 15);
  soup_session_abort (session);
  g_object_unref (session);
  fake_market_server_free (server);
}

/* The service's 404 for days without rows, a challenge page, a wrong header and a bad value. */
static void
test_errors (void)
{
  static const struct { guint status; const char *body; int code; const char *message; } cases[] = {
    { 404, "No results found.", SEXTANT_MARKET_ERROR_NO_DATA, "no rate in those days" },
    { 200, "<html>blocked</html>", SEXTANT_MARKET_ERROR_BLOCKED, "HTML page" },
    { 200, "KEY,FREQ\nEST,B\n", SEXTANT_MARKET_ERROR_CSV_HEADER, "no TIME_PERIOD" },
    { 200, "TIME_PERIOD,OBS_VALUE\n2025-02-10,abc\n", SEXTANT_MARKET_ERROR_CSV_ROW,
      "line 2: “abc” is not a rate" },
    { 200, "TIME_PERIOD,OBS_VALUE\n2025-02-11,2.9\n2025-02-10,2.9\n", SEXTANT_MARKET_ERROR_CSV_ROW,
      "not a date after the one before" },
    { 500, "", SEXTANT_MARKET_ERROR_HTTP, "HTTP 500" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FakeMarketServer *server = fake_market_server_new ();
      SoupSession *session = fake_market_session_new ();
      g_autoptr(SextantEstrRates) rates = NULL;
      g_autoptr(GError) error = NULL;

      fake_market_server_push_body (server, ESTR_PATH, NULL, cases[i].status, "text/csv",
                                    cases[i].body);
      rates = fetch (server, session, &error);
      g_assert_null (rates);
      g_assert_error (error, SEXTANT_MARKET_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: expected “%s” in “%s”", i, cases[i].message, error->message);
      soup_session_abort (session);
      g_object_unref (session);
      fake_market_server_free (server);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/market/estr/fetch", test_fetch);
  g_test_add_func ("/sextant/market/estr/errors", test_errors);

  return g_test_run ();
}
