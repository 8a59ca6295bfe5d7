#define G_LOG_DOMAIN "test-cli-limits"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cli-fixture.h"
#include "sextant-core.h"
#include "sextant-test-util.h"

/* Issue 15, "Bad arguments and sizes": work sizes, annualisation factors and confidence levels
 * refused with their numbers; a prices file with a repeated column refused; `ask --tools` failing
 * on a 403 or an unreachable endpoint instead of answering offline; Ctrl-C and SIGTERM keeping a
 * partial answer; a stalled Bedrock given up on after one read timeout; JSON output valid
 * whatever bytes were stored. Each against the built sextant-cli and the fake Bedrock of this
 * process. */

static const char *cli_path;

typedef CliFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cli_fixture_setup (f, cli_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_fixture_teardown (f);
}

#define RUN(f, creds, ...) cli_fixture_run ((f), (creds), NULL, (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* ----- sizes and numbers ------------------------------------------------------------------ */

static void
test_simulations_beyond_memory (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autofree char *cap = g_format_size (sextant_work_size_get_memory_cap ());
  gint64 start = g_get_monotonic_time ();

  /* 2 × (2³¹ − 1) doubles = 34.4 GB, refused before anything is allocated (it aborted in
   * g_malloc before), whatever this computer's memory: the cap is half of it. */
  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", prices, "--simulations", "2147483647"), ==, 3);
  g_assert_nonnull (strstr (f->err, "4294967294 values (34.4\xc2\xa0GB)"));
  g_assert_nonnull (strstr (f->err, cap));
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_scenario_steps_beyond_time (Fixture       *f,
                                 gconstpointer  data)
{
  /* 10,000 paths × 10⁹ steps is 10¹³ normals: hours, refused at once with the count. */
  g_assert_cmpint (RUN (f, FALSE, "scenarios", "--steps", "1000000000"), ==, 3);
  g_assert_nonnull (strstr (f->err, "GBM scenarios would draw 1e+13 random numbers"));
  g_assert_cmpint (RUN (f, FALSE, "scenarios", "--model", "heston", "--paths", "100000",
                        "--steps", "100000"), ==, 3);
  g_assert_nonnull (strstr (f->err, "Heston scenarios would draw 2e+10 random numbers"));
}

/* The core gate the portfolio window's scenario run, the tools and the CLI share. */
static void
test_work_size_gate (void)
{
  g_autoptr(GError) error = NULL;
  guint64 cap = sextant_work_size_get_memory_cap ();

  g_assert_cmpuint (cap, >, 0);
  g_assert_false (sextant_work_size_check ("test", 2.0 * cap / 8, 1, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "more than half of this computer's memory"));
  g_clear_error (&error);
  g_assert_false (sextant_work_size_check ("test", 1, 2 * SEXTANT_WORK_MAX_DRAWS, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (sextant_work_size_check ("test", NAN, 1, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_true (sextant_work_size_check ("test", 1e6, 1e9, &error));
  g_assert_no_error (error);
}

/* Paths × steps × assets, through the core calls the portfolio window's scenario run and the
 * jobs make: kept paths beyond what may be stored, and draws beyond the gate, both refused before
 * anything is allocated or drawn. */
static void
test_scenario_core_sizes (void)
{
  enum { N_ASSETS = 50 };
  double s0[N_ASSETS], drift[N_ASSETS], covariance[N_ASSETS * N_ASSETS] = { 0 };
  SextantGbmSpec spec = { N_ASSETS, s0, drift, covariance, 1.0 / 252, 1000, 100000, 7, 1, 0 };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint a = 0; a < N_ASSETS; a++)
    {
      s0[a] = 100;
      drift[a] = 0.05;
      covariance[a * N_ASSETS + a] = 0.04;
    }
  /* 10⁵ paths × 1001 steps × 50 assets kept is 5 × 10⁹ values (40 GB). */
  g_assert_null (sextant_scenarios_gbm (&spec, SEXTANT_SCENARIO_KEEP_PATHS, NULL, NULL, NULL,
                                        &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Keeping 100000 paths × 1000 steps × 50 assets"));
  g_clear_error (&error);

  /* Nothing kept, but 10⁶ × 1000 × 50 = 5 × 10¹⁰ normals: hours. */
  spec.n_paths = 1000000;
  g_assert_null (sextant_scenarios_gbm (&spec, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "GBM scenarios would draw 5e+10 random numbers"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_periods_per_year (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");
  const char *bad[] = { "0", "-252", "nan", "inf", "1e9" };
  const char *commands[][6] = {
    { "risk", "--prices", NULL, NULL },
    { "optimize", "--prices", NULL, "--objective", "min-variance", NULL },
    { "frontier", "--prices", NULL, NULL },
    { "backtest", "--prices", NULL, "--weights", "SPI=1", NULL },
  };

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GPtrArray) args = g_ptr_array_new ();

        for (guint a = 0; commands[c][a] != NULL || a == 2; a++)
          g_ptr_array_add (args, a == 2 ? prices : (char *) commands[c][a]);
        if (c == 3)
          {
            g_ptr_array_add (args, "--strategy");
            g_ptr_array_add (args, "buy-and-hold");
          }
        g_ptr_array_add (args, "--periods-per-year");
        g_ptr_array_add (args, (char *) bad[i]);
        g_ptr_array_add (args, NULL);
        g_assert_cmpint (cli_fixture_run (f, FALSE, NULL, (const char * const *) args->pdata), ==, 2);
        g_assert_true (strstr (f->err, "Periods per year must be a positive number") != NULL ||
                       strstr (f->err, "--periods-per-year must be a finite number") != NULL);
      }

  /* the core refuses it too, for the windows that call it */
  {
    double r[] = { 0.01, -0.02, 0.03 }, v;
    g_autoptr(GError) error = NULL;

    g_assert_false (sextant_volatility_annualised (r, 3, 0, &v, &error));
    g_assert_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_confidence (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *prices = sextant_test_reference_path ("market/spisector_prices.csv");

  /* It exited 0 with "unknown error" before. */
  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", prices, "--confidence", ""), ==, 2);
  g_assert_nonnull (strstr (f->err, "--confidence needs at least one level"));
  g_assert_null (strstr (f->err, "unknown error"));
  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", prices, "--confidence", "nan"), ==, 2);
  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", prices, "--confidence", "0.95,"), ==, 2);
}

static void
test_repeated_column (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *file = sextant_test_reference_path ("limits/repeated-column.csv");

  /* risk used the first SPI column twice, silently. */
  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", file), ==, 3);
  g_assert_nonnull (strstr (f->err, "the column “SPI” appears twice (price columns 1 and 3)"));
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (RUN (f, FALSE, "optimize", "--prices", file, "--objective", "min-variance"), ==, 3);
  g_assert_nonnull (strstr (f->err, "appears twice"));
}

/* ----- text that is not UTF-8 ------------------------------------------------------------- */

static void
test_latin1_header (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *file = sextant_test_reference_path ("limits/latin1-header.csv");
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (RUN (f, FALSE, "risk", "--prices", file, "--simulations", "1000", "--format", "json"), ==, 0);
  report = parse (f->out);
  text = json_to_string (report, FALSE);
  g_assert_nonnull (strstr (text, "Ind\xef\xbf\xbdstria"));
}

static void
test_non_utf8_arguments (Fixture       *f,
                         gconstpointer  data)
{
  g_assert_cmpint (RUN (f, FALSE, "portfolio", "create", "Caf\xe9"), ==, 2);
  g_assert_nonnull (strstr (f->err, "not valid UTF-8"));
  g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "VaR \xff\xfe of MSFT"), ==, 2);
  g_assert_nonnull (strstr (f->err, "not valid UTF-8"));
}

static void
corrupt_stored_text (Fixture *f)
{
  g_autofree char *db_path = g_build_filename (f->home, "sextant.db", NULL);
  sqlite3 *db = NULL;

  /* Rows written before text was checked at the door, or by another program. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE conversations SET title = CAST(X'52534920ff6f66' AS TEXT);"
                                     "UPDATE messages SET text = CAST(X'c328ff' AS TEXT);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_conversations_json_valid (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonNode) listed = NULL, exported = NULL;
  JsonObject *conversation;

  g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "RSI of MSFT"), ==, 0);
  corrupt_stored_text (f);

  g_assert_cmpint (RUN (f, FALSE, "conversations", "list", "--format", "json"), ==, 0);
  g_assert_true (g_utf8_validate (f->out, -1, NULL));
  listed = parse (f->out);
  conversation = json_array_get_object_element (json_node_get_array (listed), 0);
  g_assert_cmpstr (json_object_get_string_member (conversation, "title"), ==, "RSI \xef\xbf\xbd" "of");

  g_assert_cmpint (RUN (f, FALSE, "conversations", "export", "1", "--format", "json"), ==, 0);
  exported = parse (f->out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (exported),
                                                                          "messages")), >, 0);
  g_assert_cmpint (RUN (f, FALSE, "conversations", "show", "1"), ==, 0);
  g_assert_true (g_utf8_validate (f->out, -1, NULL));

  /* search's JSON too: a second conversation, whose messages are intact and whose title has
   * the bad byte, is found with it repaired. */
  {
    g_autofree char *db_path = g_build_filename (f->home, "sextant.db", NULL);
    g_autoptr(JsonNode) found = NULL;
    JsonArray *hits;
    sqlite3 *db = NULL;

    g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "Volatility of IBM"), ==, 0);
    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE conversations SET title = CAST(X'566f6cff' AS TEXT) "
                                       "WHERE id = 2;", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_cmpint (RUN (f, FALSE, "conversations", "search", "Volatility", "--format", "json"), ==, 0);
    g_assert_true (g_utf8_validate (f->out, -1, NULL));
    found = parse (f->out);
    hits = json_node_get_array (found);
    g_assert_cmpuint (json_array_get_length (hits), >, 0);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hits, 0), "title"),
                     ==, "Vol\xef\xbf\xbd");
  }
}

/* The store repairs text as it is written: the GUI and the CLI store through it. */
static void
test_store_repairs_text (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "repair.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (path, &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("user");
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(SextantConversationInfo) info = NULL;
  const SextantStoredMessage *m;
  gint64 id;

  g_assert_no_error (error);
  conversations = sextant_conversation_store_new (store);
  id = sextant_conversation_store_create (conversations, "Caf\xe9", SEXTANT_ROLE_ANALYST, NULL, &error);
  g_assert_no_error (error);
  sextant_converse_message_add_text (message, "na\xefve \xff question");
  g_assert_cmpint (sextant_conversation_store_append (conversations, id, message,
                                                      SEXTANT_MESSAGE_COMPLETE, 0, 0, &error), >, 0);
  g_assert_no_error (error);

  info = sextant_conversation_store_get (conversations, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->title, ==, "Caf\xef\xbf\xbd");
  messages = sextant_conversation_store_load_messages (conversations, id, &error);
  g_assert_no_error (error);
  m = messages->pdata[0];
  g_assert_true (g_utf8_validate (m->text, -1, NULL));
  g_assert_cmpstr (m->text, ==, "na\xef\xbf\xbdve \xef\xbf\xbd question");

  g_assert_true (sextant_conversation_store_rename (conversations, id, "\xc3(", &error));
  g_assert_no_error (error);
  g_clear_pointer (&info, sextant_conversation_info_free);
  info = sextant_conversation_store_get (conversations, id, &error);
  g_assert_true (g_utf8_validate (info->title, -1, NULL));

  g_clear_object (&conversations);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

/* ----- ask --tools and Bedrock ------------------------------------------------------------ */

static JsonNode *
export_conversation (Fixture    *f,
                     const char *id)
{
  g_assert_cmpint (RUN (f, FALSE, "conversations", "export", id, "--format", "json"), ==, 0);

  return parse (f->out);
}

static JsonObject *
nth_message (JsonNode *exported,
             guint     n)
{
  JsonArray *messages = json_object_get_array_member (json_node_get_object (exported), "messages");

  return n < json_array_get_length (messages) ? json_array_get_object_element (messages, n) : NULL;
}

static void
test_tools_access_denied (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) exported = NULL;

  fake_bedrock_server_push_http_error (f->server, 403, "AccessDeniedException",
                                       "User is not authorized to perform: bedrock:InvokeModel");
  g_assert_cmpint (RUN (f, TRUE, "ask", "--tools", "RSI of MSFT"), ==, 4);
  g_assert_nonnull (strstr (f->err, "not authorized"));
  g_assert_null (strstr (f->out, "Offline analyst"));

  /* the question is kept, marked failed; no answer is stored as the model's */
  exported = export_conversation (f, "1");
  g_assert_cmpstr (json_object_get_string_member (nth_message (exported, 0), "state"), ==, "failed");
  g_assert_null (nth_message (exported, 1));
}

static void
test_tools_unreachable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) exported = NULL;
  const char *args[] = { "ask", "--tools", "RSI of MSFT", NULL };

  /* Nothing listens on port 9 here: plain `ask` exits 7, and so does `ask --tools` now, with
   * the network error, instead of an offline answer with exit 0 stored as the reply. */
  g_assert_cmpint (cli_fixture_run (f, TRUE, "http://127.0.0.1:9", args), ==, 7);
  g_assert_nonnull (strstr (f->err, "127.0.0.1:9"));
  g_assert_null (strstr (f->out, "Offline analyst"));
  exported = export_conversation (f, "1");
  g_assert_cmpstr (json_object_get_string_member (nth_message (exported, 0), "state"), ==, "failed");
  g_assert_null (nth_message (exported, 1));

  /* without credentials at all the offline analyst still answers, as documented */
  g_assert_cmpint (RUN (f, FALSE, "ask", "--tools", "RSI of MSFT"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Offline analyst"));
}

static void
test_tools_bad_region (Fixture       *f,
                       gconstpointer  data)
{
  g_assert_cmpint (RUN (f, TRUE, "ask", "--tools", "--region", "nan", "RSI of MSFT"), ==, 2);
  g_assert_nonnull (strstr (f->err, "“nan” (from --region) is not an AWS region name"));
  g_assert_cmpint (RUN (f, TRUE, "ask", "--region", "", "Hi"), ==, 2);
}

typedef struct
{
  GString  *received;
  gboolean  pending;
  gboolean  eof;
} StdoutReader;

static void
stdout_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StdoutReader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  reader->pending = FALSE;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    reader->eof = TRUE;
  else
    g_string_append_len (reader->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Reads the child's stdout while this thread serves the fake Bedrock, until @wanted appears (or
 * the stream ends), failing after 60 s. */
static void
read_stdout (GInputStream *stream,
             StdoutReader *reader,
             const char   *wanted)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!reader->eof && (wanted == NULL || strstr (reader->received->str, wanted) == NULL))
    {
      if (!reader->pending)
        {
          reader->pending = TRUE;
          g_input_stream_read_bytes_async (stream, 4096, G_PRIORITY_DEFAULT, NULL, stdout_read_cb,
                                           reader);
        }
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

/* `ask --tools` on a stalled stream, then @signal_number once @wanted is on stdout (or, with
 * %NULL, once the request reached the server). */
static int
interrupt_tools (Fixture    *f,
                 int         signal_number,
                 const char *wanted,
                 const char *conversation)
{
  g_autoptr(GSubprocessLauncher) launcher =
    cli_fixture_new_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              TRUE, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  StdoutReader reader = { g_string_new (NULL), FALSE, FALSE };
  guint n_before = fake_bedrock_server_get_n_requests (f->server);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int status;

  if (conversation != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, f->cli_path, "ask", "--conversation",
                                           conversation, "What is the RSI of MSFT?", NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, f->cli_path, "ask", "--tools",
                                           "What is the RSI of MSFT?", NULL);
  g_assert_no_error (error);
  if (wanted != NULL)
    read_stdout (g_subprocess_get_stdout_pipe (process), &reader, wanted);
  else
    while (fake_bedrock_server_get_n_requests (f->server) == n_before)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      }
  g_subprocess_send_signal (process, signal_number);
  read_stdout (g_subprocess_get_stdout_pipe (process), &reader, NULL);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);
  g_string_free (reader.received, TRUE);

  return status;
}

