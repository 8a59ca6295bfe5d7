#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Credentials and configuration in the order the AWS CLI uses: every expected value is written
 * into the environment or the temporary files by the test itself. */

static const char *aws_vars[] = {
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
  "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
  "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_BEDROCK", "AWS_CA_BUNDLE",
};

static char *tmpdir;

static void
clear_env (void)
{
  g_autofree char *none = g_build_filename (tmpdir, "missing", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (aws_vars); i++)
    g_unsetenv (aws_vars[i]);
  /* Point the shared files somewhere empty, never at the real home. */
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", none, TRUE);
  g_setenv ("AWS_CONFIG_FILE", none, TRUE);
}

/* The shared files hold keys because the test puts them there: they go under test-inputs/,
 * which tests/run-suite.sh's secret-leak check leaves out (tests/suite-check.py). */
static char *
write_file (const char *name,
            const char *text)
{
  g_autofree char *inputs = g_build_filename (tmpdir, "test-inputs", NULL);
  char *path = g_build_filename (inputs, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (inputs, 0700), ==, 0);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  return path;
}

static SextantAwsCredentials *
resolve (SextantAwsConfig *config,
         GError          **error)
{
  return sextant_aws_credentials_resolve_non_keyring (config, error);
}

static void
test_environment (void)
{
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(SextantAwsCredentials) bearer = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(GError) error = NULL;

  clear_env ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDENVEXAMPLE", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "envSECRETenvSECRETenvSECRET", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "envTOKENenvTOKEN", TRUE);
  config = sextant_aws_config_load (NULL, NULL, &error);
  g_assert_no_error (error);
  creds = resolve (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (creds->access_key_id, ==, "AKIDENVEXAMPLE");
  g_assert_cmpstr (creds->session_token, ==, "envTOKENenvTOKEN");
  g_assert_cmpint (creds->source, ==, SEXTANT_AWS_CREDENTIAL_SOURCE_ENVIRONMENT);
  /* Registered with the log writer: a line holding the secret is redacted. */
  redacted = sextant_log_writer_redact ("secret=envSECRETenvSECRETenvSECRET token=envTOKENenvTOKEN");
  g_assert_null (strstr (redacted, "envSECRETenvSECRETenvSECRET"));
  g_assert_null (strstr (redacted, "envTOKENenvTOKEN"));

  /* A Bedrock API key in the environment wins, as in the SDKs. */
  g_setenv ("AWS_BEARER_TOKEN_BEDROCK", "ABSKenvBEARERKEY", TRUE);
  bearer = resolve (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bearer->bearer_token, ==, "ABSKenvBEARERKEY");
  g_assert_cmpstr (bearer->source_description, ==, "environment (AWS_BEARER_TOKEN_BEDROCK)");
}

static void
test_shared_files_and_profile (void)
{
  g_autofree char *creds_path = write_file ("credentials",
                                            "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = defaultSECRET\n\n"
                                            "[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=workSECRET ; inline\naws_session_token = workTOKEN\n");
  g_autofree char *config_path = write_file ("config",
                                             "[default]\nregion = us-west-2\n[profile work]\nregion = eu-central-1\n"
                                             "s3 =\n  max_concurrent_requests = 20\n");
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  clear_env ();
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", creds_path, TRUE);
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  g_setenv ("AWS_PROFILE", "work", TRUE);
  config = sextant_aws_config_load (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "eu-central-1");
  g_assert_cmpstr (config->runtime_endpoint, ==, "https://bedrock-runtime.eu-central-1.amazonaws.com");
  g_assert_cmpstr (config->control_endpoint, ==, "https://bedrock.eu-central-1.amazonaws.com");
  creds = resolve (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (creds->access_key_id, ==, "AKIDWORK");
  g_assert_cmpstr (creds->secret_access_key, ==, "workSECRET");
  g_assert_cmpstr (creds->session_token, ==, "workTOKEN");
  g_assert_cmpint (creds->source, ==, SEXTANT_AWS_CREDENTIAL_SOURCE_SHARED_FILE);
  g_assert_nonnull (strstr (creds->source_description, creds_path));
}

static void
test_region_order (void)
{
  g_autofree char *config_path = write_file ("config-region", "[default]\nregion = ap-southeast-2\n");
  g_autoptr(SextantAwsConfig) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;

  clear_env ();
  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  a = sextant_aws_config_load (NULL, "ca-central-1", NULL);
  g_assert_cmpstr (a->region, ==, "ap-southeast-2");
  g_setenv ("AWS_DEFAULT_REGION", "eu-west-3", TRUE);
  b = sextant_aws_config_load (NULL, "ca-central-1", NULL);
  g_assert_cmpstr (b->region, ==, "eu-west-3");
  g_setenv ("AWS_REGION", "us-east-2", TRUE);
  c = sextant_aws_config_load (NULL, NULL, NULL);
  g_assert_cmpstr (c->region, ==, "us-east-2");
  g_assert_cmpstr (c->region_source, ==, "AWS_REGION");
  d = sextant_aws_config_load ("sa-east-1", NULL, NULL);
  g_assert_cmpstr (d->region, ==, "sa-east-1");
  clear_env ();
  e = sextant_aws_config_load (NULL, "ca-central-1", NULL);
  g_assert_cmpstr (e->region, ==, "ca-central-1");
}

static void
test_endpoint_override (void)
{
  g_autoptr(SextantAwsConfig) a = NULL, b = NULL;

  clear_env ();
  g_setenv ("AWS_ENDPOINT_URL", "http://localhost:4566/", TRUE);
  a = sextant_aws_config_load ("us-east-1", NULL, NULL);
  g_assert_cmpstr (a->runtime_endpoint, ==, "http://localhost:4566");
  g_assert_cmpstr (a->control_endpoint, ==, "http://localhost:4566");
  g_setenv ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9000", TRUE);
  g_setenv ("AWS_ENDPOINT_URL_BEDROCK", "http://127.0.0.1:9001", TRUE);
  b = sextant_aws_config_load ("us-east-1", NULL, NULL);
  g_assert_cmpstr (b->runtime_endpoint, ==, "http://127.0.0.1:9000");
  g_assert_cmpstr (b->control_endpoint, ==, "http://127.0.0.1:9001");
}

static void
test_malformed_file (void)
{
  g_autofree char *creds_path = write_file ("bad-credentials", "[default]\naws_access_key_id = AKID\nthis line is wrong\n");
  g_autofree char *config_path = write_file ("bad-config", "[default\nregion = us-east-1\n");
  g_autofree char *expected_creds = g_strdup_printf ("%s:3:", creds_path);
  g_autofree char *expected_config = g_strdup_printf ("%s:1:", config_path);
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsConfig) none = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  clear_env ();
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", creds_path, TRUE);
  config = sextant_aws_config_load (NULL, NULL, &error);
  g_assert_no_error (error);
  creds = resolve (config, &error);
  g_assert_null (creds);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
  g_assert_true (g_str_has_prefix (error->message, expected_creds));

  g_setenv ("AWS_CONFIG_FILE", config_path, TRUE);
  none = sextant_aws_config_load (NULL, NULL, &error2);
  g_assert_null (none);
  g_assert_error (error2, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
  g_assert_true (g_str_has_prefix (error2->message, expected_config));
}

static void
test_no_credentials (void)
{
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  clear_env ();
  config = sextant_aws_config_load (NULL, NULL, NULL);
  creds = resolve (config, &error);
  g_assert_null (creds);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "AWS_ACCESS_KEY_ID"));
  g_assert_nonnull (strstr (error->message, "profile default"));
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Runs in a child process (see test_provider_without_keyring): libsecret keeps its first bus
 * connection, so a working keyring cannot be unplugged in a process that has used it. */
static void
test_provider_without_keyring_child (void)
{
  g_autoptr(SextantSecretStore) store = NULL;
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentialsProvider) provider = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  clear_env ();
  /* No session bus at all (the parent disabled it): the keyring lookup must fail fast and be
   * skipped. */
  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, "disabled:");
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDNOKEYRING", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "nokeyringSECRET", TRUE);
  store = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (store, 2000);
  config = sextant_aws_config_load (NULL, NULL, NULL);
  provider = sextant_aws_credentials_provider_new (store, config);
  sextant_aws_credentials_provider_resolve_async (provider, NULL, resolved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  creds = sextant_aws_credentials_provider_resolve_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (creds->access_key_id, ==, "AKIDNOKEYRING");
  g_assert_nonnull (sextant_aws_credentials_provider_get_keyring_problem (provider));
  g_assert_true (g_str_has_prefix (sextant_aws_credentials_provider_get_keyring_problem (provider), "no usable keyring"));
}

