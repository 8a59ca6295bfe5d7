#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The export of everything (issue 19): `sextant-cli export FILE` writes one .tar.gz that is read
 * here without Sextant — unpacked by GNU tar, its CSV files read by Python's csv module and its
 * JSON by json-glib — and holds every conversation (Markdown and JSON), portfolio, saved result,
 * knowledge-base document and the settings. A sealed history is exported in clear through its
 * key, and refused without it. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="

static const char *cli_path;

/* A history with one conversation, a portfolio whose name needs CSV quoting, a saved result and
 * a knowledge-base document. */
static void
fill (SextantStore *store,
      const char   *dir)
{
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(SextantKbStore) kb = sextant_kb_store_new (store);
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Growth, \"Value\" & Co");
  g_autofree char *notes = g_build_filename (dir, "desk-notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  static const char * const texts[] = { "Should we trim the Thistlewood position?",
                                        "Trim it to **4 %**: its volatility doubled." };
  gint64 id;

  id = sextant_conversation_store_create (conversations, "Thistlewood review", "analyst", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i == 0 ? "user" : "assistant");

      sextant_converse_message_add_text (m, texts[i]);
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error),
                       >, 0);
    }
  g_assert_true (sextant_conversation_store_set_pinned (conversations, id, TRUE, &error));

  sextant_portfolio_add_holding (portfolio, "MSFT", 120, NAN, "USD");
  sextant_portfolio_add_holding (portfolio, "KO", 300, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (portfolios, portfolio, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sextant_portfolio_store_save_result (portfolios, "Growth, \"Value\" & Co", "optimize.min-variance",
                                                        "{\"objective\":\"min-variance\"}", "{\"symbols\":[\"MSFT\",\"KO\"]}",
                                                        "{\"weights\":{\"MSFT\":0.25,\"KO\":0.75}}", &error), >, 0);
  g_assert_true (g_file_set_contents (notes, "Gold is a hedge against inflation.\n", -1, NULL));
  g_assert_true (sextant_kb_store_add_file (kb, notes, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static char *
unpack (const char *archive,
        const char *dir)
{
  const char *tar[] = { "tar", "-xzf", archive, "-C", dir, NULL };
  g_autoptr(GDir) listing = NULL;
  const char *top;

  g_assert_cmpint (sextant_test_run_command (tar, NULL, NULL, NULL, NULL), ==, 0);
  listing = g_dir_open (dir, 0, NULL);
  top = g_dir_read_name (listing);
  g_assert_nonnull (top);
  g_assert_true (g_str_has_prefix (top, "sextant-export-"));
  g_assert_null (g_dir_read_name (listing));

  return g_build_filename (dir, top, NULL);
}

static char *
read_text (const char *top,
           const char *name)
{
  g_autofree char *path = g_build_filename (top, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("%s is missing from the export", name);

  return text;
}

static JsonNode *
read_json (const char *top,
           const char *name)
{
  g_autofree char *text = read_text (top, name);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);

  return node;
}

/* Python's csv module reads @name; each row comes back as its fields joined by '|'. */
static char *
read_csv (const char *top,
          const char *name)
{
  g_autofree char *path = g_build_filename (top, name, NULL);
  const char *python[] = { "/usr/bin/python3", "-c",
                           "import csv, sys\n"
                           "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
                           "    for row in csv.reader(f):\n"
                           "        print('|'.join(row))\n",
                           path, NULL };
  char *out = NULL;

  g_assert_cmpint (sextant_test_run_command (python, NULL, NULL, &out, NULL), ==, 0);

  return out;
}

static void
check_export (const char *top)
{
  g_autoptr(JsonNode) index = read_json (top, "conversations/index.json");
  g_autoptr(JsonNode) portfolios = read_json (top, "portfolios/portfolios.json");
  g_autoptr(JsonNode) results = read_json (top, "results/results.json");
  g_autoptr(JsonNode) documents = read_json (top, "knowledge-base/documents.json");
  g_autoptr(JsonNode) conversation = NULL;
  g_autofree char *readme = read_text (top, "README.txt");
  g_autofree char *markdown = NULL;
  g_autofree char *holdings = read_csv (top, "portfolios/holdings.csv");
  g_autofree char *results_csv = read_csv (top, "results/results.csv");
  g_autofree char *documents_csv = read_csv (top, "knowledge-base/documents.csv");
  JsonObject *entry, *result;
  JsonArray *list;

  g_assert_nonnull (strstr (readme, "not encrypted"));

  list = json_node_get_array (index);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  entry = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==, "Thistlewood review");
  g_assert_true (json_object_get_boolean_member (entry, "pinned"));
  g_assert_cmpstr (json_object_get_string_member (entry, "markdown"), ==, "0001-thistlewood-review.md");
  markdown = read_text (top, "conversations/0001-thistlewood-review.md");
  g_assert_nonnull (strstr (markdown, "Should we trim the Thistlewood position?"));
  g_assert_nonnull (strstr (markdown, "Trim it to **4 %**"));
  conversation = read_json (top, "conversations/0001-thistlewood-review.json");
  {
    g_autofree char *text = json_to_string (conversation, FALSE);

    g_assert_nonnull (strstr (text, "its volatility doubled"));
  }

  list = json_node_get_array (portfolios);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  entry = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "Growth, \"Value\" & Co");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "holdings")), ==, 2);
  /* Read back by Python's csv: the quoted name whole, the weight not recorded left empty. */
  g_assert_cmpstr (holdings, ==,
                   "portfolio|base_currency|symbol|quantity|weight|currency|min_weight|max_weight|cost_basis\n"
                   "Growth, \"Value\" & Co|USD|MSFT|120||USD|0|1|\n"
                   "Growth, \"Value\" & Co|USD|KO|300||USD|0|1|\n");

  list = json_node_get_array (results);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  result = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "kind"), ==, "optimize.min-variance");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (
                       json_object_get_object_member (result, "result"), "weights"), "KO"), ==, 0.75);
  g_assert_nonnull (strstr (results_csv, "|Growth, \"Value\" & Co|optimize.min-variance|"));
  g_assert_nonnull (strstr (results_csv, "|{\"weights\":{\"MSFT\":0.25,\"KO\":0.75}}\n"));

  list = json_node_get_array (documents);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "title"), ==,
                   "desk-notes.txt");
  /* sha256sum of the 35 bytes of desk-notes.txt */
  g_assert_nonnull (strstr (documents_csv, "|d5ba00b26dd90c466fc5c92e58f4f0385e58bfe4ebee73853e18834ea398a8f3|"));
}