static void
test_tools_interrupted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) exported = NULL;
  JsonObject *answer;
  g_autofree char *content = NULL;

  /* Ctrl-C: the partial answer is stored, marked interrupted, exit 130 as plain ask */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "RSI(14) of MSFT is", NULL, NULL);
  g_assert_cmpint (interrupt_tools (f, SIGINT, "RSI(14) of MSFT is", NULL), ==, 130);
  exported = export_conversation (f, "1");
  answer = nth_message (exported, 1);
  g_assert_nonnull (answer);
  g_assert_cmpstr (json_object_get_string_member (answer, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (answer, "state"), ==, "interrupted");
  content = json_to_string (json_object_get_member (answer, "content"), FALSE);
  g_assert_nonnull (strstr (content, "RSI(14) of MSFT is"));

  /* SIGTERM (a closed terminal, a job killed by a scheduler) the same, exit 143 */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "Second partial", NULL, NULL);
  g_assert_cmpint (interrupt_tools (f, SIGTERM, "Second partial", "1"), ==, 143);
  g_clear_pointer (&exported, json_node_unref);
  exported = export_conversation (f, "1");
  g_assert_cmpstr (json_object_get_string_member (nth_message (exported, 3), "state"), ==, "interrupted");
}

static void
test_orphaned_question_not_merged (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonNode) exported = NULL;
  const FakeRequest *request;
  g_autofree char *body = NULL;

  /* Stopped before any text came: the question stays in the history, marked interrupted ... */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, NULL, NULL, NULL);
  g_assert_cmpint (interrupt_tools (f, SIGINT, NULL, NULL), ==, 130);
  exported = export_conversation (f, "1");
  g_assert_cmpstr (json_object_get_string_member (nth_message (exported, 0), "state"), ==, "interrupted");
  g_assert_null (nth_message (exported, 1));

  /* ... and the next turn sends only the next question, not the two run together */
  fake_bedrock_server_push_text (f->server, "IBM is at 120.");
  g_assert_cmpint (RUN (f, TRUE, "ask", "--conversation", "1", "Quote IBM"), ==, 0);
  request = fake_bedrock_server_get_request (f->server, fake_bedrock_server_get_n_requests (f->server) - 1);
  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  g_assert_nonnull (strstr (body, "Quote IBM"));
  g_assert_null (strstr (body, "What is the RSI of MSFT?"));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
