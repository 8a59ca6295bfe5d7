#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static const char *cli_path;

static void
test_help (void)
{
  const char *argv[] = { cli_path, "--help", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (sextant_test_run_command (argv, NULL, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "info"));
  g_assert_nonnull (strstr (out, "secrets"));
  g_assert_nonnull (strstr (out, "Exit codes"));
}

static void
test_usage_errors (void)
{
  const char *unknown[] = { cli_path, "no-such-command", NULL };
  const char *bad_format[] = { cli_path, "info", "--format", "xml", NULL };
  const char *none[] = { cli_path, NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (sextant_test_run_command (unknown, NULL, NULL, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sextant_test_run_command (bad_format, NULL, NULL, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--format must be one of text|json"));
  g_assert_cmpint (sextant_test_run_command (none, NULL, NULL, NULL, NULL), ==, 2);
}

static void
test_info_json (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "info.db", NULL);
  g_autofree char *db_env = g_strconcat ("SEXTANT_DATABASE=", db, NULL);
  const char *argv[] = { cli_path, "info", "--format", "json", NULL };
  const char *env[] = { db_env, NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpint (sextant_test_run_command (argv, env, NULL, &out, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "database"), ==, db);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "database_status"), "ok"));
  /* data/demo: 5,105 S&P 500 bars and the 30 Dow Jones stocks. */
  g_assert_cmpstr (json_object_get_string_member (object, "demo_data"), ==,
                   "ok, 5105 index bars, 30 stocks");
}

static void
test_info_refuses_corrupt_database (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "corrupt.db", NULL);
  g_autofree char *db_env = g_strconcat ("SEXTANT_DATABASE=", db, NULL);
  const char *argv[] = { cli_path, "info", NULL };
  const char *env[] = { db_env, NULL };
  g_autofree char *out = NULL;

  g_assert_true (g_file_set_contents (db, "not a database, but someone's file, at least 100 bytes "
                                          "long so that SQLite reads a full header page........",
                                      -1, NULL));
  g_assert_cmpint (sextant_test_run_command (argv, env, NULL, &out, NULL), ==, 8);
  g_assert_nonnull (strstr (out, "left untouched"));
}

static void
test_secrets_without_keyring (void)
{
  const char *argv[] = { cli_path, "secrets", "status", NULL };
  const char *env[] = { "DBUS_SESSION_BUS_ADDRESS=disabled:", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (sextant_test_run_command (argv, env, NULL, NULL, &err), ==, 4);
  g_assert_nonnull (strstr (err, "No keyring is available"));
}

static void
test_secrets_round_trip (void)
{
  const char *set[] = { cli_path, "secrets", "set", "finnhub", NULL };
  const char *status[] = { cli_path, "secrets", "status", "--format", "json", NULL };
  const char *clear[] = { cli_path, "secrets", "clear", "finnhub", NULL };
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *probe = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_STOOQ_KEY, NULL,
                                                             &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stored = NULL;

  if (error != NULL)
    {
      if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
        g_error ("The keyring is required but not usable: %s", error->message);
      g_test_skip (error->message);
      return;
    }

  g_assert_cmpint (sextant_test_run_command (set, NULL, "sextant-test-finnhub-key-5f2c1a\n",
                                             &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
  stored = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_FINNHUB_KEY, NULL, &error);
  g_assert_cmpstr (stored, ==, "sextant-test-finnhub-key-5f2c1a");

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sextant_test_run_command (status, NULL, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"finnhub\" : \"set\""));
  g_assert_null (strstr (out, "sextant-test-finnhub-key-5f2c1a"));

  g_assert_cmpint (sextant_test_run_command (clear, NULL, NULL, NULL, NULL), ==, 0);
  g_clear_pointer (&stored, g_free);
  stored = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_FINNHUB_KEY, NULL, &error);
  g_assert_null (stored);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add_func ("/sextant/cli/help", test_help);
  g_test_add_func ("/sextant/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/sextant/cli/info-json", test_info_json);
  g_test_add_func ("/sextant/cli/info-refuses-corrupt-database", test_info_refuses_corrupt_database);
  g_test_add_func ("/sextant/cli/secrets-without-keyring", test_secrets_without_keyring);
  g_test_add_func ("/sextant/cli/secrets-round-trip", test_secrets_round_trip);

  return g_test_run ();
}