/* The command line on a history without a keyring (clear), as a user runs it. */
static void
test_cli_export (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *database = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *archive = g_build_filename (dir, "everything.tar.gz", NULL);
  g_autofree char *unpacked = g_build_filename (dir, "unpacked", NULL);
  g_autofree char *database_env = g_strconcat ("SEXTANT_DATABASE=", database, NULL);
  g_autofree char *home_env = g_strconcat ("HOME=", dir, NULL);
  g_autofree char *top = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *env[] = { database_env, home_env, "DBUS_SESSION_BUS_ADDRESS=disabled:", NULL };
  const char *export[] = { cli_path, "export", archive, NULL };
  const char *usage[] = { cli_path, "export", NULL };
  GStatBuf st;

  {
    g_autoptr(SextantStore) store = sextant_schema_open (database, NULL);

    fill (store, dir);
  }
  g_assert_cmpint (sextant_test_run_command (export, env, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "1 conversations, 1 portfolios, 1 saved results, 1 knowledge-base documents, settings"));
  g_assert_cmpint (g_stat (archive, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_mkdir (unpacked, 0700), ==, 0);
  top = unpack (archive, unpacked);
  check_export (top);
  {
    g_autoptr(JsonNode) settings = read_json (top, "settings.json");

    /* The preferences, from the schema the tests run with. */
    g_assert_cmpuint (json_object_get_int_member (json_node_get_object (settings), "retention-metrics-days"), ==, 90);
    g_assert_true (json_object_has_member (json_node_get_object (settings), "backup-keep"));
  }

  /* An existing file is never replaced; no FILE is a usage error. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sextant_test_run_command (export, env, NULL, NULL, &err), ==, 3);
  g_assert_nonnull (strstr (err, "already exists"));
  g_assert_cmpint (sextant_test_run_command (usage, env, NULL, NULL, NULL), ==, 2);
  sextant_test_remove_temp_dir (dir);
}

/* A sealed history is exported in clear through its key; without the key it is refused. */
static void
test_sealed (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *database = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *archive = g_build_filename (dir, "sealed.tar.gz", NULL);
  g_autofree char *refused = g_build_filename (dir, "refused.tar.gz", NULL);
  g_autofree char *unpacked = g_build_filename (dir, "unpacked", NULL);
  g_autoptr(SextantStoreKey) key = sextant_store_key_new_from_base64 (TEST_HISTORY_KEY, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *top = NULL;
  SextantExportCounts counts = { 0 };

  {
    g_autoptr(SextantStore) store = sextant_schema_open (database, NULL);

    sextant_store_encryption_attach (store, key, &error);
    g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
    fill (store, dir);
    g_assert_true (sextant_export_write (store, NULL, archive, &counts, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (counts.conversations, ==, 1);
    g_assert_cmpuint (counts.files, ==, 11);
  }
  g_assert_cmpint (g_mkdir (unpacked, 0700), ==, 0);
  top = unpack (archive, unpacked);
  check_export (top);
  {
    g_autoptr(SextantStore) store = sextant_schema_open (database, NULL);

    g_assert_false (sextant_export_write (store, NULL, refused, NULL, &error));
    g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
    g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
  }
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add_func ("/sextant/export/cli", test_cli_export);
  g_test_add_func ("/sextant/export/sealed", test_sealed);

  return g_test_run ();
}