static void
test_provider_without_keyring (void)
{
  g_autofree char *saved_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_test_trap_subprocess ("/sextant/bedrock/credentials/no-keyring/subprocess", 30 * G_USEC_PER_SEC, 0);
  if (saved_bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved_bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_test_trap_assert_passed ();
}

/* Needs an unlocked Secret Service (TESTING.md: dbus-run-session + gnome-keyring-daemon), which
 * tests/run-suite.sh provides and announces with SEXTANT_TEST_REQUIRE_KEYRING: there it must run.
 * Elsewhere it runs only when SEXTANT_TEST_REAL_BUS says the session's keyring may be written to,
 * and skips otherwise. Keyring entries come first, ahead of the environment. */
static void
test_provider_with_keyring (void)
{
  g_autoptr(SextantSecretStore) store = NULL;
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SextantAwsCredentialsProvider) provider = NULL;
  g_autoptr(SextantAwsCredentials) creds = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean required = g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL;

  if (!required && g_getenv ("SEXTANT_TEST_REAL_BUS") == NULL)
    {
      g_test_skip ("set SEXTANT_TEST_REAL_BUS=1 inside a session with an unlocked keyring");
      return;
    }
  clear_env ();
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDFROMENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "envSECRET", TRUE);
  store = sextant_secret_store_new ();
  if (!sextant_secret_store_save_sync (store, SEXTANT_SECRET_AWS_ACCESS_KEY_ID, "AKIDFROMKEYRING", NULL, &error))
    {
      if (required)
        g_error ("The keyring is required but not usable: %s", error->message);
      g_test_skip (error->message);
      return;
    }
  g_assert_true (sextant_secret_store_save_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY, "keyringSECRET", NULL, &error));
  sextant_secret_store_clear_sync (store, SEXTANT_SECRET_BEDROCK_API_KEY, NULL, NULL);
  sextant_secret_store_clear_sync (store, SEXTANT_SECRET_AWS_SESSION_TOKEN, NULL, NULL);
  config = sextant_aws_config_load (NULL, NULL, NULL);
  provider = sextant_aws_credentials_provider_new (store, config);
  sextant_aws_credentials_provider_resolve_async (provider, NULL, resolved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  creds = sextant_aws_credentials_provider_resolve_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (creds->access_key_id, ==, "AKIDFROMKEYRING");
  g_assert_cmpint (creds->source, ==, SEXTANT_AWS_CREDENTIAL_SOURCE_KEYRING);
  g_assert_null (sextant_aws_credentials_provider_get_keyring_problem (provider));

  /* A saved Bedrock API key is preferred to saved access keys. */
  g_clear_object (&result);
  g_clear_pointer (&creds, sextant_aws_credentials_free);
  g_assert_true (sextant_secret_store_save_sync (store, SEXTANT_SECRET_BEDROCK_API_KEY, "ABSKkeyringKEY", NULL, &error));
  sextant_aws_credentials_provider_resolve_async (provider, NULL, resolved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  creds = sextant_aws_credentials_provider_resolve_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (creds->bearer_token, ==, "ABSKkeyringKEY");
  g_assert_cmpint (creds->source, ==, SEXTANT_AWS_CREDENTIAL_SOURCE_KEYRING);
  sextant_secret_store_clear_sync (store, SEXTANT_SECRET_BEDROCK_API_KEY, NULL, NULL);
  sextant_secret_store_clear_sync (store, SEXTANT_SECRET_AWS_ACCESS_KEY_ID, NULL, NULL);
  sextant_secret_store_clear_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY, NULL, NULL);
}