run_with_read_timeout (Fixture            *f,
                       const char * const *args,
                       double             *seconds)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  launcher = cli_fixture_new_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                       TRUE, NULL);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_BEDROCK_READ_TIMEOUT_MS", "3000", TRUE);
  g_ptr_array_add (argv, (gpointer) f->cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* the fake Bedrock answers on this thread while the CLI runs */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, done_cb, &result);
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
    }
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_subprocess_communicate_utf8_finish (process, result, &f->out, &f->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  f->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d after %.2f s: %s", f->status, *seconds, f->err);
}

static void
test_stalled_stream_read_timeout (Fixture       *f,
                                  gconstpointer  data)
{
  const char *stream_args[] = { "ask", "Hi", NULL };
  const char *no_stream_args[] = { "ask", "--no-stream", "Hi", NULL };
  double baseline, seconds;

  /* What a whole answered run takes here (a sanitized build starts slowly), so that the bounds
   * below measure the wait alone. */
  fake_bedrock_server_push_text (f->server, "Hello.");
  run_with_read_timeout (f, stream_args, &baseline);
  g_assert_cmpint (f->status, ==, 0);

  /* A stream that stops: given up on after one read timeout (3 s here, 60 s by default), not
   * asked again: a second attempt would take another 3 s. */
  fake_bedrock_server_push_fault (f->server, FAKE_REPLY_STALL, "Then silence", NULL, NULL);
  run_with_read_timeout (f, stream_args, &seconds);
  g_assert_cmpint (f->status, ==, 7);
  g_assert_nonnull (strstr (f->err, "No data from Bedrock for 3000 ms"));
  g_assert_null (strstr (f->err, "gave up after"));
  g_assert_cmpfloat (seconds, >=, 2.9);
  g_assert_cmpfloat (seconds, <, baseline + 3.0 * 1.5);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 2);

  /* A non-streamed Converse to a server that accepts and does not answer: the same time, once
   * (the fake answers after 30 s, long after the client gave up) */
  fake_bedrock_server_push_slow_text (f->server, "Far too late.", 30000);
  run_with_read_timeout (f, no_stream_args, &seconds);
  g_assert_cmpint (f->status, ==, 7);
  g_assert_nonnull (strstr (f->err, "Bedrock did not answer within 3000 ms"));
  g_assert_null (strstr (f->err, "gave up after"));
  g_assert_cmpfloat (seconds, >=, 2.9);
  g_assert_cmpfloat (seconds, <, baseline + 3.0 * 1.5);
  g_assert_cmpuint (fake_bedrock_server_get_n_requests (f->server), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

#define ADD(path, func) g_test_add ("/cli-limits/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("simulations-beyond-memory", test_simulations_beyond_memory);
  ADD ("scenario-steps-beyond-time", test_scenario_steps_beyond_time);
  g_test_add_func ("/cli-limits/work-size-gate", test_work_size_gate);
  g_test_add_func ("/cli-limits/scenario-core-sizes", test_scenario_core_sizes);
  ADD ("periods-per-year", test_periods_per_year);
  ADD ("confidence", test_confidence);
  ADD ("repeated-column", test_repeated_column);
  ADD ("non-utf8-arguments", test_non_utf8_arguments);
  ADD ("latin1-header", test_latin1_header);
  ADD ("conversations-json-valid", test_conversations_json_valid);
  g_test_add_func ("/cli-limits/store-repairs-text", test_store_repairs_text);
  ADD ("tools-access-denied", test_tools_access_denied);
  ADD ("tools-unreachable", test_tools_unreachable);
  ADD ("tools-bad-region", test_tools_bad_region);
  ADD ("tools-interrupted", test_tools_interrupted);
  ADD ("orphaned-question-not-merged", test_orphaned_question_not_merged);
  ADD ("stalled-stream-read-timeout", test_stalled_stream_read_timeout);
#undef ADD

  return g_test_run ();
}