static void
test_ca_bundle (void)
{
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-bundle.pem", NULL);

  clear_env ();
  g_setenv ("AWS_CA_BUNDLE", missing, TRUE);
  config = sextant_aws_config_load (NULL, NULL, NULL);
  g_assert_cmpstr (config->ca_bundle, ==, missing);
  database = sextant_aws_config_load_ca_bundle (config, &error);
  g_assert_null (database);
  g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "AWS_CA_BUNDLE"));
  if (g_file_test ("/etc/ssl/certs/ca-certificates.crt", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GTlsDatabase) system = NULL;

      g_free (config->ca_bundle);
      config->ca_bundle = g_strdup ("/etc/ssl/certs/ca-certificates.crt");
      system = sextant_aws_config_load_ca_bundle (config, NULL);
      g_assert_nonnull (system);
    }
}

/* The chat window and `sextant-cli ask` get their client from sextant_bedrock_connect(): in a
 * process with no session bus (a child, so that libsecret has no connection yet), credentials
 * come from the environment, the keyring's absence is reported, and the client signs for the
 * configured region; without credentials the reason names where it looked. */
static void
test_connect (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SextantSecretStore) store = NULL;
      g_autoptr(SextantAwsConfig) config = NULL;
      g_autoptr(SextantBedrockClient) client = NULL;
      g_autoptr(SextantBedrockClient) none = NULL;
      g_autofree char *problem = NULL;
      g_autofree char *problem2 = NULL;
      g_autoptr(GError) error = NULL;

      clear_env ();
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
      g_setenv ("AWS_ACCESS_KEY_ID", "AKIDCONNECT", TRUE);
      g_setenv ("AWS_SECRET_ACCESS_KEY", "connectSECRET", TRUE);
      store = sextant_secret_store_new ();
      sextant_secret_store_set_timeout (store, 2000);
      config = sextant_aws_config_load (NULL, "eu-central-1", &error);
      g_assert_no_error (error);
      client = sextant_bedrock_connect (store, config, &problem, &error);
      g_assert_no_error (error);
      g_assert_nonnull (client);
      g_assert_cmpstr (sextant_bedrock_client_get_region (client), ==, "eu-central-1");
      g_assert_nonnull (problem);
      g_assert_true (g_str_has_prefix (problem, "no usable keyring"));

      g_unsetenv ("AWS_ACCESS_KEY_ID");
      g_unsetenv ("AWS_SECRET_ACCESS_KEY");
      none = sextant_bedrock_connect (store, config, &problem2, &error);
      g_assert_null (none);
      g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS);
      g_assert_nonnull (strstr (error->message, "AWS_ACCESS_KEY_ID"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* AWS_CA_BUNDLE replaces the system trust store, as in the AWS CLI: a bundle of one system root
 * trusts that root and no longer a second one that the system trusts. Two roots of the system
 * bundle stand in for a corporate CA, so the test needs no certificate of its own. */
static void
test_ca_bundle_replaces_system (void)
{
  const char *system_bundle = "/etc/ssl/certs/ca-certificates.crt";
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GTlsDatabase) bundle = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  GTlsDatabase *system;
  GList *roots;
  GTlsCertificate *inside, *outside;
  GTlsCertificateFlags flags;

  if (!g_file_test (system_bundle, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no system CA bundle");
      return;
    }
  roots = g_tls_certificate_list_new_from_file (system_bundle, NULL);
  g_assert_cmpuint (g_list_length (roots), >=, 2);
  inside = roots->data;
  outside = roots->next->data;
  g_object_get (inside, "certificate-pem", &pem, NULL);
  path = write_file ("one-root.pem", pem);
  clear_env ();
  g_setenv ("AWS_CA_BUNDLE", path, TRUE);
  config = sextant_aws_config_load (NULL, NULL, NULL);
  bundle = sextant_aws_config_load_ca_bundle (config, NULL);
  g_assert_nonnull (bundle);
  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  /* Only the unknown-CA flag matters: a root may be expired or not yet valid on this clock. */
  flags = g_tls_database_verify_chain (system, outside, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_assert_false (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
  flags = g_tls_database_verify_chain (bundle, outside, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_assert_true (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
  flags = g_tls_database_verify_chain (bundle, inside, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_assert_false (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);

  g_object_unref (system);
  g_list_free_full (roots, g_object_unref);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = sextant_test_make_temp_dir ();

  g_test_add_func ("/sextant/bedrock/credentials/environment", test_environment);
  g_test_add_func ("/sextant/bedrock/credentials/shared-files-profile", test_shared_files_and_profile);
  g_test_add_func ("/sextant/bedrock/credentials/region-order", test_region_order);
  g_test_add_func ("/sextant/bedrock/credentials/endpoint-override", test_endpoint_override);
  g_test_add_func ("/sextant/bedrock/credentials/malformed-file", test_malformed_file);
  g_test_add_func ("/sextant/bedrock/credentials/none", test_no_credentials);
  g_test_add_func ("/sextant/bedrock/credentials/keyring", test_provider_with_keyring);
  g_test_add_func ("/sextant/bedrock/credentials/no-keyring", test_provider_without_keyring);
  g_test_add_func ("/sextant/bedrock/credentials/no-keyring/subprocess", test_provider_without_keyring_child);
  g_test_add_func ("/sextant/bedrock/credentials/ca-bundle", test_ca_bundle);
  g_test_add_func ("/sextant/bedrock/credentials/connect", test_connect);
  g_test_add_func ("/sextant/bedrock/credentials/ca-bundle-replaces-system",
                   test_ca_bundle_replaces_system);

  ret = g_test_run ();
  g_free (tmpdir);

  return ret;
}
